import Foundation
import SodarCache

/// Bulk reads and deletes for `deletecache` and the browser's delete keys.
public protocol CacheMaintenance: Sendable {
    /// Items matching the filter (without payloads), keyset-paged in (project, app, name) order.
    func items(matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary]

    /// Calls `body` with every matching item, page by page in `items(matching:)` order, all
    /// read from one consistent snapshot: writes and deletes that land meanwhile are not seen,
    /// however long `body` takes. A listing made this way is never a mix of two states.
    func forEachItemPage(
        matching filter: CacheFilter, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws

    /// Calls `body` with every item of `scope` (only `appName`'s, when given), page by page in no
    /// promised order (the engine's cheapest: its row ids), all from one consistent snapshot as
    /// `forEachItemPage` reads it. Items of projects that are gone are left out, as there; two
    /// site-wide items of one app and name (SODAR's tables let them through) both come. For
    /// passes over a whole store that need no order: the doctor.
    /// - Throws: `CacheError.projectNotFound` for an unknown project scope, or a store error.
    func scanItems(
        scope: CacheFilter.Scope, appName: String?, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws

    /// How many items match, per app name.
    func countItems(matching filter: CacheFilter) throws -> [String: Int]

    /// Every app's items, bytes and oldest and newest time across the store, by app name:
    /// one aggregate read of what the store keeps per item, never of the payloads (metrics
    /// read it at every scrape).
    func appTotals() throws -> [AppTotals]

    /// Deletes every matching item in one transaction.
    /// - Returns: the number deleted.
    @discardableResult
    func deleteItems(matching filter: CacheFilter) throws -> Int

    /// Deletes these items (by item UUID) in one transaction: all or none.
    /// - Returns: the number deleted (missing ones are not counted).
    @discardableResult
    func deleteItems(uuids: [UUID]) throws -> Int

    /// Deletes these items (by item UUID) in one transaction, each only while its update time
    /// is still the one given, the one a user was shown: an item another writer rewrote since
    /// is kept, with its new data.
    /// - Returns: how many were deleted, and how many were kept because they changed (the rest
    ///   were gone already).
    @discardableResult
    func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int)
}

extension CacheMaintenance {
    /// Keyset pages of `limit` items, each read after the last one's end, until one comes short:
    /// `forEachItemPage`'s walk over an engine's page read (`after`: nil for the first).
    public static func walkPages(
        limit: Int, _ read: (_ after: ItemSummary?) throws -> [ItemSummary], _ body: ([ItemSummary]) throws -> Void
    ) throws {
        var after: ItemSummary?
        while true {
            let page = try read(after)
            if !page.isEmpty { try body(page) }
            guard page.count == limit, let last = page.last else { return }
            after = last
        }
    }

    /// `forEachItemPage` over the scope and app, for an engine whose ordered listing is as cheap
    /// as any other (it too leaves out the items of projects that are gone).
    public func scanItems(
        scope: CacheFilter.Scope, appName: String?, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws {
        try forEachItemPage(matching: CacheFilter(scope: scope, appName: appName), pageSize: pageSize, body)
    }
}
