import Foundation
import SodarCache

/// The read side the browser and the command line page through. All lists are keyset-paged:
/// pass the last row of the previous page as `after`.
public protocol CacheBrowsing: Sendable {
    /// Projects in tree order, each with its own totals and its subtree's: siblings in the
    /// query's order, folded categories' descendants left out; with a filter, every project whose
    /// full title contains it (case-insensitive), folds ignored.
    func projectPage(after: ProjectSummary?, limit: Int, query: ProjectQuery) throws -> [ProjectSummary]

    /// Apps of a project (`nil`: site-wide items) by app name; `filter` is a case-insensitive
    /// substring of the app name.
    func appPage(project: UUID?, after: AppSummary?, limit: Int, filter: String?) throws -> [AppSummary]

    /// Items of one app in a project (`nil`: site-wide), sorted; `filter` is a
    /// case-insensitive substring of the name. `app` nil: every app.
    func itemPage(
        project: UUID?, app: String?, sort: ItemSort, after: ItemSummary?, limit: Int, filter: String?
    ) throws -> [ItemSummary]

    /// Every item of the store (all projects and site-wide) in (project full title, app, name) order.
    func allItemsPage(after: ItemSummary?, limit: Int) throws -> [ItemSummary]

    /// One item with its payload, by its UUID.
    func item(uuid: UUID) throws -> CacheItem?

    /// A project by UUID.
    func project(uuid: UUID) throws -> Project?

    /// Totals for the header.
    func totals() throws -> StoreTotals

    // MARK: Reverse keyset: pages ending at a row, or the last page

    /// The `limit` projects just before `before` in `projectPage` order (nil: the last
    /// `limit` projects), in that same order. `G` reads the true last page with it.
    func projectPage(before: ProjectSummary?, limit: Int, query: ProjectQuery) throws -> [ProjectSummary]

    /// The `limit` apps just before `before` in `appPage` order (nil: the last ones), in that order.
    func appPage(project: UUID?, before: AppSummary?, limit: Int, filter: String?) throws -> [AppSummary]

    /// The `limit` items just before `before` in `itemPage` order for `sort` (nil: the last
    /// ones), in that order.
    func itemPage(
        project: UUID?, app: String?, sort: ItemSort, before: ItemSummary?, limit: Int, filter: String?
    ) throws -> [ItemSummary]

    /// Changes whenever any connection commits a write (SQLite's `PRAGMA data_version`
    /// combined with this connection's own writes).
    func changeToken() throws -> Int

    /// On a hot standby, how far it is behind its primary; nil on any other store.
    func standbyStatus() throws -> StandbyStatus?
}

extension CacheBrowsing {
    /// No standby, unless the engine has them.
    public func standbyStatus() throws -> StandbyStatus? { nil }

    /// Projects in tree order (by title), no folds: `projectPage(after:limit:query:)`.
    public func projectPage(after: ProjectSummary?, limit: Int, filter: String?) throws -> [ProjectSummary] {
        try projectPage(after: after, limit: limit, query: ProjectQuery(filter: filter))
    }

    /// `projectPage(before:limit:query:)` in tree order (by title), no folds.
    public func projectPage(before: ProjectSummary?, limit: Int, filter: String?) throws -> [ProjectSummary] {
        try projectPage(before: before, limit: limit, query: ProjectQuery(filter: filter))
    }
}
