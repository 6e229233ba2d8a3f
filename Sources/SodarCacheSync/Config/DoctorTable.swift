import Foundation
import StoreKernel

/// The config's `[doctor]` table: `sodarcache doctor`'s thresholds and what is critical.
///
/// ```toml
/// [doctor]
/// stale = "30d"                           # items older than this are stale (s m h d w)
/// oversized = "50MB"                      # payloads larger than this are oversized
/// critical = ["missing", "duplicates"]    # kinds that make the check CRITICAL (exit 2)
/// skip = ["stale"]                        # kinds not checked at all
/// ```
enum DoctorTable {
    /// The keys of the table, for the unknown-key message.
    static let keys = ["critical", "oversized", "skip", "stale"]

    /// Reads `[doctor]`; `fail` makes the error for a key path (it knows the file and the line).
    static func parse(_ value: TOMLValue?, fail: ([String], String) -> SyncError) throws -> DoctorSettings {
        guard let value else { return DoctorSettings() }
        guard let table = value.table else {
            throw fail(["doctor"], "expected a table, got \(SodarConfig.describe(value))")
        }
        var settings = DoctorSettings()
        for key in table.keys.sorted() {
            guard let entry = table[key] else { continue }
            let path = ["doctor", key]
            switch key {
            case "stale":
                guard let text = entry.string, let seconds = Durations.seconds(text), seconds > 0 else {
                    throw fail(path, "expected a duration such as \"30d\" (units s, m, h, d, w), got \(SodarConfig.describe(entry))")
                }
                settings.staleAfter = seconds
            case "oversized":
                if let bytes = entry.integer, bytes > 0 {
                    settings.oversizedBytes = bytes
                } else if let text = entry.string, let bytes = SodarConfig.parseSize(text) {
                    settings.oversizedBytes = bytes
                } else {
                    throw fail(path, "expected a positive size such as \"50MB\", \"1GB\" or a byte count, got \(SodarConfig.describe(entry))")
                }
            case "critical":
                settings.critical = try checks(entry, path, fail)
            case "skip":
                settings.skipped = try checks(entry, path, fail)
            default:
                throw fail(path, "unknown key (known: \(keys.joined(separator: ", ")))")
            }
        }
        if let both = DoctorCheck.allCases.first(where: { settings.critical.contains($0) && settings.skipped.contains($0) }),
            table["critical"] != nil
        {
            throw fail(["doctor", "skip"], "\"\(both.rawValue)\" is both critical and skipped")
        }
        return settings
    }

    /// An array of check names (an empty one: none).
    private static func checks(
        _ value: TOMLValue, _ path: [String], _ fail: ([String], String) -> SyncError
    ) throws -> Set<DoctorCheck> {
        let known = DoctorCheck.allCases.map(\.rawValue).joined(separator: ", ")
        guard let array = value.array else {
            throw fail(path, "expected an array of check names (\(known)), got \(SodarConfig.describe(value))")
        }
        var checks: Set<DoctorCheck> = []
        for element in array {
            guard let name = element.string, let check = DoctorCheck(rawValue: name) else {
                throw fail(path, "expected one of \(known), got \(SodarConfig.describe(element))")
            }
            checks.insert(check)
        }
        return checks
    }
}
