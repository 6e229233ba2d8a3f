import Foundation
import SodarCache

/// An item as it was when it was deleted: everything needed to put it back as it was.
public struct TrashedItem: Sendable, Hashable {
    /// The delete it belongs to.
    public var entry: Int64
    public var uuid: UUID
    public var project: UUID?
    public var appName: String
    public var name: String
    public var user: User?
    public var dateModified: Date
    /// The payload bytes as stored.
    public var data: Data

    public init(entry: Int64, uuid: UUID, project: UUID?, appName: String, name: String, user: User?, dateModified: Date, data: Data) {
        self.entry = entry
        self.uuid = uuid
        self.project = project
        self.appName = appName
        self.name = name
        self.user = user
        self.dateModified = dateModified
        self.data = data
    }

    /// `item` as delete `entry` keeps it.
    public init(entry: Int64, item: CacheItem) {
        self.init(
            entry: entry, uuid: item.uuid, project: item.project, appName: item.appName, name: item.name, user: item.user,
            dateModified: item.dateModified, data: item.data)
    }

    /// As a cache item.
    public var item: CacheItem {
        CacheItem(uuid: uuid, project: project, appName: appName, name: name, user: user, data: data, dateModified: dateModified)
    }
}
