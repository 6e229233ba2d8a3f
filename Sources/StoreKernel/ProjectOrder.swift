import Foundation
import SodarCache

/// How siblings are ordered in the project tree. The tree stays a tree: children follow their
/// parent, and only siblings are ordered, as ncdu orders a directory.
public enum ProjectOrder: String, Sendable, Hashable, CaseIterable {
    /// By title (case-folded), then UUID: the store's tree order.
    case name
    /// Largest subtree first (bytes), ties by name.
    case size
    /// Most recently updated subtree first, ties by name; never-updated ones last.
    case updated
}
