import Foundation
import SodarCache

/// What a project page shows: a filter, folded categories and the siblings' order.
public struct ProjectQuery: Sendable, Hashable {
    /// Case-insensitive substring of the full title. While a filter is set, folds are ignored:
    /// every matching project shows, wherever it is.
    public var filter: String?
    /// Categories whose descendants are hidden; with `foldAll`, the categories left open.
    public var folded: Set<UUID>
    /// Every category is folded except those in `folded` (`z`).
    public var foldAll: Bool
    public var order: ProjectOrder

    public init(filter: String? = nil, folded: Set<UUID> = [], foldAll: Bool = false, order: ProjectOrder = .name) {
        self.filter = filter
        self.folded = folded
        self.foldAll = foldAll
        self.order = order
    }

    /// Whether a category's descendants are hidden.
    public func isFolded(_ uuid: UUID) -> Bool { foldAll != folded.contains(uuid) }

    public var hasFilter: Bool { !(filter ?? "").isEmpty }
    /// Whether a category is folded, or all are.
    public var hasFolds: Bool { foldAll || !folded.isEmpty }
}
