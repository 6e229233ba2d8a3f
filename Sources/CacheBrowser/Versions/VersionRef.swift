import Foundation

/// Which version of an item: the one in the store now, a revision its history kept, or a
/// copy a delete kept in the trash.
public enum VersionRef: Sendable, Hashable {
    case current
    /// A history revision (`sodarcache history` lists it, `diff --rev K` compares it).
    case revision(Int64)
    /// The item as delete `entry` kept it (`sodarcache trash` lists it, `diff --trash ID`).
    case trashed(entry: Int64, uuid: UUID)

    /// "current", "revision 3", "trash 7": how the list and the diff name it.
    public var label: String {
        switch self {
        case .current: return "current"
        case .revision(let rev): return "revision \(rev)"
        case .trashed(let entry, _): return "trash \(entry)"
        }
    }
}
