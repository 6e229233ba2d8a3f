/// A TOML table: its keys in the order the file gives them, each with its value and the line
/// that defines it, so that an error about a key can name its line.
public struct TOMLTable: Sendable, Hashable {
    /// The keys, in file order.
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    private var lines: [String: Int] = [:]

    public init() {}

    /// The value of `key`, or nil.
    public subscript(key: String) -> TOMLValue? { values[key] }

    /// The 1-based line that defines `key`: its `key = value` line or its table's header; for a
    /// table that only a deeper header or a dotted key implies, where that first appears.
    public func line(of key: String) -> Int? { lines[key] }

    /// The line of the deepest key of `path` there is: `path` itself, else its nearest table
    /// that exists; nil when not even its first key does. An array of tables stands for its
    /// elements (its first header's line).
    public func line(of path: [String]) -> Int? {
        guard let first = path.first, let line = lines[first] else { return nil }
        guard path.count > 1, let inner = values[first]?.table else { return line }
        return inner.line(of: Array(path.dropFirst())) ?? line
    }

    /// Adds `key`, which must be new (the reader has checked it).
    mutating func append(_ key: String, _ value: TOMLValue, line: Int) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        lines[key] = line
    }
}
