import Foundation

/// What the doctor checks and where it draws the lines: the config's `[doctor]` table and the
/// apps' `expect` keys.
public struct DoctorSettings: Sendable, Hashable {
    /// 30 days.
    public static let defaultStaleAfter: TimeInterval = 30 * 86400
    /// 50 MiB.
    public static let defaultOversized = 50 * 1024 * 1024
    /// Expected items missing and site-wide items stored twice: both make SODAR show wrong
    /// figures (a category's sums, the wrong one of two items). The others waste space or time.
    public static let defaultCritical: Set<DoctorCheck> = [.missing, .duplicates]

    /// Items whose age is beyond this are stale (`stale = "30d"`).
    public var staleAfter: TimeInterval
    /// Payloads of more bytes than this are oversized (`oversized = "50MB"`).
    public var oversizedBytes: Int
    /// Kinds whose findings make the check critical (exit 2) rather than a warning (exit 1).
    public var critical: Set<DoctorCheck>
    /// Kinds not checked at all (`skip = ["stale"]`).
    public var skipped: Set<DoctorCheck>
    /// Items every project (or the site) should have.
    public var expectations: [DoctorExpectation]
    /// Items named per finding (the JSON output's `items`, the browser's jump target).
    public var examplesPerFinding: Int

    public init(
        staleAfter: TimeInterval = DoctorSettings.defaultStaleAfter, oversizedBytes: Int = DoctorSettings.defaultOversized,
        critical: Set<DoctorCheck> = DoctorSettings.defaultCritical, skipped: Set<DoctorCheck> = [],
        expectations: [DoctorExpectation] = [], examplesPerFinding: Int = 5
    ) {
        self.staleAfter = staleAfter
        self.oversizedBytes = oversizedBytes
        self.critical = critical
        self.skipped = skipped
        self.expectations = expectations
        self.examplesPerFinding = examplesPerFinding
    }

    /// Whether a kind's findings are critical.
    public func severity(of check: DoctorCheck) -> DoctorStatus {
        critical.contains(check) ? .critical : .warning
    }
}
