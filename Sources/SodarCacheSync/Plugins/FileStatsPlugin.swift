import Foundation
import SodarCache

/// The built-in `filestats` app: for each project with a `path`, the file counts and sizes of
/// its tree, as `stats/collections` (per top-level directory, SODAR's iRODS stats shape) and
/// `stats/summary` (the whole tree). Projects without a path are skipped silently.
public struct FileStatsPlugin: ProjectAppPlugin {
    /// The app name, always registered.
    public static let appName = "filestats"
    /// The item with per-directory counts.
    public static let collectionsItem = "stats/collections"
    /// The item with the whole tree's counts.
    public static let summaryItem = "stats/summary"

    public init() {}

    public var name: String { Self.appName }
    public var title: String { "File statistics" }
    public var scope: PluginScope { .project }

    public func updateCache(name itemName: String?, project: Project?, user: User?, cache: (any CacheBackend)?) throws {
        guard let cache, let project, let path = project.path, !path.isEmpty else { return }
        if let itemName, itemName != Self.collectionsItem, itemName != Self.summaryItem { return }
        let stats = try FileTreeStats.scan(root: path)
        var writes: [CacheWrite] = []
        if itemName == nil || itemName == Self.collectionsItem {
            writes.append(
                CacheWrite(appName: name, name: Self.collectionsItem, data: stats.collectionsJSON, project: project.uuid, user: user))
        }
        if itemName == nil || itemName == Self.summaryItem {
            writes.append(
                CacheWrite(appName: name, name: Self.summaryItem, data: stats.summaryJSON, project: project.uuid, user: user))
        }
        try cache.setCacheItems(writes)
    }
}
