import Foundation
import SodarCache

/// An item without its payload, for lists.
public struct ItemSummary: Sendable, Hashable {
    public var uuid: UUID
    public var project: UUID?
    public var appName: String
    public var name: String
    public var user: String?
    public var dateModified: Date
    /// Payload size in bytes.
    public var size: Int
    /// The row's version as read, where the engine has one that every write moves (PostgreSQL's
    /// `xmin`: SODAR's own rewrites never move `date_modified`); nil where the update time is it.
    public var version: Int64?

    public init(
        uuid: UUID, project: UUID?, appName: String, name: String, user: String?,
        dateModified: Date, size: Int, version: Int64? = nil
    ) {
        self.version = version
        self.uuid = uuid
        self.project = project
        self.appName = appName
        self.name = name
        self.user = user
        self.dateModified = dateModified
        self.size = size
    }
}
