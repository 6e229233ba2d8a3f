import Foundation

/// One item a sync unit would change, or did: what a dry run reports and a real sync's
/// summary lists.
public struct SyncItemChange: Sendable, Hashable {
    /// What the unit does to the item.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The store has no such item yet.
        case new
        /// The item's payload differs from the stored one (by structure: key order, whitespace
        /// and, on a store that respells numbers, number spelling do not count).
        case changed
        /// The unit does not write the item, which stays as it is: an item of the unit's app
        /// and project that this run did not produce (a sample that left the study).
        case notWritten = "no_longer_written"
        /// The unit deletes the item (a plugin's own delete; or, for a command that writes the
        /// cache itself, an item its run removed).
        case removed
    }

    public var kind: Kind
    /// The item's project; nil for a site-wide item.
    public var project: UUID?
    public var app: String
    public var name: String
    /// For a changed item: the first few changed paths, as printed (`.samples[3].name`,
    /// terminal-safe). Empty otherwise, and for a change counted without its payloads (a
    /// command that writes the cache itself).
    public var paths: [String]
    /// How many paths changed in all (`paths` may hold fewer).
    public var pathCount: Int

    public init(kind: Kind, project: UUID?, app: String, name: String, paths: [String] = [], pathCount: Int = 0) {
        self.kind = kind
        self.project = project
        self.app = app
        self.name = name
        self.paths = paths
        self.pathCount = max(pathCount, paths.count)
    }

    /// Paths changed beyond those in `paths` ("+N more").
    public var morePaths: Int { pathCount - paths.count }
}
