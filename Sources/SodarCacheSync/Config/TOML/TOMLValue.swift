/// One value of a TOML document: TOML 1.0's kinds, arrays of tables as arrays of `.table`.
public enum TOMLValue: Sendable, Hashable {
    case string(String)
    /// A 64-bit integer, written decimal, `0x`, `0o` or `0b`.
    case integer(Int)
    /// A float, `inf` and `nan` included.
    case float(Double)
    case boolean(Bool)
    /// An offset or local date-time, a local date or a local time.
    case dateTime(TOMLDateTime)
    case array([TOMLValue])
    case table(TOMLTable)

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var integer: Int? {
        if case .integer(let number) = self { return number }
        return nil
    }

    public var float: Double? {
        if case .float(let number) = self { return number }
        return nil
    }

    public var boolean: Bool? {
        if case .boolean(let flag) = self { return flag }
        return nil
    }

    public var array: [TOMLValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var table: TOMLTable? {
        if case .table(let table) = self { return table }
        return nil
    }

    /// The kind with its article, for messages: "a string", "an integer", "an inline table"...
    public var kindName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .dateTime(let value): return value.kindName
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}
