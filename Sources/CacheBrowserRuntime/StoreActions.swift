import CacheBrowser
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel

/// What the browser can do to the store besides reading it: sync, delete, and undo a delete.
///
/// The executable implements it with the sync engine and the store (`EngineStoreActions`);
/// tests give a fake. Every method blocks and is called off the UI thread.
public protocol StoreActions: Sendable {
    /// Runs a sync; `events` is called from worker threads as units start and end.
    /// - Throws: what planning throws (unknown project or app, a store error).
    func sync(_ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void) throws
        -> SyncSummary
    /// Deletes these items in one transaction; returns how many were deleted.
    func deleteItems(uuids: [UUID]) throws -> Int
    /// Deletes these items in one transaction, each only while its update time is the one shown;
    /// returns how many were deleted and how many were kept because another writer changed them.
    func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int)
    /// Deletes every item the filter matches in one transaction; returns how many were deleted.
    func deleteItems(matching filter: CacheFilter) throws -> Int
    /// How many items the filter matches.
    func countItems(matching filter: CacheFilter) throws -> Int
    /// The first `limit` items the filter matches (for a delete dialog to name them).
    func items(matching filter: CacheFilter, limit: Int) throws -> [ItemSummary]
    /// A category and every project and category beneath it.
    func subtree(of category: UUID) throws -> [UUID]
    /// Restores the newest delete these actions made and have not undone yet, in one
    /// transaction, never over an item written since; the next call takes the one before.
    /// - Throws: what the store throws (a delete that failed to restore stays the next to undo).
    func undoLastDelete() throws -> UndoOutcome
    /// Runs a sync as a dry run (`P`): the plugins run, nothing is written, the summary's
    /// `changes` say what would change.
    /// - Throws: what planning throws.
    func previewSync(_ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void) throws
        -> SyncSummary
}
