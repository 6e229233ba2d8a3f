import Foundation

/// The items of one app in one project (nil: the site-wide items): what a sync unit writes,
/// and what its change report reads before the unit's writes land.
public struct ItemScope: Sendable, Hashable {
    public var project: UUID?
    public var app: String

    public init(project: UUID?, app: String) {
        self.project = project
        self.app = app
    }
}
