/// Where a list in a box goes on a screen of a size: `view` draws its rows there and a click
/// picks the entry drawn under it. The sync failures are such a list; the findings, the audit
/// trail and a sync's changes are too, under a summary row.
public struct BoxListLayout: Sendable, Hashable {
    public var box: BoxFrame
    /// The first entry shown.
    public var top: Int
    /// Entries shown at once.
    public var visible: Int
    public var count: Int
    /// Rows inside the border above the entries: 1 under a summary, else 0.
    public var headerRows: Int

    /// The list of `count` entries with the cursor on `cursor`, at most `maxWidth` wide; with a
    /// `summary`, that row above the entries and room for one entry at least (a "none" line).
    public init(count: Int, cursor: Int, summary: Bool, maxWidth: Int, screenWidth: Int, screenHeight: Int) {
        headerRows = summary ? 1 : 0
        let rows = summary ? max(1, count) + headerRows : count
        box = BoxFrame(width: min(screenWidth - 2, maxWidth), height: rows + 2, screenWidth: screenWidth, screenHeight: screenHeight)
        visible = max(1, box.innerHeight - headerRows)
        top = max(0, min(cursor - visible + 1, count - visible))
        self.count = count
    }

    /// The sync failure list of `count` failures with the cursor on `cursor`.
    public static func failures(count: Int, cursor: Int, screenWidth: Int, screenHeight: Int) -> BoxListLayout {
        BoxListLayout(count: count, cursor: cursor, summary: false, maxWidth: 96, screenWidth: screenWidth, screenHeight: screenHeight)
    }

    /// A list under a summary row (the findings, the audit trail, a sync's changes) of `count`
    /// entries with the cursor on `cursor`.
    public static func underSummary(count: Int, cursor: Int, screenWidth: Int, screenHeight: Int) -> BoxListLayout {
        BoxListLayout(count: count, cursor: cursor, summary: true, maxWidth: 120, screenWidth: screenWidth, screenHeight: screenHeight)
    }

    /// The summary's row (under a summary).
    public var summaryRow: Int { box.top + 1 }

    /// The screen row of the `i`-th shown entry.
    public func row(_ i: Int) -> Int { box.top + 1 + headerRows + i }

    /// The entry drawn at a cell, inside the border; nil elsewhere.
    public func entry(row: Int, column: Int) -> Int? {
        let i = row - box.top - 1 - headerRows
        guard i >= 0, i < min(visible, count), column > box.left, column < box.left + box.width - 1 else { return nil }
        let entry = top + i
        return entry < count ? entry : nil
    }
}
