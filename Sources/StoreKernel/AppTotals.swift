import Foundation
import SodarCache

/// One app's items across the whole store (every project and the site-wide ones), for metrics.
public struct AppTotals: Sendable, Hashable {
    public var appName: String
    public var items: Int
    /// Bytes of its payloads as stored; nil where the store keeps no sizes and counting them
    /// would read every payload (SODAR's tables: their header total is the kept estimate).
    public var bytes: Int?
    /// The oldest and newest item's time, as the store's ages go (`StoreAdministration.itemAges`).
    public var oldest: Date?
    public var newest: Date?

    public init(appName: String, items: Int, bytes: Int?, oldest: Date?, newest: Date?) {
        self.appName = appName
        self.items = items
        self.bytes = bytes
        self.oldest = oldest
        self.newest = newest
    }
}
