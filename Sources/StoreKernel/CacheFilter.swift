import Foundation
import SodarCache

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

    /// The items `CacheDeletion.all(appName:project:)` names: an app's and/or a project's
    /// (`project` nil: every project's and the site-wide ones).
    public init(appName: String?, project: UUID?) {
        self.init(scope: project.map { .project($0) } ?? .all, appName: appName)
    }
}
