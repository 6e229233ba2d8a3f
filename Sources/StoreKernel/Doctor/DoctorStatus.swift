import Foundation

/// The outcome of a check, as monitoring plugins report it (Nagios, Icinga and their kin read
/// the exit status): the raw value is the exit status.
public enum DoctorStatus: Int32, Sendable, Hashable, Comparable, CaseIterable {
    /// Nothing found.
    case ok = 0
    /// Findings, none of a kind the config marks critical.
    case warning = 1
    /// At least one finding of a kind the config marks critical.
    case critical = 2
    /// The store could not be checked (unreachable, unreadable).
    case unknown = 3

    /// "OK", "WARNING", "CRITICAL", "UNKNOWN": the words monitoring plugins print.
    public var label: String {
        switch self {
        case .ok: return "OK"
        case .warning: return "WARNING"
        case .critical: return "CRITICAL"
        case .unknown: return "UNKNOWN"
        }
    }

    public static func < (lhs: DoctorStatus, rhs: DoctorStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}
