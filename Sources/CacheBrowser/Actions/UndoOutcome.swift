import Foundation
import StoreKernel

/// What `u` did: which of this session's deletes it took back, and how it went.
public enum UndoOutcome: Sendable, Hashable {
    /// The delete `entry` (its trash id) was restored: what came back and what was kept.
    case restored(entry: Int64, report: RestoreReport)
    /// Every delete this session made has been undone already (or it made none).
    case nothingLeft
    /// The delete `entry` is no longer in the trash (purged since: by age, by the size cap, by
    /// `sodarcache trash purge`; or restored by another process); the next `u` goes on to the
    /// one before.
    case purged(entry: Int64)
    /// The store was reopened since the delete `entry` (`r` on a replaced file): its trash is
    /// another file's, so none of the deletes made before can be undone here.
    case storeReplaced(entry: Int64)
}
