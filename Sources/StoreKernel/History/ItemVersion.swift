import Foundation
import SodarCache

/// An earlier version of an item, kept when a write replaced its payload.
public struct ItemVersion: Sendable, Hashable {
    /// The revision: given once, never changed, never given again (larger is later).
    public var rev: Int64
    public var uuid: UUID
    public var project: UUID?
    public var appName: String
    public var name: String
    public var user: User?
    /// When this version was written.
    public var dateModified: Date
    /// When a newer write replaced it.
    public var replacedAt: Date
    public var size: Int
    /// The payload as stored (nil in listings, which do not read it).
    public var data: Data?

    public init(
        rev: Int64, uuid: UUID, project: UUID?, appName: String, name: String, user: User?, dateModified: Date,
        replacedAt: Date, size: Int, data: Data?
    ) {
        self.rev = rev
        self.uuid = uuid
        self.project = project
        self.appName = appName
        self.name = name
        self.user = user
        self.dateModified = dateModified
        self.replacedAt = replacedAt
        self.size = size
        self.data = data
    }

    /// `item` as the version a write at `replacedAt` replaced (its revision given when kept).
    public init(rev: Int64 = 0, replaced item: CacheItem, at replacedAt: Date) {
        self.init(
            rev: rev, uuid: item.uuid, project: item.project, appName: item.appName, name: item.name, user: item.user,
            dateModified: item.dateModified, replacedAt: replacedAt, size: item.data.count, data: item.data)
    }

    /// The item this version was (an empty payload when it was listed without one).
    public var item: CacheItem {
        CacheItem(
            uuid: uuid, project: project, appName: appName, name: name, user: user, data: data ?? Data(), dateModified: dateModified)
    }
}
