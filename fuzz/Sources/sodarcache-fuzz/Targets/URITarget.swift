import Foundation
import SodarCache
import SodarCachePostgres

/// PostgreSQL connection URIs and libpq `options` values: never a crash; the shown form of a
/// URI never holds its password (whatever characters it has), nor does a scrubbed message that
/// quotes the URI; every setting `options` yields has a name without spaces or `=`.
enum URITarget: FuzzTarget {
    static let name = "uri"

    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if let location = PostgresLocation("postgresql://" + text) {
            let shown = location.description
            // Printable ASCII only: nothing from the URI reaches a terminal raw.
            check(shown.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }, "an unencoded character in \(shown)")
            if let malformed = location.malformed {
                check(!malformed.isEmpty, "a malformed URI without a reason")
            }
            // A password long enough not to occur by chance in the rest of what is shown (the
            // other values, as given and as the shown form encodes them: `%` becomes `%25`).
            if let password = location.parsedPassword, password.count >= 6,
               !location.otherValues.contains(where: { $0.contains(password) || PostgresLocation.shown($0).contains(password) })
            {
                check(!shown.contains(password), "the password shows in \(shown)")
                check(!location.scrub("failed for postgresql://\(text): \(password)").contains(password), "scrub left the password")
            }
        }
        do {
            for setting in try PostgresCacheStore.serverSettings(fromOptions: text) {
                check(!setting.name.isEmpty && !setting.name.contains("="), "setting name \(setting.name)")
            }
        } catch let error as CacheError {
            check(!error.description.contains("\n") || text.contains("\n"), "a multi-line error")
        } catch {
            check(false, "not a CacheError: \(error)")
        }
    }
}
