import Foundation

/// What the store answered for an item's versions: the rows, newest first with the current
/// version on top, and why some kind of version cannot be there (no history on a SODAR site,
/// history off for the app, no trash).
public struct VersionListing: Sendable, Hashable {
    public var rows: [VersionRow]
    /// One line each, shown below the rows (or instead of them).
    public var notes: [String]

    public init(rows: [VersionRow], notes: [String] = []) {
        self.rows = rows
        self.notes = notes
    }

    /// The rows in list order: the current version first, then the others by when they
    /// stopped being the item, newest first (a revision before the trash copy of the same
    /// moment: the write came first).
    public static func ordered(current: VersionRow?, others: [VersionRow]) -> [VersionRow] {
        let sorted = others.enumerated().sorted { a, b in
            let x = a.element.ended ?? .distantFuture, y = b.element.ended ?? .distantFuture
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
        return (current.map { [$0] } ?? []) + sorted
    }
}
