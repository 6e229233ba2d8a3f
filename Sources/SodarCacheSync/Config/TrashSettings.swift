import Foundation
import StoreKernel

/// The trash's settings (`[trash]`): whether deletes keep what they delete, for how long, up
/// to what size, and on a SODAR site where this host keeps it.
public struct TrashSettings: Sendable, Hashable {
    public var policy = TrashPolicy.standard
    /// The folder of SODAR sites' local stores, one SQLite file per site in it (a folder a
    /// team shares on this host, for example); nil: `$XDG_DATA_HOME/sodarcache/sites/`.
    public var localStore: String?

    public init(policy: TrashPolicy = .standard, localStore: String? = nil) {
        self.policy = policy
        self.localStore = localStore
    }

    /// The keys of the table, for the unknown-key message.
    static let keys = ["enabled", "keep", "local_store", "max_size"]

    /// Reads `[trash]`; `fail` makes the error for a key path (it knows the file and the line).
    static func parse(_ value: TOMLValue?, fail: ([String], String) -> SyncError) throws -> TrashSettings {
        guard let value else { return TrashSettings() }
        guard let table = value.table else {
            throw fail(["trash"], "expected a table, got \(SodarConfig.describe(value))")
        }
        var settings = TrashSettings()
        for key in table.keys.sorted() {
            guard let entry = table[key] else { continue }
            let path = ["trash", key]
            switch key {
            case "enabled":
                guard let flag = entry.boolean else { throw fail(path, "expected true or false, got \(SodarConfig.describe(entry))") }
                settings.policy.enabled = flag
            case "keep":
                guard let text = entry.string, let seconds = Durations.seconds(text), seconds > 0 else {
                    throw fail(path, "expected a duration such as \"14d\" or \"12h\" (units s, m, h, d, w), got \(SodarConfig.describe(entry))")
                }
                settings.policy.keep = seconds
            case "max_size":
                guard let text = entry.string, let bytes = SodarConfig.parseSize(text) else {
                    throw fail(path, "expected a size such as \"2GB\" or \"500MB\", got \(SodarConfig.describe(entry))")
                }
                settings.policy.maxBytes = Int64(bytes)
            case "local_store":
                guard let text = entry.string, text.hasPrefix("/") else {
                    throw fail(path, "expected an absolute path to a folder (one file per SODAR site in it), got \(SodarConfig.describe(entry))")
                }
                settings.localStore = text
            default:
                throw fail(path, "unknown key (known: \(keys.joined(separator: ", ")))")
            }
        }
        return settings
    }
}
