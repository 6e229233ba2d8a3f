import Foundation
import StoreKernel

/// `[history]`: how many earlier versions of an item a store keeps (`versions`, 0: none) and
/// the size over which a payload keeps none (`max_size`); `[apps.NAME] history = N` per app.
public struct HistorySettings: Sendable, Hashable {
    public var versions = HistoryPolicy.standard.versions
    public var maxBytes = HistoryPolicy.standard.maxBytes
    /// The config has a `[history]` table: writing commands make it the store's policy (without
    /// one, the store keeps the policy it has, which another host's config may have set).
    public var given = false

    public init() {}

    /// The keys of the table, for the unknown-key message.
    static let keys = ["max_size", "versions"]

    /// The store's policy these settings and the apps' own make; nil when the config says nothing
    /// of history.
    public func policy(apps: [AppDeclaration]) -> HistoryPolicy? {
        guard given || apps.contains(where: { $0.history != nil }) else { return nil }
        var perApp: [String: Int] = [:]
        for app in apps { if let history = app.history { perApp[app.name] = history } }
        return HistoryPolicy(versions: versions, perApp: perApp, maxBytes: maxBytes)
    }

    static func parse(_ value: TOMLValue?, fail: ([String], String) -> SyncError) throws -> HistorySettings {
        guard let value else { return HistorySettings() }
        guard let table = value.table else {
            throw fail(["history"], "expected a table, got \(SodarConfig.describe(value))")
        }
        var settings = HistorySettings()
        settings.given = true
        for key in table.keys.sorted() {
            guard let entry = table[key] else { continue }
            let path = ["history", key]
            switch key {
            case "versions":
                guard let versions = entry.integer, versions >= 0, versions <= 1000 else {
                    throw fail(path, "expected how many earlier versions to keep, 0 to 1000, got \(SodarConfig.describe(entry))")
                }
                settings.versions = versions
            case "max_size":
                guard let text = entry.string, let bytes = SodarConfig.parseSize(text) else {
                    throw fail(path, "expected a size such as \"64MB\", got \(SodarConfig.describe(entry))")
                }
                settings.maxBytes = Int64(bytes)
            default:
                throw fail(path, "unknown key (known: \(keys.joined(separator: ", ")))")
            }
        }
        return settings
    }
}
