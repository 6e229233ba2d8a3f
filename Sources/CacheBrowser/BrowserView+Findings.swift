import Foundation
import JSONKit
import StoreKernel

extension BrowserView {
    /// The doctor's findings: a summary row, then one row per finding, most severe first.
    static func drawFindings(_ state: BrowserState, cursor: Int, into screen: inout Screen) {
        let checkup = state.checkup
        let findings = state.findings
        let index = min(max(0, cursor), max(0, findings.count - 1))
        // The same numbers as a click's hit-test.
        let layout = FindingListLayout(count: findings.count, cursor: index, screenWidth: screen.width, screenHeight: screen.height)
        let box = layout.box
        var title = "Doctor"
        if let report = checkup?.report { title += ": \(report.status.label)" }
        if checkup?.running == true { title += " " + spinner(state) + " checking…" }
        title += " (Enter: go there, r: again, Esc: close)"
        drawBox(title: title, frame: box, into: &screen)
        let summary: String
        var summaryStyle = CellStyle(.dim)
        if let failure = checkup?.failure {
            summary = "Could not check the store: " + failure
            summaryStyle = CellStyle(.error, bold: true)
        } else if let report = checkup?.report {
            let ages = report.itemAges == .lastWrite ? "last written" : report.itemAges.phrase
            summary = "\(FindingText.counts(report)) in \(BrowserFormat.count(report.itemsExamined)) items; stale: \(ages) over "
                + "\(BrowserFormat.duration(report.settings.staleAfter)) ago, oversized: over \(BrowserFormat.size(report.settings.oversizedBytes))"
                + (report.notChecked.isEmpty ? "" : "; not checked: " + DoctorCheck.allCases.filter { report.notChecked[$0] != nil }.map(\.rawValue).joined(separator: ", "))
        } else {
            summary = "Checking the store…"
        }
        screen.put(summary, row: layout.summaryRow, column: box.left + 2, style: summaryStyle, maxWidth: box.innerWidth)
        let now = checkup?.report?.checkedAt ?? state.now
        for i in 0..<min(layout.visible, findings.count) {
            let entry = layout.top + i
            guard entry < findings.count else { break }
            let finding = findings[entry]
            let row = layout.row(i)
            var column = box.left + 2
            let end = box.left + 2 + box.innerWidth
            let severity = FindingText.severity(finding)
            column += screen.put(
                severity.padded(to: 9), row: row, column: column,
                style: finding.severity == .critical ? CellStyle(.error, bold: true) : CellStyle(.stale), maxWidth: end - column)
            column += screen.put(finding.check.rawValue.padded(to: 11), row: row, column: column, style: CellStyle(.key), maxWidth: end - column)
            column += screen.put(BrowserFormat.count(finding.count).rightAligned(to: 5) + "  ", row: row, column: column, maxWidth: max(0, end - column))
            // The project's own title: its path would leave no room (going there shows it).
            let place = (finding.project?.title ?? finding.place) + " · " + finding.app
            column += screen.put(place + "  ", row: row, column: column, maxWidth: max(0, end - column))
            screen.put(FindingText.detail(finding, now: now), row: row, column: column, style: CellStyle(.dim), maxWidth: max(0, end - column))
            if entry == index {
                for x in (box.left + 1)..<(box.left + 3 + box.innerWidth) {
                    var style = screen[row, x].style
                    style.reverse = true
                    screen.restyle(row: row, from: x, count: 1, style: style)
                }
            }
        }
    }
}
