import Foundation

/// The parameters of one SQL statement, bound where its text uses them: `bind` keeps a value and
/// gives back the placeholder that stands for it, so that no value is ever spliced into the
/// text. One builder for both SQL engines, each with its own placeholders and value type
/// (vapor/sql-kit's dialects, at the size the engines need).
public struct SQLParameters<Value> {
    /// How a statement's text names its parameters.
    public enum Placeholders: Sendable {
        /// `?`, each bound in the order it stands in the text (SQLite).
        case positional
        /// `$1`, `$2`, ...: each by its position among the values (PostgreSQL).
        case numbered
    }

    public let placeholders: Placeholders
    /// The values bound so far, in order.
    public var values: [Value]

    public init(_ placeholders: Placeholders, values: [Value] = []) {
        self.placeholders = placeholders
        self.values = values
    }

    /// Keeps `value` as the next parameter.
    /// - Returns: its placeholder.
    public mutating func bind(_ value: Value) -> String {
        values.append(value)
        return placeholders == .numbered ? "$\(values.count)" : "?"
    }

    /// `conditions` as a WHERE clause, joined by AND; nothing when there are none.
    public static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }
}
