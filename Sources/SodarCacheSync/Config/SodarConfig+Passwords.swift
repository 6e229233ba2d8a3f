import Foundation

extension SodarConfig {
    /// Refuses a file that holds a password and that others may read, as libpq ignores a
    /// `.pgpass` with group or world access: the password would be anyone's on the machine.
    /// - Throws: `SyncError.configValue` naming the file, the key that holds the password
    ///   (never the password), the mode, and the `chmod` that fixes it.
    static func checkOwnerOnly(mode: mode_t, file: String, key: [String], line: Int) throws {
        guard mode & 0o077 != 0 else { return }
        let octal = "0" + String(mode & 0o777, radix: 8)
        throw SyncError.configValue(
            file: file, line: line, key: keyPath(key),
            message: "holds a password, and the file's mode \(octal) lets others read it; chmod 600 \(file)")
    }

    /// The key path of the first string in `table` (depth first, in file order) that holds a
    /// password; nil when none does.
    static func findPasswordKey(in table: TOMLTable, at path: [String] = []) -> [String]? {
        for key in table.keys {
            guard let value = table[key] else { continue }
            if let found = findPasswordKey(in: value, at: path + [key]) { return found }
        }
        return nil
    }

    private static func findPasswordKey(in value: TOMLValue, at path: [String]) -> [String]? {
        switch value {
        case .string(let text):
            // An app's environment: libpq reads PGPASSWORD as the password itself.
            if path.count >= 2, path[path.count - 2] == "env", path.last == "PGPASSWORD", !text.isEmpty { return path }
            return holdsPassword(text) ? path : nil
        case .array(let elements):
            for element in elements { if let found = findPasswordKey(in: element, at: path) { return found } }
            return nil
        case .table(let inner):
            return findPasswordKey(in: inner, at: path)
        default:
            return nil
        }
    }

    /// Whether `text` holds a password: a PostgreSQL URI with one (`postgresql://user:secret@`,
    /// or a `password=` parameter, percent-encoded or not), or a `password=` setting (a libpq
    /// key=value string, `--password=`). Errs on the side of yes: a false alarm costs a chmod.
    static func holdsPassword(_ text: String) -> Bool {
        let lower = text.lowercased()
        let decoded = (lower.removingPercentEncoding ?? lower).lowercased()
        if let range = decoded.range(of: "password="), decoded[range.upperBound...].first.map({ $0 != " " && $0 != "&" }) == true {
            return true
        }
        for scheme in ["postgresql://", "postgres://"] {
            var rest = lower[...]
            while let found = rest.range(of: scheme) {
                let after = rest[found.upperBound...]
                // The URI up to its query; its user information up to its last '@' (libpq stops at
                // a '/' before the '@', but a password with a '/' in it is still a password).
                let uri = after.prefix { !$0.isWhitespace && $0 != "?" }
                if let at = uri.lastIndex(of: "@"), let colon = uri[..<at].firstIndex(of: ":"), uri.index(after: colon) < at {
                    return true
                }
                rest = after
            }
        }
        return false
    }
}
