import Foundation
import SodarCache

/// Items, bytes and the latest update of a set of items: one project's own, or a subtree's.
public struct ProjectTotals: Sendable, Hashable {
    public var items: Int
    public var bytes: Int
    public var latestUpdate: Date?

    public init(items: Int = 0, bytes: Int = 0, latestUpdate: Date? = nil) {
        self.items = items
        self.bytes = bytes
        self.latestUpdate = latestUpdate
    }

    public static let zero = ProjectTotals()

    public mutating func add(_ other: ProjectTotals) {
        items += other.items
        bytes += other.bytes
        if let latest = other.latestUpdate, latest > (latestUpdate ?? .distantPast) { latestUpdate = latest }
    }
}
