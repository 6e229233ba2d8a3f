import Foundation

/// One cached JSON item, unique by (project, app name, name).
public struct CacheItem: Sendable, Hashable {
    /// The item's own UUID (`sodar_uuid`).
    public var uuid: UUID
    /// The owning project, or nil for a site-wide item.
    public var project: UUID?
    public var appName: String
    public var name: String
    public var user: User?
    /// The JSON payload exactly as it was given (key order and number spelling kept).
    public var data: Data
    /// The time of the last write.
    public var dateModified: Date

    public init(
        uuid: UUID, project: UUID?, appName: String, name: String, user: User?, data: Data,
        dateModified: Date
    ) {
        self.uuid = uuid
        self.project = project
        self.appName = appName
        self.name = name
        self.user = user
        self.data = data
        self.dateModified = dateModified
    }

    /// The data's size in bytes.
    public var size: Int { data.count }
}

/// One write for `CacheBackend.setCacheItems(_:)`.
public struct CacheWrite: Sendable, Hashable {
    public var appName: String
    public var name: String
    public var data: Data
    public var dataType: String
    public var project: UUID?
    public var user: User?
    /// The modification time to record; nil (the normal case) means now. Set only by imports
    /// and the demo, which need items of various ages.
    public var dateModified: Date?

    public init(
        appName: String, name: String, data: Data, dataType: String = "json", project: UUID? = nil,
        user: User? = nil, dateModified: Date? = nil
    ) {
        self.appName = appName
        self.name = name
        self.data = data
        self.dataType = dataType
        self.project = project
        self.user = user
        self.dateModified = dateModified
    }
}
