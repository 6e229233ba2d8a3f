/// A page read from the store: its rows and where they sit in the list.
public struct PageRows<Row: Sendable & Hashable>: Sendable, Hashable {
    public var rows: [Row]
    /// What the page was read from: after a row (nil: the first page), before one (nil: the
    /// last page), or around the row that now stands for the anchor.
    public var start: PageStart<Row>
    /// The store has rows before the first of these (pages read before or around a row).
    public var hasPrevious: Bool
    /// The store has rows after the last of these (pages read after or around a row).
    public var hasMore: Bool

    public init(rows: [Row], start: PageStart<Row>, hasPrevious: Bool = false, hasMore: Bool = false) {
        self.rows = rows
        self.start = start
        self.hasPrevious = hasPrevious
        self.hasMore = hasMore
    }
}
