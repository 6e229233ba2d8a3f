import Foundation
import SodarCache
import StoreKernel

/// What `deletecache` deletes: SODAR's `delete_cache(app_name, project)` plus age, orphan and
/// dry-run options.
public struct DeleteCacheRequest: Sendable, Hashable {
    /// Only this project's items; nil: every project's and the site-wide items.
    public var project: UUID?
    /// Only the site-wide items (ignored when `project` is given).
    public var site: Bool
    /// Only this app's items.
    public var app: String?
    /// Only items last written before this time.
    public var olderThan: Date?
    /// Only items whose app is no longer registered.
    public var orphans: Bool
    /// Count and list, delete nothing.
    public var dryRun: Bool
    /// With a category as `project`: every project beneath it too (SODAR's meaning, without
    /// it, is the category's own items).
    public var subtree = false

    public init(project: UUID? = nil, site: Bool = false, app: String? = nil, olderThan: Date? = nil, orphans: Bool = false, dryRun: Bool = false) {
        self.project = project
        self.site = site
        self.app = app
        self.olderThan = olderThan
        self.orphans = orphans
        self.dryRun = dryRun
    }

    /// The items this request applies to.
    public func filter(registeredApps: [String]) -> CacheFilter {
        CacheFilter(
            scope: project.map { .project($0) } ?? (site ? .site : .all), appName: app, olderThan: olderThan,
            appNotIn: orphans ? Set(registeredApps) : nil)
    }
}
