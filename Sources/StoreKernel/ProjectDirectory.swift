import Foundation
import SodarCache

/// The projects a store knows: SODAR's project tree, kept next to the cache.
public protocol ProjectDirectory: Sendable {
    /// Adds a project. The parent, when given, must exist and be a category.
    /// - Throws: `CacheError.projectNotFound` for an unknown parent, `.invalidArgument` for a
    ///   parent that is not a category or a UUID already taken.
    @discardableResult
    func addProject(_ project: Project) throws -> Project

    /// Replaces a project's fields by UUID (title, type, parent, description, path); full
    /// titles of its descendants follow.
    @discardableResult
    func updateProject(_ project: Project) throws -> Project

    /// Creates or updates every project by UUID in one transaction (parents may come after
    /// children in the list); nothing is written when any record is bad.
    /// - Returns: how many were created and how many updated.
    func importProjects(_ projects: [Project]) throws -> (created: Int, updated: Int)

    /// A project by UUID, or nil.
    func project(uuid: UUID) throws -> Project?

    /// Every project in tree order (by full title).
    func allProjects() throws -> [Project]
}

/// Which items an operation applies to.
public struct CacheFilter: Sendable, Hashable {
    /// Which projects' items.
    public enum Scope: Sendable, Hashable {
        /// Every project's items and the site-wide ones.
        case all
        /// Only the site-wide items.
        case site
        /// Only this project's items.
        case project(UUID)
    }

    public var scope: Scope
    public var appName: String?
    /// Only items last written before this time.
    public var olderThan: Date?
    /// Orphans: only items whose app is *not* one of these, or whose project no longer exists.
    public var appNotIn: Set<String>?

    public init(scope: Scope = .all, appName: String? = nil, olderThan: Date? = nil, appNotIn: Set<String>? = nil) {
        self.scope = scope
        self.appName = appName
        self.olderThan = olderThan
        self.appNotIn = appNotIn
    }
}

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

    /// How many items match, per app name.
    func countItems(matching filter: CacheFilter) throws -> [String: Int]

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

/// Everything a full store offers: the cache API, browsing, projects and maintenance.
public typealias CacheStore = CacheBackend & CacheBrowsing & ProjectDirectory & CacheMaintenance
