/// Where the sync failure list's rows go on a screen of a size: `view` draws them there and a
/// click picks the failure drawn under it.
public struct FailureListLayout: Sendable, Hashable {
    public var box: BoxFrame
    /// The first failure shown.
    public var top: Int
    /// Failures shown at once.
    public var visible: Int
    public var count: Int

    /// The list of `count` failures with the cursor on `cursor`.
    public init(count: Int, cursor: Int, screenWidth: Int, screenHeight: Int) {
        box = BoxFrame(width: min(screenWidth - 2, 96), height: count + 2, screenWidth: screenWidth, screenHeight: screenHeight)
        visible = max(1, box.innerHeight)
        top = max(0, min(cursor - visible + 1, count - visible))
        self.count = count
    }

    /// The screen row of the `i`-th shown failure.
    public func row(_ i: Int) -> Int { box.top + 1 + i }

    /// The failure drawn at a cell, inside the border; nil elsewhere.
    public func entry(row: Int, column: Int) -> Int? {
        let i = row - box.top - 1
        guard i >= 0, i < min(visible, count), column > box.left, column < box.left + box.width - 1 else { return nil }
        let entry = top + i
        return entry < count ? entry : nil
    }
}
