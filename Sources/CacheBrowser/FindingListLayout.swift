/// Where the findings view's rows go on a screen of a size: `view` draws them there and a click
/// picks the finding drawn under it. The first row inside the border is the summary.
public struct FindingListLayout: Sendable, Hashable {
    public var box: BoxFrame
    /// The first finding shown.
    public var top: Int
    /// Findings shown at once.
    public var visible: Int
    public var count: Int

    /// The list of `count` findings with the cursor on `cursor`.
    public init(count: Int, cursor: Int, screenWidth: Int, screenHeight: Int) {
        box = BoxFrame(
            width: min(screenWidth - 2, 120), height: max(1, count) + 3, screenWidth: screenWidth, screenHeight: screenHeight)
        visible = max(1, box.innerHeight - 1)
        top = max(0, min(cursor - visible + 1, count - visible))
        self.count = count
    }

    /// The summary's row.
    public var summaryRow: Int { box.top + 1 }

    /// The screen row of the `i`-th shown finding.
    public func row(_ i: Int) -> Int { box.top + 2 + i }

    /// The finding drawn at a cell, inside the border; nil elsewhere.
    public func entry(row: Int, column: Int) -> Int? {
        let i = row - box.top - 2
        guard i >= 0, i < min(visible, count), column > box.left, column < box.left + box.width - 1 else { return nil }
        let entry = top + i
        return entry < count ? entry : nil
    }
}
