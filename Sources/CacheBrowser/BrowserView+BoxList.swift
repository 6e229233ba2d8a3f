extension BrowserView {
    /// A list in a box under a summary row (the doctor's findings, the audit trail, a sync's
    /// changes), where `BoxListLayout.underSummary` puts it, the same numbers as a click's
    /// hit-test: the box titled `title`, the summary, then each shown entry drawn by
    /// `drawEntry(entry, row, box, &screen)`, the cursor's row reversed.
    /// - Returns: the layout, for a line where there is no entry.
    @discardableResult
    static func drawListUnderSummary(
        count: Int, cursor: Int, title: String, summary: String, summaryStyle: CellStyle, into screen: inout Screen,
        drawEntry: (_ entry: Int, _ row: Int, _ box: BoxFrame, inout Screen) -> Void
    ) -> BoxListLayout {
        let index = min(max(0, cursor), max(0, count - 1))
        let layout = BoxListLayout.underSummary(count: count, cursor: index, screenWidth: screen.width, screenHeight: screen.height)
        let box = layout.box
        drawBox(title: title, frame: box, into: &screen)
        screen.put(summary, row: layout.summaryRow, column: box.left + 2, style: summaryStyle, maxWidth: box.innerWidth)
        for i in 0..<min(layout.visible, count) {
            let entry = layout.top + i
            guard entry < count else { break }
            let row = layout.row(i)
            drawEntry(entry, row, box, &screen)
            if entry == index { highlight(row: row, box: box, into: &screen) }
        }
        return layout
    }
}
