import Foundation

/// One delete kept in the trash: when, by whom, by which command, and how much.
public struct TrashEntry: Sendable, Hashable, Identifiable {
    /// Given by the store, increasing: a later delete has a larger id.
    public var id: Int64
    public var deletedAt: Date
    public var osUser: String
    /// The database role, where the store has roles.
    public var role: String?
    public var host: String
    public var command: String
    /// Items kept (those restored since are no longer counted).
    public var items: Int
    /// Their payload bytes.
    public var bytes: Int64
    /// The apps of its items, sorted.
    public var apps: [String]
    /// How many distinct projects its items were in (site-wide counts as one).
    public var projects: Int

    public init(
        id: Int64, deletedAt: Date, osUser: String, role: String?, host: String, command: String,
        items: Int, bytes: Int64, apps: [String], projects: Int
    ) {
        self.id = id
        self.deletedAt = deletedAt
        self.osUser = osUser
        self.role = role
        self.host = host
        self.command = command
        self.items = items
        self.bytes = bytes
        self.apps = apps
        self.projects = projects
    }
}
