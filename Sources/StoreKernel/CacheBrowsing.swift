import Foundation
import SodarCache

/// A project with what it caches, for the browser's project tree.
public struct ProjectSummary: Sendable, Hashable {
    public var project: Project
    /// Number of ancestors (0 for a top-level category or project).
    public var depth: Int
    /// Items cached for this project itself (not its children).
    public var itemCount: Int
    public var latestUpdate: Date?
    /// Bytes of this project's own items.
    public var bytes: Int
    /// Totals of the whole subtree (a project's are its own). Nil while a category's are not
    /// known yet (a large SODAR table is still being counted).
    public var subtree: ProjectTotals?
    /// Direct children.
    public var childCount: Int
    /// The subtree's bytes as a share of its parent's (top level: of all projects' bytes),
    /// 0...1, for the size bar. Nil when the subtree totals are not known.
    public var share: Double?
    /// False while the bytes are not counted yet (a large SODAR table, before its background
    /// count): `bytes` and the subtree's bytes then read 0 but mean "unknown".
    public var bytesKnown: Bool

    public init(
        project: Project, depth: Int, itemCount: Int, latestUpdate: Date?, bytes: Int = 0,
        subtree: ProjectTotals? = nil, childCount: Int = 0, share: Double? = nil, bytesKnown: Bool = true
    ) {
        self.project = project
        self.depth = depth
        self.itemCount = itemCount
        self.latestUpdate = latestUpdate
        self.bytes = bytes
        self.subtree = subtree
        self.childCount = childCount
        self.share = share
        self.bytesKnown = bytesKnown
    }

    /// Whether a row shows its whole subtree's totals: a category, or a project with children.
    /// A childless project's are its own.
    public static func showsSubtree(type: Project.Kind, childCount: Int) -> Bool {
        type == .category || childCount > 0
    }

    /// A subtree's bytes as a share of its parent's, 0...1 (0 when the parent has none).
    public static func share(of bytes: Int, in parentBytes: Int) -> Double {
        parentBytes > 0 ? min(1, Double(bytes) / Double(parentBytes)) : 0
    }
}

/// One app's items within a project (or the site-wide items).
public struct AppSummary: Sendable, Hashable {
    public var appName: String
    public var itemCount: Int
    public var latestUpdate: Date?
    public var totalSize: Int

    public init(appName: String, itemCount: Int, latestUpdate: Date?, totalSize: Int) {
        self.appName = appName
        self.itemCount = itemCount
        self.latestUpdate = latestUpdate
        self.totalSize = totalSize
    }
}

/// An item without its payload, for lists.
public struct ItemSummary: Sendable, Hashable {
    public var uuid: UUID
    public var project: UUID?
    public var appName: String
    public var name: String
    public var user: String?
    public var dateModified: Date
    /// Payload size in bytes.
    public var size: Int
    /// The row's version as read, where the engine has one that every write moves (PostgreSQL's
    /// `xmin`: SODAR's own rewrites never move `date_modified`); nil where the update time is it.
    public var version: Int64?

    public init(
        uuid: UUID, project: UUID?, appName: String, name: String, user: String?,
        dateModified: Date, size: Int, version: Int64? = nil
    ) {
        self.version = version
        self.uuid = uuid
        self.project = project
        self.appName = appName
        self.name = name
        self.user = user
        self.dateModified = dateModified
        self.size = size
    }
}

/// An item as a dialog showed it: what a delete compares before it deletes, so that an item
/// written or rewritten since is kept.
public struct ShownItem: Sendable, Hashable {
    public var dateModified: Date
    /// The row version (`ItemSummary.version`), where the engine has one.
    public var version: Int64?

    public init(dateModified: Date, version: Int64? = nil) {
        self.dateModified = dateModified
        self.version = version
    }

    public init(_ item: ItemSummary) {
        self.init(dateModified: item.dateModified, version: item.version)
    }
}

/// Orders for item lists. Name ascending; updated and size newest/largest first.
public enum ItemSort: String, Sendable, Hashable, CaseIterable {
    case name
    case updated
    case size
}

/// Store-wide totals for the browser's header.
public struct StoreTotals: Sendable, Hashable {
    /// Projects of type PROJECT.
    public var projects: Int
    /// Projects of type CATEGORY.
    public var categories: Int
    public var items: Int
    public var bytes: Int
    public var siteItems: Int
    /// Items and bytes are an estimate, counted exactly later (a large SODAR table keeps no
    /// totals); shown with a `~`.
    public var estimated: Bool

    public init(projects: Int, categories: Int = 0, items: Int, bytes: Int, siteItems: Int, estimated: Bool = false) {
        self.projects = projects
        self.categories = categories
        self.items = items
        self.bytes = bytes
        self.siteItems = siteItems
        self.estimated = estimated
    }
}

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
}

extension CacheBrowsing {
    /// Projects in tree order (by title), no folds: `projectPage(after:limit:query:)`.
    public func projectPage(after: ProjectSummary?, limit: Int, filter: String?) throws -> [ProjectSummary] {
        try projectPage(after: after, limit: limit, query: ProjectQuery(filter: filter))
    }

    /// `projectPage(before:limit:query:)` in tree order (by title), no folds.
    public func projectPage(before: ProjectSummary?, limit: Int, filter: String?) throws -> [ProjectSummary] {
        try projectPage(before: before, limit: limit, query: ProjectQuery(filter: filter))
    }
}
