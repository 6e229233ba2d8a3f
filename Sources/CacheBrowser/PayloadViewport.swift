/// What scrolling the payload needs to know about its pane: how many rows it has, and
/// whether a long line takes more than one of them.
public struct PayloadViewport: Sendable, Hashable {
    /// Screen rows of the payload pane.
    public var rows: Int
    /// The pane's width when long lines wrap; nil when every line takes one row.
    public var wrapWidth: Int?

    public init(rows: Int, wrapWidth: Int? = nil) {
        self.rows = rows
        self.wrapWidth = wrapWidth
    }
}
