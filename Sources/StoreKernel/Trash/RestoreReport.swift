import Foundation

/// What a restore put back, and what it left in the trash and why.
public struct RestoreReport: Sendable, Hashable {
    /// Why an item was not put back.
    public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
        /// An item of that name was written since the delete: the newer one is kept.
        case newerItem(Date)
        /// Its project is no longer in the store.
        case projectGone
        /// An item with its UUID is in the store already (restored before).
        case alreadyThere

        public var description: String {
            switch self {
            case .newerItem(let date): "an item of that name was written since (\(CacheTimeText.iso(date))): kept"
            case .projectGone: "its project is no longer in the store"
            case .alreadyThere: "it is in the store already"
            }
        }
    }

    public struct Skipped: Sendable, Hashable {
        public var item: TrashedItem
        public var reason: SkipReason

        public init(item: TrashedItem, reason: SkipReason) {
            self.item = item
            self.reason = reason
        }
    }

    public var restored: [TrashedItem]
    public var skipped: [Skipped]

    public init(restored: [TrashedItem], skipped: [Skipped]) {
        self.restored = restored
        self.skipped = skipped
    }
}

/// Times as the trash prints them: ISO 8601 in UTC, to the second.
public enum CacheTimeText {
    public static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
