import Foundation

/// The trash of a store: the deletes it kept, newest first, to restore or purge.
///
/// On sodarcache's own stores it lives in the store (written in the delete's transaction);
/// on a SODAR site, whose schema must not change, in the site's local store.
public protocol TrashKeeping: Sendable {
    /// Deletes kept, newest first.
    func trashEntries(limit: Int) throws -> [TrashEntry]

    /// One delete, if it is still kept.
    func trashEntry(id: Int64) throws -> TrashEntry?

    /// The items one delete kept, in (project, app, name) order, with their payloads.
    func trashedItems(entry: Int64) throws -> [TrashedItem]

    /// The copies of one item (by project, app and name) that deletes kept, newest delete
    /// first, without payloads: the browser's version list.
    func trashedCopies(appName: String, name: String, project: UUID?) throws -> [TrashedCopy]

    /// One item as a delete kept it, with its payload; nil when that delete kept no such item
    /// (restored, purged, or never there).
    func trashedItem(entry: Int64, uuid: UUID) throws -> TrashedItem?

    /// Puts the items of these deletes back as they were (same UUID, payload, user, update
    /// time) in one transaction, never over an item written since: those are skipped and
    /// stay in the trash.
    /// - Throws: `CacheError.invalidArgument` naming an id that is not in the trash.
    func restore(entries: [Int64]) throws -> RestoreReport

    /// Purges deletes made before `before` (nil: every one), and only those: not the oldest
    /// past the policy's size cap, which a lowered `max_size` may put newer deletes past (a
    /// purge's confirmation counts what it was asked about; the cap applies as deletes are kept).
    /// - Returns: how many deletes and items went.
    @discardableResult
    func purgeTrash(before: Date?) throws -> (entries: Int, items: Int)

    /// The deletes this store instance made, oldest first (the browser's undo).
    var deletesThisSession: [Int64] { get }
}
