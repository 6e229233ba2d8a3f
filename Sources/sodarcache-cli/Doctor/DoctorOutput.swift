import CacheBrowser
import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// `doctor`'s two outputs: a table for people (a monitoring plugin's status line first) and
/// JSON for tools. Names and titles from the store are escaped in the table; JSON strings carry
/// them exactly.
enum DoctorOutput {
    /// The plugin status line, a header, one row per finding, and what was not checked.
    static func table(_ report: DoctorReport, store: String) -> String {
        var lines = [statusLine(report)]
        let ages = report.itemAges == .lastWrite ? "last written" : report.itemAges.phrase
        lines.append(
            "Store \(Display.escape(store)): \(BrowserFormat.count(report.itemsExamined)) items checked in "
                + String(format: "%.1f s", report.duration) + "; stale: \(ages) more than "
                + "\(BrowserFormat.duration(report.settings.staleAfter)) ago; oversized: over "
                + BrowserFormat.size(report.settings.oversizedBytes))
        if report.itemAges == .creation {
            lines.append(
                "Ages are creation times: SODAR never moves date_modified on a rewrite and the server keeps no commit timestamps")
        }
        if !report.findings.isEmpty {
            let header = ["SEVERITY", "CHECK", "PROJECT", "APP", "ITEMS", "BYTES", "DETAIL"]
            var rows = [header]
            for finding in report.findings {
                rows.append([
                    FindingText.severity(finding), finding.check.rawValue,
                    Display.escape(finding.place), Display.escape(finding.app), BrowserFormat.count(finding.count),
                    finding.bytes.map(BrowserFormat.size) ?? "-", FindingText.detail(finding, now: report.checkedAt),
                ])
            }
            lines.append("")
            lines += columns(rows, rightAligned: [4, 5])
        }
        let skipped = DoctorCheck.allCases.compactMap { check in report.notChecked[check].map { "\(check.rawValue) (\($0))" } }
        if !skipped.isEmpty {
            lines.append("")
            lines.append("Not checked: " + skipped.joined(separator: "; "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `DOCTOR CRITICAL - missing 3 (critical); stale 12 | stale=12 ...`: what Nagios and its
    /// kin show, with the counts as performance data.
    static func statusLine(_ report: DoctorReport) -> String {
        let perfdata = DoctorCheck.allCases.map { "\($0.rawValue)=\(report.count(of: $0))" }.joined(separator: " ")
        let found = DoctorCheck.allCases.filter { report.count(of: $0) > 0 }.map { check in
            "\(check.rawValue) \(report.count(of: check))" + (report.settings.critical.contains(check) ? " (critical)" : "")
        }
        let summary = found.isEmpty ? "nothing found in \(report.itemsExamined) items" : found.joined(separator: ", ")
        return "DOCTOR \(report.status.label) - \(summary) | \(perfdata)"
    }

    /// Rows padded into columns (the last one unpadded).
    static func columns(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        guard let first = rows.first else { return [] }
        // A very long title must not push every other row's columns off the screen.
        let widths = first.indices.map { column in min(48, rows.map { Display.width($0[column]) }.max() ?? 0) }
        return rows.map { row in
            row.indices.map { column -> String in
                var cell = row[column]
                if column == row.count - 1 { return cell }
                if Display.width(cell) > widths[column] {
                    while Display.width(cell) > widths[column] - 1 { cell.removeLast() }
                    cell += "…"
                }
                let pad = String(repeating: " ", count: widths[column] - Display.width(cell))
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
    }

    // MARK: - JSON

    static func json(_ report: DoctorReport, store: String) -> String {
        let settings = report.settings
        let fields: [(String, String)] = [
            ("status", JSONText.string(report.status.label.lowercased())),
            ("exit_status", String(report.status.rawValue)),
            ("store", JSONText.string(store)),
            ("checked_at", JSONText.string(JSONText.date(report.checkedAt))),
            ("duration_seconds", String(format: "%.3f", report.duration)),
            ("items_examined", String(report.itemsExamined)),
            ("age", JSONText.string(report.itemAges.rawValue)),
            ("settings", JSONText.object([
                ("stale_seconds", String(Int(settings.staleAfter))),
                ("oversized_bytes", String(settings.oversizedBytes)),
                ("critical", array(DoctorCheck.allCases.filter(settings.critical.contains).map { JSONText.string($0.rawValue) })),
                ("skip", array(DoctorCheck.allCases.filter(settings.skipped.contains).map { JSONText.string($0.rawValue) })),
            ])),
            ("checked", array(report.checked.map { JSONText.string($0.rawValue) })),
            ("not_checked", JSONText.object(
                DoctorCheck.allCases.compactMap { check in report.notChecked[check].map { (check.rawValue, JSONText.string($0)) } })),
            ("counts", JSONText.object(DoctorCheck.allCases.map { ($0.rawValue, String(report.count(of: $0))) })),
            ("findings", array(report.findings.map(finding), indent: "    ")),
        ]
        return "{\n" + fields.map { "  " + JSONText.string($0.0) + ": " + $0.1 }.joined(separator: ",\n") + "\n}\n"
    }

    static func finding(_ finding: DoctorFinding) -> String {
        JSONText.object([
            ("check", JSONText.string(finding.check.rawValue)),
            ("severity", JSONText.string(finding.severity == .critical ? "critical" : "warning")),
            ("project", JSONText.string(finding.project?.uuid.sodarString)),
            ("project_title", JSONText.string(finding.project?.fullTitle)),
            ("project_gone", finding.projectGone ? "true" : "false"),
            ("app_name", JSONText.string(finding.app)),
            ("count", String(finding.count)),
            ("bytes", finding.bytes.map(String.init) ?? "null"),
            ("oldest", JSONText.string(finding.oldest.map(JSONText.date))),
            ("largest", String(finding.largest)),
            ("reason", JSONText.string(finding.reason)),
            ("names", array(finding.names.map { JSONText.string($0) })),
            ("items", array(finding.items.map { item in
                JSONText.object([
                    ("uuid", JSONText.string(item.uuid.sodarString)),
                    ("name", JSONText.string(item.name)),
                    ("size", String(item.size)),
                    ("date_modified", JSONText.string(JSONText.date(item.dateModified))),
                ])
            })),
        ])
    }

    /// The JSON of a check that could not run.
    static func unknownJSON(_ message: String, store: String) -> String {
        "{\"status\": \"unknown\", \"exit_status\": 3, \"store\": \(JSONText.string(store)), \"error\": \(JSONText.string(message))}\n"
    }

    static func array(_ elements: [String], indent: String? = nil) -> String {
        guard let indent, !elements.isEmpty else { return "[" + elements.joined(separator: ", ") + "]" }
        return "[\n" + elements.map { indent + $0 }.joined(separator: ",\n") + "\n  ]"
    }
}
