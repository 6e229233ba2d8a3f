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

        /// The column that holds `part`.
        func column(_ part: KeyPart) -> String {
            switch part {
            case .app: app
            case .name: name
            case .updated: updated
            case .size: size
            case .uuid: uuid
            }
        }
    }

    /// The ORDER BY list of a page in this order (`backwards`: nearest `from` first, going back).
    public func orderSQL(_ columns: Columns, byApp: Bool, namesUnique: Bool = true, backwards: Bool) -> String {
        let direction = descending(backwards: backwards) ? " DESC" : ""
        return key(byApp: byApp, namesUnique: namesUnique).map { columns.column($0) + direction }.joined(separator: ", ")
    }

    /// The condition that keeps the rows after `row` in this order (`backwards`: before it),
    /// each value of its key bound by `bind`, which returns the value's SQL.
    public func keysetSQL(
        _ columns: Columns, byApp: Bool, namesUnique: Bool = true, backwards: Bool, after row: ItemSummary,
        bind: (KeyValue) -> String
    ) -> String {
        let parts = key(byApp: byApp, namesUnique: namesUnique)
        let comparison = descending(backwards: backwards) ? "<" : ">"
        let names = parts.map(columns.column)
        let values = parts.map { bind($0.value(row)) }
        guard parts.count > 1 else { return "\(names[0]) \(comparison) \(values[0])" }
        return "(\(names.joined(separator: ", "))) \(comparison) (\(values.joined(separator: ", ")))"
    }
}
