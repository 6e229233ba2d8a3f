import Foundation
import SodarCache

/// What one pass of the doctor found.
public struct DoctorReport: Sendable, Hashable {
    /// Most severe first, then by kind, place and app.
    public var findings: [DoctorFinding]
    public var settings: DoctorSettings
    /// What an item's age means on this store (stale is judged by it).
    public var itemAges: ItemAges
    /// The kinds checked, in `DoctorCheck` order.
    public var checked: [DoctorCheck]
    /// The kinds not checked, each with why ("skipped in the config", "no config: ...").
    public var notChecked: [DoctorCheck: String]
    /// Items looked at.
    public var itemsExamined: Int
    /// The time ages were measured against.
    public var checkedAt: Date
    /// How long the pass took, in seconds.
    public var duration: TimeInterval

    public init(
        findings: [DoctorFinding], settings: DoctorSettings, itemAges: ItemAges, checked: [DoctorCheck],
        notChecked: [DoctorCheck: String], itemsExamined: Int, checkedAt: Date, duration: TimeInterval
    ) {
        self.findings = findings
        self.settings = settings
        self.itemAges = itemAges
        self.checked = checked
        self.notChecked = notChecked
        self.itemsExamined = itemsExamined
        self.checkedAt = checkedAt
        self.duration = duration
    }

    /// The worst severity found: OK, WARNING or CRITICAL (the exit status).
    public var status: DoctorStatus {
        findings.map(\.severity).max() ?? .ok
    }

    /// The items (for `missing`: the names) found of one kind.
    public func count(of check: DoctorCheck) -> Int {
        findings.filter { $0.check == check }.reduce(0) { $0 + $1.count }
    }

    /// The findings of one severity.
    public func findings(of severity: DoctorStatus) -> [DoctorFinding] {
        findings.filter { $0.severity == severity }
    }
}
