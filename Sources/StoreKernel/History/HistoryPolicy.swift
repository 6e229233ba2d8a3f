import Foundation

/// How many earlier versions of an item a store keeps (`[history]`), per store and per app.
public struct HistoryPolicy: Sendable, Hashable {
    /// Versions kept per item (0: none).
    public var versions: Int
    /// Per app, over `versions`.
    public var perApp: [String: Int]
    /// A payload larger than this keeps no versions.
    public var maxBytes: Int64

    /// Five versions of payloads up to 64 MiB.
    public static let standard = HistoryPolicy(versions: 5, perApp: [:], maxBytes: 64 << 20)
    public static let off = HistoryPolicy(versions: 0, perApp: [:], maxBytes: 0)

    public init(versions: Int, perApp: [String: Int], maxBytes: Int64) {
        self.versions = versions
        self.perApp = perApp
        self.maxBytes = maxBytes
    }

    /// The policy as a store keeps it: one row per app, and `""` for every other app (whose
    /// row also holds the size cap). No rows: nothing kept.
    public init(settings rows: [(app: String, versions: Int, maxBytes: Int64)]) {
        self = .off
        for row in rows {
            if row.app.isEmpty {
                versions = row.versions
                maxBytes = row.maxBytes
            } else {
                perApp[row.app] = row.versions
            }
        }
    }

    /// The rows `init(settings:)` reads back: `""` first, then the apps by name.
    public var settings: [(app: String, versions: Int, maxBytes: Int64)] {
        [("", versions, maxBytes)] + perApp.keys.sorted().map { ($0, perApp[$0] ?? versions, maxBytes) }
    }

    /// The versions kept of `app`'s items.
    public func versions(of app: String) -> Int { perApp[app] ?? versions }

    /// Whether `version` is kept at all: its app keeps versions, and it has a payload within
    /// the size cap.
    public func keeps(_ version: ItemVersion) -> Bool {
        guard let data = version.data else { return false }
        return versions(of: version.appName) > 0 && Int64(data.count) <= maxBytes
    }
}
