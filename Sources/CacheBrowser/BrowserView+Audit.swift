import Foundation
import JSONKit
import StoreKernel

extension BrowserView {
    /// The audit pane (`L`): a line on where the entries come from, then this session's and the
    /// store's recent entries, newest first, one per row.
    static func drawAudit(_ state: BrowserState, cursor: Int, into screen: inout Screen) {
        let trail = state.auditTrail
        let rows = state.auditRows
        var title = "Audit log"
        if trail?.loading == true { title += " " + spinner(state) + " reading…" }
        title += " (Enter: go to the item, r: again, Esc: close)"
        let layout = drawListUnderSummary(
            count: rows.count, cursor: cursor, title: title,
            summary: trail?.failure.map { "Could not read the audit trail: " + $0 }
                ?? "Newest first: when, who (role), host, command, action, outcome, what",
            summaryStyle: trail?.failure == nil ? CellStyle(.dim) : CellStyle(.error, bold: true), into: &screen
        ) { entry, row, box, screen in
            switch rows[entry] {
            case .heading(let text):
                screen.put(text, row: row, column: box.left + 2, style: CellStyle(.key, bold: true), maxWidth: box.innerWidth)
            case .entry(let audit):
                drawAuditEntry(audit, state: state, row: row, box: box, into: &screen)
            }
        }
        if rows.isEmpty && trail?.failure == nil {
            let box = layout.box
            screen.put("Reading the audit trail…", row: layout.row(0), column: box.left + 2, style: CellStyle(.dim), maxWidth: box.innerWidth)
        }
    }

    /// An entry's row. Where the box is narrower than 90 columns, what it did comes first and
    /// who, where and by which command after it (cut first): the minute, the action, the outcome.
    private static func drawAuditEntry(_ entry: AuditEntry, state: BrowserState, row: Int, box: BoxFrame, into screen: inout Screen) {
        var column = box.left + 2
        let end = box.left + 2 + box.innerWidth
        func put(_ text: String, _ style: CellStyle = .normal) {
            column += screen.put(text, row: row, column: column, style: style, maxWidth: max(0, end - column))
        }
        let ok = entry.outcome == "ok"
        let outcome = ok ? "ok" : entry.outcome.padded(to: min(16, Display.width(Display.escape(entry.outcome))))
        let outcomeStyle = ok ? CellStyle(.dim) : CellStyle(.error, bold: true)
        let who = entry.osUser + (entry.role.map { " (\($0))" } ?? "")
        let time = BrowserFormat.minuteTime(entry.at, timeZone: state.timeZone)
        let what = state.namingProjects(entry.what)
        if box.innerWidth < 90 {
            put("  " + time.dropFirst(5) + " ", CellStyle(.dim))
            put(entry.action.padded(to: 8) + " ")
            put(outcome + "  ", outcomeStyle)
            put(what + "  ")
            put(who + "@" + entry.host + " " + entry.command, CellStyle(.dim))
            return
        }
        // The year only where there is room for it.
        put("  " + (box.innerWidth < 110 ? String(time.dropFirst(5)) : time) + "  ", CellStyle(.dim))
        put(who.padded(to: 12) + " ")
        put(entry.host.padded(to: 10) + " ", CellStyle(.dim))
        put(entry.command.padded(to: 9) + " ", CellStyle(.key))
        put(entry.action.padded(to: 8) + " ")
        put(outcome + "  ", outcomeStyle)
        put(what)
    }
}
