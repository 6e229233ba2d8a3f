import Foundation

/// SODAR Cache's backend API (`SODARCacheAPI`), over some store.
///
/// Semantics follow SODAR Core with two fixes: the update time is the time of the last
/// write, and `project: nil` means exactly the site-wide item.
public protocol CacheBackend: Sendable {
    /// Creates or replaces the item (project, appName, name).
    /// Keeps the item's previous user when `user` is nil. Writes need a registered app.
    /// - Throws: `CacheError.unknownApp`, `.unsupportedDataType`, `.invalidJSON`; nothing is written then.
    @discardableResult
    func setCacheItem(
        appName: String, name: String, data: Data, dataType: String, project: UUID?, user: User?
    ) throws -> CacheItem

    /// Writes all items in one transaction: all of them land, or none.
    /// - Returns: the number of items written.
    @discardableResult
    func setCacheItems(_ writes: [CacheWrite]) throws -> Int

    /// Applies the deletes, then the writes, in one transaction: all of it lands, or none.
    /// (A sync unit's result: what a plugin removed and what it wrote.) Every engine implements
    /// it itself: there is no default, since one made of separate calls would not be atomic.
    /// - Returns: the number of items written.
    @discardableResult
    func commitBatch(deleting: [CacheDeletion], writing: [CacheWrite]) throws -> Int

    /// The item, or nil when there is none. The app need not be registered: items of an app
    /// no longer registered stay readable (only writes check registration).
    func getCacheItem(appName: String, name: String, project: UUID?) throws -> CacheItem?

    /// The time of the item's last write in seconds since 1970, or nil (any app, registered or not).
    func getUpdateTime(appName: String, name: String, project: UUID?) throws -> Double?

    /// Every item of a project (`nil`: the site-wide items), ordered by app name and name.
    func getProjectCache(project: UUID?, dataType: String) throws -> [CacheItem]

    /// Deletes all items, or those of one app and/or one project. The app need not be
    /// registered: this is how the items of an app no longer registered are removed.
    /// - Returns: the number of items deleted.
    @discardableResult
    func deleteCache(appName: String?, project: UUID?) throws -> Int

    /// Deletes one item; silent when it does not exist. The app need not be registered.
    func deleteCacheItem(appName: String, name: String, project: UUID?) throws
}

/// One delete of `CacheBackend.commitBatch(deleting:writing:)`.
public enum CacheDeletion: Sendable, Hashable {
    /// As `deleteCache(appName:project:)`.
    case all(appName: String?, project: UUID?)
    /// As `deleteCacheItem(appName:name:project:)`.
    case item(appName: String, name: String, project: UUID?)
}

extension CacheBackend {
    @discardableResult
    public func setCacheItem(
        appName: String, name: String, data: Data, dataType: String = "json", project: UUID? = nil,
        user: User? = nil
    ) throws -> CacheItem {
        try setCacheItem(
            appName: appName, name: name, data: data, dataType: dataType, project: project, user: user)
    }

    public func getCacheItem(appName: String, name: String) throws -> CacheItem? {
        try getCacheItem(appName: appName, name: name, project: nil)
    }

    public func getProjectCache(project: UUID?) throws -> [CacheItem] {
        try getProjectCache(project: project, dataType: "json")
    }

    @discardableResult
    public func deleteCache() throws -> Int { try deleteCache(appName: nil, project: nil) }
}
