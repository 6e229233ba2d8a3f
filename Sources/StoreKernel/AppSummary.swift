import Foundation
import SodarCache

/// One app's items within a project (or the site-wide items).
public struct AppSummary: Sendable, Hashable {
    public var appName: String
    public var itemCount: Int
    public var latestUpdate: Date?
    public var totalSize: Int

    public init(appName: String, itemCount: Int, latestUpdate: Date?, totalSize: Int) {
        self.appName = appName
        self.itemCount = itemCount
        self.latestUpdate = latestUpdate
        self.totalSize = totalSize
    }
}
