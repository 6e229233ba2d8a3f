import Foundation

/// One kind of trouble the doctor looks for. The raw value is the config's and the output's
/// name (`[doctor] critical = ["orphans", "missing"]`, `"kind": "stale"`).
public enum DoctorCheck: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Items older than the stale threshold, by what an age means on the store.
    case stale
    /// Items whose payload was cleared: `{}`, `[]` or `null` (SODAR writes `{}` to clear a study's tables).
    case cleared
    /// Items whose payload is larger than the oversized threshold.
    case oversized
    /// Items as `deletecache --orphans` finds them: their app is no longer registered, or their
    /// project is gone.
    case orphans
    /// Site-wide items of one app and name stored twice (SODAR's unique constraint lets NULL
    /// projects through).
    case duplicates
    /// Projects without an item the config says every project has (`[apps.NAME] expect`).
    case missing

    /// For the table's detail column and messages.
    public var phrase: String {
        switch self {
        case .stale: return "stale items"
        case .cleared: return "cleared payloads"
        case .oversized: return "oversized payloads"
        case .orphans: return "orphaned items"
        case .duplicates: return "duplicate site-wide items"
        case .missing: return "expected items missing"
        }
    }

    public static func < (lhs: DoctorCheck, rhs: DoctorCheck) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
