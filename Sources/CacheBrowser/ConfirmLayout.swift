import JSONKit

/// Where a confirmation dialog's parts go on a screen of a size. `view` draws there and a
/// click is hit-tested against the same numbers, so a button answers where it shows.
public struct ConfirmLayout: Sendable, Hashable {
    public static let noLabel = "[ No ]"
    public static let yesLabel = "[ Yes ]"
    /// Columns between the buttons.
    static let buttonGap = 4

    public var box: BoxFrame
    /// The question, wrapped to the box.
    public var body: [String]
    /// The body as it fits the box: on a short terminal its first line, `cutMark`, and the
    /// dialog's kept lines (`ConfirmDialog.keep`).
    public var shown: [String]
    /// Stands for the lines a short terminal leaves out.
    public static let cutMark = "…"
    public var buttonsRow: Int
    public var noColumns: Range<Int>
    public var yesColumns: Range<Int>
    /// The key hint under the buttons.
    public var hintRow: Int

    public init(_ dialog: ConfirmDialog, screenWidth: Int, screenHeight: Int) {
        let boxWidth = min(screenWidth - 2, 64)
        let keep = min(max(0, dialog.keep), dialog.lines.count)
        let head = dialog.lines.dropLast(keep).flatMap { BrowserView.wrap($0, width: max(1, boxWidth - 4)) }
        let tail = dialog.lines.suffix(keep).flatMap { BrowserView.wrap($0, width: max(1, boxWidth - 4)) }
        body = head + tail
        box = BoxFrame(width: boxWidth, height: body.count + 6, screenWidth: screenWidth, screenHeight: screenHeight)
        shown = Self.fit(head: head, tail: tail, room: max(0, box.innerHeight - 4))
        buttonsRow = box.top + box.innerHeight - 1
        hintRow = box.top + box.innerHeight
        let noWidth = Display.width(Self.noLabel)
        let yesWidth = Display.width(Self.yesLabel)
        let start = box.left + 2 + max(0, (box.innerWidth - noWidth - Self.buttonGap - yesWidth) / 2)
        noColumns = start..<(start + noWidth)
        let yesStart = noColumns.upperBound + Self.buttonGap
        yesColumns = yesStart..<(yesStart + yesWidth)
    }

    /// The rows the body gets: what room there is; the buttons and the key line always show.
    public var bodyRoom: Int { max(0, box.innerHeight - 4) }

    /// What of `head` and `tail` shows in `room` rows: the question's first line comes first,
    /// then the kept tail, then as much of the rest as fits, the cut marked.
    static func fit(head: [String], tail: [String], room: Int) -> [String] {
        guard head.count + tail.count > room else { return head + tail }
        let tailRoom = min(tail.count, max(0, room - 1))
        let headRoom = room - tailRoom
        guard headRoom >= 2 else { return Array(head.prefix(headRoom) + tail.prefix(tailRoom)) }
        return Array(head.prefix(headRoom - 1)) + [cutMark] + Array(tail.prefix(tailRoom))
    }

    /// The answer of the button at a cell: true for Yes, false for No, nil off the buttons.
    public func answer(row: Int, column: Int) -> Bool? {
        guard row == buttonsRow else { return nil }
        if noColumns.contains(column) { return false }
        if yesColumns.contains(column) { return true }
        return nil
    }
}
