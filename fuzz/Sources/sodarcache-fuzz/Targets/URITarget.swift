import Foundation
import PostgresDriver
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
            // The shown form does not depend on the password at all (a text search for it would
            // also find the same characters typed into the host or the port).
            if let password = location.parsedPassword {
                check(location.description(withPassword: password + "x") == shown, "the shown form depends on the password: \(shown)")
                check(location.description(withPassword: "") == shown, "the shown form depends on the password: \(shown)")
                // A message quoting the URI and the password keeps neither.
                if password.count >= 6, !location.otherValues.contains(where: { $0.contains(password) }) {
                    check(!location.scrub("failed for postgresql://\(text): \(password)").contains(password), "scrub left the password")
                }
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
