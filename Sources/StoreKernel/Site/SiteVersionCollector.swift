import Foundation
import SodarCache

/// The versions one change on a site's tables replaces: those its writes replace (read before
/// them), then the rows its deletes took, apart from items the change writes again (their
/// versions are the writes' own: none when the new payload is the same, as a sync that deletes
/// and rewrites an app's items mostly writes).
public struct SiteVersionCollector: Sendable {
    private struct Key: Hashable {
        var project: UUID?
        var app: [UInt8]
        var name: [UInt8]
    }

    private var replaced: [CacheItem] = []
    private var written: Set<Key> = []

    public init() {}

    /// `writes` replace `old` (only the rows whose payload they change).
    public mutating func wrote(_ writes: [CacheWrite], replacing old: [CacheItem]) {
        for write in writes { written.insert(Key(project: write.project, app: Array(write.appName.utf8), name: Array(write.name.utf8))) }
        replaced += old
    }

    /// The versions to keep, replaced at `at`.
    public func versions(deleted: [TrashedItem], at: Date) -> [ItemVersion] {
        var seen: Set<UUID> = []
        var versions: [ItemVersion] = []
        for item in replaced where seen.insert(item.uuid).inserted {
            versions.append(ItemVersion(replaced: item, at: at))
        }
        for item in deleted where !written.contains(Key(project: item.project, app: Array(item.appName.utf8), name: Array(item.name.utf8))) {
            guard seen.insert(item.uuid).inserted else { continue }
            versions.append(ItemVersion(replaced: item.item, at: at))
        }
        return versions
    }
}
