import Foundation

/// What to sync: SODAR's `update_cache(name, project, user)` plus a limit to one app.
public struct SyncRequest: Sendable, Hashable {
    /// Only this project (any type); nil: every project of type PROJECT, plus site-scope apps.
    public var project: UUID?
    /// Only this app.
    public var app: String?
    /// Only this item name (passed to each plugin as `name`).
    public var itemName: String?
    /// Who triggered the sync; recorded on the written items.
    public var user: User?

    public init(project: UUID? = nil, app: String? = nil, itemName: String? = nil, user: User? = nil) {
        self.project = project
        self.app = app
        self.itemName = itemName
        self.user = user
    }
}
