import Foundation
import JSONKit
import StoreKernel

extension BrowserView {
    /// The doctor's findings: a summary row, then one row per finding, most severe first.
    static func drawFindings(_ state: BrowserState, cursor: Int, into screen: inout Screen) {
        let checkup = state.checkup
        let findings = state.findings
        var title = "Doctor"
        if let report = checkup?.report { title += ": \(report.status.label)" }
        if checkup?.running == true { title += " " + spinner(state) + " checking…" }
        title += " (Enter: go there, r: again, Esc: close)"
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
        let now = checkup?.report?.checkedAt ?? state.now
        drawListUnderSummary(
            count: findings.count, cursor: cursor, title: title, summary: summary, summaryStyle: summaryStyle, into: &screen
        ) { entry, row, box, screen in
            let finding = findings[entry]
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
        }
    }
}
