import Foundation
import JSONKit
import SodarCache

extension BrowserView {
    /// A sync's changes (`P`'s preview, `C`'s last sync): the closing line, then the rows.
    static func drawChanges(_ state: BrowserState, preview: Bool, cursor: Int, into screen: inout Screen) {
        let list = state.changeList(preview: preview)
        let rows = list?.rows ?? []
        var title = preview ? "Sync preview" : "Last sync"
        if let list { title += ": " + list.title + " · " + BrowserFormat.age(of: list.endedAt, now: state.now) }
        title += " (Enter: open the item, Esc: close)"
        let layout = drawListUnderSummary(
            count: rows.count, cursor: cursor, title: title, summary: list?.closing ?? "", summaryStyle: CellStyle(.dim),
            into: &screen
        ) { entry, row, box, screen in
            screen.put(rows[entry].text, row: row, column: box.left + 2, style: style(rows[entry].kind), maxWidth: box.innerWidth)
        }
        if rows.isEmpty {
            let box = layout.box
            screen.put("Nothing to list: no app ran", row: layout.row(0), column: box.left + 2, style: CellStyle(.dim), maxWidth: box.innerWidth)
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
