import JSONKit

/// Why a TOML document was refused: where (1-based line and column, the column counting
/// Unicode scalars as an editor does), the key it is about when there is one, and what was
/// expected. One line; it quotes at most one character of the text, never a value, so that
/// a secret written on a broken line is not printed.
public struct TOMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    /// The key path the error is about (a value's key, a table's name), or nil.
    public var key: [String]?
    public var message: String

    public init(line: Int, column: Int, key: [String]?, message: String) {
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `line 3, column 9: apps.x.timeout: expected a value, found '='`.
    public var description: String {
        "line \(line), column \(column): " + (key.map { TOMLError.keyText($0) + ": " } ?? "") + message
    }

    /// A key path as TOML writes it: bare keys as they are, others quoted (an empty key is
    /// `""`), with every character a terminal would act on escaped.
    public static func keyText(_ path: [String]) -> String {
        path.map { key in
            let bare = !key.isEmpty && key.utf8.allSatisfy(TOMLReader.isBareKeyByte)
            return bare ? key : Display.escape(JSON.quote(key))
        }.joined(separator: ".")
    }
}
