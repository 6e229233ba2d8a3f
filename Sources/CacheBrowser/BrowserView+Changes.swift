import Foundation
import JSONKit
import SodarCache

extension BrowserView {
    /// A sync's changes (`P`'s preview, `C`'s last sync): the closing line, then the rows.
    static func drawChanges(_ state: BrowserState, preview: Bool, cursor: Int, into screen: inout Screen) {
        let list = state.changeList(preview: preview)
        let rows = list?.rows ?? []
        let index = min(max(0, cursor), max(0, rows.count - 1))
        // The same numbers as a click's hit-test.
        let layout = FindingListLayout(count: rows.count, cursor: index, screenWidth: screen.width, screenHeight: screen.height)
        let box = layout.box
        var title = preview ? "Sync preview" : "Last sync"
        if let list { title += ": " + list.title + " · " + BrowserFormat.age(of: list.endedAt, now: state.now) }
        title += " (Enter: open the item, Esc: close)"
        drawBox(title: title, frame: box, into: &screen)
        screen.put(
            list?.closing ?? "", row: layout.summaryRow, column: box.left + 2, style: CellStyle(.dim), maxWidth: box.innerWidth)
        guard !rows.isEmpty else {
            screen.put("Nothing to list: no app ran", row: layout.row(0), column: box.left + 2, style: CellStyle(.dim), maxWidth: box.innerWidth)
            return
        }
        for i in 0..<min(layout.visible, rows.count) {
            let entry = layout.top + i
            guard entry < rows.count else { break }
            let row = layout.row(i)
            screen.put(rows[entry].text, row: row, column: box.left + 2, style: style(rows[entry].kind), maxWidth: box.innerWidth)
            if entry == index { highlight(row: row, box: box, into: &screen) }
        }
    }

    static func style(_ kind: ChangeRow.Kind) -> CellStyle {
        switch kind {
        case .heading: return CellStyle(.key, bold: true)
        case .app: return .normal
        case .skipped, .more: return CellStyle(.dim)
        case .failed: return CellStyle(.error, bold: true)
        case .item(.new): return CellStyle(.string)
        case .item(.changed): return CellStyle(.number)
        case .item(.removed): return CellStyle(.error)
        case .item(.notWritten): return CellStyle(.stale)
        }
    }

    /// Reverses a list row inside a box (the cursor).
    static func highlight(row: Int, box: BoxFrame, into screen: inout Screen) {
        for x in (box.left + 1)..<(box.left + 3 + box.innerWidth) {
            var style = screen[row, x].style
            style.reverse = true
            screen.restyle(row: row, from: x, count: 1, style: style)
        }
    }
}
