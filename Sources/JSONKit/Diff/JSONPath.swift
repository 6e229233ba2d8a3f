/// Where a value sits in a document: the keys and array positions from the top down.
///
/// Renders as jq writes paths: `.` for the top, `.samples[3].name`, and a key that is not a
/// plain identifier quoted as a JSON string, `.paths["/sodarZone/x"]`, with every character
/// that could drive a terminal escaped (`\u001b`).
public struct JSONPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// One step: an object's key (decoded) or an array's position (0-based).
    public enum Component: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    /// The steps from the top value down.
    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public init(arrayLiteral elements: Component...) {
        components = elements
    }

    /// This path one step further down.
    public func appending(_ component: Component) -> JSONPath {
        JSONPath(components + [component])
    }

    /// `.`, `.a[3].b`, `.["odd key"]`: safe to print on a terminal.
    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .index(let index):
                out += "[\(index)]"
            case .key(let key):
                if Self.isIdentifier(key) {
                    out += "." + key
                } else {
                    out += "[" + Display.escape(JSON.quote(key)) + "]"
                }
            }
        }
        if out.isEmpty { return "." }
        return out.hasPrefix("[") ? "." + out : out
    }

    /// A key jq would write bare: an ASCII letter or `_`, then letters, digits and `_`.
    static func isIdentifier(_ key: String) -> Bool {
        var first = true
        for b in key.utf8 {
            let letter = ((b | 0x20) &- UInt8(ascii: "a")) < 26 || b == UInt8(ascii: "_")
            let digit = (b &- UInt8(ascii: "0")) < 10
            if first ? !letter : !(letter || digit) { return false }
            first = false
        }
        return !first
    }
}
