import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// How a doctor's finding reads, in the browser's findings view and `sodarcache doctor`'s table.
public enum FindingText {
    /// What the finding says beyond its place, app and count: the oldest stale item, the
    /// largest payload, the names missing. Names come escaped.
    public static func detail(_ finding: DoctorFinding, now: Date) -> String {
        let names = { (items: ArraySlice<ItemSummary>) in items.map { Display.escape($0.name) }.joined(separator: ", ") }
        switch finding.check {
        case .stale:
            guard let oldest = finding.oldest else { return "" }
            return "oldest \(BrowserFormat.age(of: oldest, now: now)): " + names(finding.items.prefix(1))
        case .cleared:
            return names(finding.items.prefix(3)) + (finding.count > min(3, finding.items.count) ? ", …" : "")
        case .oversized:
            return "largest \(BrowserFormat.size(finding.largest)): " + names(finding.items.prefix(1))
        case .orphans:
            return finding.reason ?? ""
        case .duplicates:
            return finding.names.map(Display.escape).joined(separator: ", ") + " stored \(finding.count) times"
        case .missing:
            return finding.names.map(Display.escape).joined(separator: ", ")
        }
    }

    /// "critical" or "warning".
    public static func severity(_ finding: DoctorFinding) -> String {
        finding.severity == .critical ? "critical" : "warning"
    }

    /// The counts of a report by kind, "stale 12 · cleared 3", or "nothing found".
    public static func counts(_ report: DoctorReport) -> String {
        let found = DoctorCheck.allCases.filter { report.count(of: $0) > 0 }.map { "\($0.rawValue) \(BrowserFormat.count(report.count(of: $0)))" }
        return found.isEmpty ? "nothing found" : found.joined(separator: " · ")
    }
}
