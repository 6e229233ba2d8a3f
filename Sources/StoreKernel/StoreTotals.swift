import Foundation
import SodarCache

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
