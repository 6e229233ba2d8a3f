import Foundation
import JSONKit

/// What `sodarcache diff` prints: one line per change (the default), or a JSON document.
///
/// Everything from the store goes through `Display.escape` (paths, values, labels), so a
/// payload cannot drive the terminal; colours only on a terminal and not under `NO_COLOR`.
struct DiffReport {
    let result: JSONDiffResult
    let old: DiffOperand
    let new: DiffOperand

    /// Characters of common text kept around a string's changed part.
    static let context = 24
    /// Bytes of a value shown before it is cut.
    static let previewLimit = 120

    // MARK: - Text

    /// `--- old` and `+++ new`, then `~ path: old -> new`, `+ path: new`, `- path: old` per
    /// change, `!` for an array compared position by position, and a closing count. Nothing
    /// when the two are equal, as diff(1).
    func text(colour: Bool) -> String {
        guard !result.isEqual else { return "" }
        let paint = DiffPaint(enabled: colour)
        var out = paint.bold("--- " + Display.escape(old.label)) + "\n"
        out += paint.bold("+++ " + Display.escape(new.label)) + "\n"
        var counts: [JSONDiffChange.Kind: Int] = [:]
        for change in result.changes {
            counts[change.kind, default: 0] += 1
            out += line(change, paint) + "\n"
        }
        for path in result.positionalArrays {
            out += paint.yellow("! \(path): compared position by position past the alignment bound (an insertion or removal there may show as later elements changed)") + "\n"
        }
        let total = result.changes.count
        out += "\(total) change\(total == 1 ? "" : "s") (\(counts[.changed] ?? 0) changed, \(counts[.added] ?? 0) added, \(counts[.removed] ?? 0) removed); "
        out += numbersNote + "\n"
        return out
    }

    /// How numbers were compared, and why.
    var numbersNote: String {
        if result.options.numbersByValue {
            return old.engine == new.engine ? "numbers compared by value" : "numbers compared by value (\(old.engine.rawValue) against \(new.engine.rawValue))"
        }
        return "numbers compared by text"
    }

    private func line(_ change: JSONDiffChange, _ paint: DiffPaint) -> String {
        let path = change.path.description
        switch change.kind {
        case .added:
            return paint.green("+ " + path + ": " + result.preview(change.newRange!, old: false, limit: Self.previewLimit))
        case .removed:
            return paint.red("- " + path + ": " + result.preview(change.oldRange!, old: true, limit: Self.previewLimit))
        case .changed:
            if let delta = result.stringDelta(change, context: Self.context) {
                let a = delta.shown(old: true, maxChanged: Self.previewLimit)
                let b = delta.shown(old: false, maxChanged: Self.previewLimit)
                return "~ " + path + ": " + a.lead + paint.red(a.changed) + a.trail + " -> " + b.lead + paint.green(b.changed) + b.trail
            }
            return "~ " + path + ": " + paint.red(result.preview(change.oldRange!, old: true, limit: Self.previewLimit))
                + " -> " + paint.green(result.preview(change.newRange!, old: false, limit: Self.previewLimit))
        }
    }

    // MARK: - JSON

    /// `{"equal": ..., "old": {...}, "new": {...}, "numbers": ..., "positional_arrays": [...],
    /// "changes": [{"kind", "path", "old_path", "new_path", "old", "new"}...]}`, compact; values
    /// in compact form, paths both as shown and as components.
    func json() throws -> Data {
        var out = Data()
        func text(_ string: String) { out.append(contentsOf: string.utf8) }
        text("{\"equal\": \(result.isEqual), ")
        text("\"old\": " + JSONText.object([("label", JSONText.string(old.label)), ("engine", JSONText.string(old.engine.rawValue))]) + ", ")
        text("\"new\": " + JSONText.object([("label", JSONText.string(new.label)), ("engine", JSONText.string(new.engine.rawValue))]) + ", ")
        text("\"numbers\": \(result.options.numbersByValue ? "\"value\"" : "\"text\""), ")
        text("\"positional_arrays\": [" + result.positionalArrays.map { JSONText.string($0.description) }.joined(separator: ", ") + "], ")
        text("\"changes\": [")
        for (index, change) in result.changes.enumerated() {
            if index > 0 { text(", ") }
            var fields: [(String, String)] = [("kind", JSONText.string(change.kind.rawValue)), ("path", JSONText.string(change.path.description))]
            fields.append(("components", Self.components(change.path)))
            if let path = change.oldPath { fields.append(("old_path", JSONText.string(path.description))) }
            if let path = change.newPath { fields.append(("new_path", JSONText.string(path.description))) }
            text(String(JSONText.object(fields).dropLast()))
            if let value = result.oldValue(change) {
                text(", \"old\": ")
                out.append(try JSON.compact(value))
            }
            if let value = result.newValue(change) {
                text(", \"new\": ")
                out.append(try JSON.compact(value))
            }
            text("}")
        }
        text("]}")
        return out
    }

    /// The path as a JSON array: keys as strings, positions as numbers.
    static func components(_ path: JSONPath) -> String {
        "[" + path.components.map { component in
            switch component {
            case .key(let key): return JSONText.string(key)
            case .index(let index): return String(index)
            }
        }.joined(separator: ", ") + "]"
    }
}
