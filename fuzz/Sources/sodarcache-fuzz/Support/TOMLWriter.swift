import JSONKit
import SodarCacheSync

/// Writes a TOML document back out, for the config target's round trip: top-level keys one per
/// line, every table inline, every string basic with escapes.
enum TOMLWriter {
    static func document(_ root: TOMLTable) -> String {
        root.keys.map { "\(key($0)) = \(value(root[$0]))\n" }.joined()
    }

    static func value(_ value: TOMLValue?) -> String {
        switch value {
        case .string(let text)?: return string(text)
        case .integer(let number)?: return String(number)
        case .float(let number)?:
            if number.isNaN { return "nan" }
            if number.isInfinite { return number < 0 ? "-inf" : "inf" }
            return "\(number)"
        case .boolean(let flag)?: return String(flag)
        case .dateTime(let date)?: return date.description
        case .array(let elements)?: return "[" + elements.map { self.value($0) }.joined(separator: ", ") + "]"
        case .table(let table)?: return "{" + table.keys.map { "\(key($0)) = \(self.value(table[$0]))" }.joined(separator: ", ") + "}"
        case nil: return "?"
        }
    }

    static func key(_ text: String) -> String {
        let bare = !text.isEmpty && text.utf8.allSatisfy {
            ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D
        }
        return bare ? text : string(text)
    }

    /// A basic string: JSON's escapes (`\"`, `\\`, `\n`, `\t`, `\u00XX`) are TOML's too.
    static func string(_ text: String) -> String {
        JSON.quote(text)
    }
}
