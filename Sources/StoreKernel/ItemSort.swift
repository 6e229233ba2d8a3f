import Foundation
import SodarCache

/// Orders for item lists. Name ascending; updated and size newest/largest first.
///
/// One sort key per order (`key(byApp:)`): a SQL engine orders and continues its pages by it
/// (`orderSQL`, `keysetSQL`), an engine without SQL compares by it (`precedes`), so that every
/// engine's order is its keyset's. Within a project an app's names are unique on every store,
/// so the name key ends there and the index serves the order; SODAR's tables can hold site-wide
/// items of one app and name (the doctor reports them as duplicates), whose pages add the UUID
/// (`namesUnique: false`), or a page that ends between two of them would skip the second.
public enum ItemSort: String, Sendable, Hashable, CaseIterable {
    case name
    case updated
    case size

    /// One part of an item's sort key.
    public enum KeyPart: Sendable {
        case app, name, updated, size, uuid

        /// The part's value in `row`.
        func value(_ row: ItemSummary) -> KeyValue {
            switch self {
            case .app: .text(row.appName)
            case .name: .text(row.name)
            case .updated: .date(row.dateModified)
            case .size: .integer(row.size)
            case .uuid: .uuid(row.uuid)
            }
        }
    }

    /// One value of a row's sort key, for the engine to bind as its column wants it.
    public enum KeyValue: Sendable {
        case text(String)
        case date(Date)
        case integer(Int)
        case uuid(UUID)

        /// Compared as SQLite's BINARY collation, PostgreSQL's "C" and its uuid compare do: text
        /// and UUIDs by their bytes. Nil for values of two kinds (never within one key part).
        public func ascends(to other: KeyValue) -> Bool? {
            switch (self, other) {
            case (.text(let a), .text(let b)): a.utf8.lexicographicallyPrecedes(b.utf8)
            case (.date(let a), .date(let b)): a < b
            case (.integer(let a), .integer(let b)): a < b
            case (.uuid(let a), .uuid(let b)):
                withUnsafeBytes(of: a.uuid) { a in withUnsafeBytes(of: b.uuid) { b in a.lexicographicallyPrecedes(b) } }
            default: nil
            }
        }
    }

    /// The sort's key. `byApp`: a page of every app, whose names sort by app first.
    /// `namesUnique`: an app's names are unique among the rows paged (else the UUID follows the
    /// name, to tell apart the rows that share one).
    public func key(byApp: Bool, namesUnique: Bool = true) -> [KeyPart] {
        switch self {
        case .name: (byApp ? [.app, .name] : [.name]) + (namesUnique ? [] : [.uuid])
        case .updated: [.updated, .uuid]
        case .size: [.size, .uuid]
        }
    }

    /// Whether the page runs down its key: forwards, updates and sizes newest and largest first
    /// (names ascending); `backwards` flips it.
    func descending(backwards: Bool) -> Bool { (self == .name) == backwards }

    /// Whether one item comes before another in this order (an engine that sorts in Swift).
    public func precedes(byApp: Bool) -> (ItemSummary, ItemSummary) -> Bool {
        let parts = key(byApp: byApp)
        let descending = descending(backwards: false)
        return { a, b in
            for part in parts {
                let (x, y) = (part.value(a), part.value(b))
                if x.ascends(to: y) == true { return !descending }
                if y.ascends(to: x) == true { return descending }
            }
            return false
        }
    }
}
