import Foundation

/// Whether this browser's deletes can be taken back, as its delete dialogs say and `u` needs.
public enum DeleteUndo: Sendable, Hashable {
    /// Deletes are kept in the store's trash for `keep` seconds: `u` (or `sodarcache trash
    /// restore`) puts them back until then.
    case trash(keep: TimeInterval)
    /// Deletes are for good; `reason` says why when it is known ("the trash is off (--no-trash)").
    case off(reason: String?)

    /// Whether a delete keeps its items.
    public var keepsDeletes: Bool {
        if case .trash = self { return true }
        return false
    }
}
