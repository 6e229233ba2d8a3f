/// Where a binding applies.
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    /// Everywhere (unless a more specific binding takes the key).
    case global
    /// The project, app and item lists.
    case lists
    /// The payload view.
    case payload
    /// An item's version list (`H`).
    case versions
    /// The diff of a version against the current payload.
    case diff

    /// The help overlay's section title.
    public var title: String {
        switch self {
        case .global: return "Everywhere"
        case .lists: return "Lists"
        case .payload: return "Payload"
        case .versions: return "Versions (H)"
        case .diff: return "Diff"
        }
    }
}
