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
    /// True while the bytes are not counted yet (a large SODAR table, before its background
    /// count): `bytes` and the subtree's bytes then read 0 but mean "unknown".
    public var estimated: Bool

    public init(
        project: Project, depth: Int, itemCount: Int, latestUpdate: Date?, bytes: Int = 0,
        subtree: ProjectTotals? = nil, childCount: Int = 0, share: Double? = nil, estimated: Bool = false
    ) {
        self.project = project
        self.depth = depth
        self.itemCount = itemCount
        self.latestUpdate = latestUpdate
        self.bytes = bytes
        self.subtree = subtree
        self.childCount = childCount
        self.share = share
        self.estimated = estimated
    }

    /// A row with its own totals, and, where it shows its subtree's (`showsSubtree`), `subtree`
    /// (nil: not known yet); the share is that of its parent's subtree bytes, `parentBytes` (top
    /// level: all projects'), and none while the bytes are `estimated`.
    public init(
        project: Project, depth: Int, own: ProjectTotals, subtree: ProjectTotals?, childCount: Int, parentBytes: Int,
        estimated: Bool = false
    ) {
        let totals = Self.showsSubtree(type: project.type, childCount: childCount) ? subtree : own
        self.init(
            project: project, depth: depth, itemCount: own.items, latestUpdate: own.latestUpdate, bytes: own.bytes,
            subtree: totals, childCount: childCount,
            share: estimated ? nil : totals.map { Self.share(of: $0.bytes, in: parentBytes) }, estimated: estimated)
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
