import Foundation

/// Whether this browser's deletes can be taken back, as its delete dialogs say and `u` needs.
public enum DeleteUndo: Sendable, Hashable {
    /// Deletes are kept in the store's trash for `keep` seconds: `u` (or `sodarcache trash
    /// restore`) puts them back until then. A delete of more than `maxBytes` of payloads cannot
    /// be kept (`[trash] max_size`).
    case trash(keep: TimeInterval, maxBytes: Int64)
    /// Deletes are for good; `reason` says why when it is known ("the trash is off (--no-trash)").
    case off(reason: String?)

    /// Whether a delete of `bytes` of payloads is kept.
    public func keeps(bytes: Int) -> Bool {
        if case .trash(_, let maxBytes) = self { return Int64(bytes) <= maxBytes }
        return false
    }
}
