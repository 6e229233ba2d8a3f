import Foundation
import SodarCache

/// What the times of a store's items mean.
public enum ItemAges: String, Sendable, Hashable {
    /// Every write moves the update time (sodarcache's own stores).
    case lastWrite = "last_write"
    /// SODAR's tables without commit timestamps: `date_modified` is set when an item is
    /// created and never moved by a rewrite.
    case creation
    /// SODAR's tables with `track_commit_timestamp = on`: the commit time of the row's last
    /// write; rows written before the server kept them show their creation time.
    case commitTime = "commit_time"

    /// For messages and help: "last written", "created", "last written (commit time)".
    public var phrase: String {
        switch self {
        case .lastWrite: return "last written"
        case .creation: return "created"
        case .commitTime: return "last written (commit time)"
        }
    }

    /// Whether deleting by age deletes by the last write.
    public var knowsLastWrite: Bool { self != .creation }
}
