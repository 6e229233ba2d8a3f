import Foundation

// MARK: - An item page's order and keyset, in SQL

/// How a SQL engine orders an item page and continues it from a row: one rule for both, over
/// each engine's own column names and placeholders.
extension ItemSort {
    /// An item's sort columns as an engine's query names them.
    public struct Columns: Sendable {
        public var app: String
        public var name: String
        public var updated: String
        public var size: String
        public var uuid: String

        public init(app: String, name: String, updated: String, size: String, uuid: String) {
            self.app = app
            self.name = name
            self.updated = updated
            self.size = size
            self.uuid = uuid
        }
    }

    /// One value of a row's sort key, for the engine to bind as its column wants it.
    public enum KeyValue {
        case text(String)
        case date(Date)
        case integer(Int)
        case uuid(UUID)
    }

    /// The sort's key: its columns, and their values in `row`. `byApp`: a page of every app,
    /// whose names sort by app first.
    private func key(_ columns: Columns, byApp: Bool, _ row: ItemSummary?) -> [(column: String, value: KeyValue?)] {
        switch self {
        case .name where byApp: [(columns.app, row.map { .text($0.appName) }), (columns.name, row.map { .text($0.name) })]
        case .name: [(columns.name, row.map { .text($0.name) })]
        case .updated: [(columns.updated, row.map { .date($0.dateModified) }), (columns.uuid, row.map { .uuid($0.uuid) })]
        case .size: [(columns.size, row.map { .integer($0.size) }), (columns.uuid, row.map { .uuid($0.uuid) })]
        }
    }

    /// Whether the page runs down its key: forwards, updates and sizes newest and largest first
    /// (names ascending); `backwards` flips it.
    private func descending(backwards: Bool) -> Bool { (self == .name) == backwards }

    /// The ORDER BY list of a page in this order (`backwards`: nearest `from` first, going back).
    public func orderSQL(_ columns: Columns, byApp: Bool, backwards: Bool) -> String {
        let direction = descending(backwards: backwards) ? " DESC" : ""
        return key(columns, byApp: byApp, nil).map { $0.column + direction }.joined(separator: ", ")
    }

    /// The condition that keeps the rows after `row` in this order (`backwards`: before it),
    /// each value of its key bound by `bind`, which returns the value's SQL.
    public func keysetSQL(
        _ columns: Columns, byApp: Bool, backwards: Bool, after row: ItemSummary, bind: (KeyValue) -> String
    ) -> String {
        let sortKey = key(columns, byApp: byApp, row)
        let comparison = descending(backwards: backwards) ? "<" : ">"
        // `key` gives every column its value when given a row.
        let values = sortKey.map { bind($0.value!) }
        guard sortKey.count > 1 else { return "\(sortKey[0].column) \(comparison) \(values[0])" }
        return "(\(sortKey.map(\.column).joined(separator: ", "))) \(comparison) (\(values.joined(separator: ", ")))"
    }
}
