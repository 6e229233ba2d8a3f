/// A parsed TOML 1.0 document: its values, and for every key the line that defines it.
///
/// Read by `TOMLReader`, in Swift: a malformed document is a `TOMLError` naming its line,
/// column and key, never a crash (a C++ reader this replaced aborted the process on some).
public struct TOMLDocument: Sendable, Hashable {
    /// The root table.
    public var root: TOMLTable

    /// Parses `text`.
    /// - Throws: `TOMLError` at the first thing TOML 1.0 does not allow.
    public init(parsing text: String) throws(TOMLError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// Parses UTF-8 bytes (invalid UTF-8 is an error with its line and column).
    /// - Throws: `TOMLError` at the first thing TOML 1.0 does not allow.
    public init(parsing bytes: [UInt8]) throws(TOMLError) {
        var reader = TOMLReader(bytes)
        root = try reader.read()
    }

    /// The value of a top-level key.
    public subscript(key: String) -> TOMLValue? { root[key] }

    /// The line of `path`, or of its nearest enclosing table that exists (see `TOMLTable`).
    public func line(of path: [String]) -> Int? { root.line(of: path) }
}
