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

    /// The versions kept of `app`'s items.
    public func versions(of app: String) -> Int { perApp[app] ?? versions }
}
