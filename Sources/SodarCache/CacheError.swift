import Foundation
import JSONKit

/// Everything the cache API can refuse, each with a one-line message naming the bad value.
public enum CacheError: Error, CustomStringConvertible, Equatable, Sendable {
    case unknownApp(String, known: [String])
    case unsupportedDataType(String)
    case invalidJSON(String)
    /// An item name that cannot be stored or told apart (empty, blank, too long).
    case invalidName(String, reason: String)
    case projectNotFound(String)
    case invalidUUID(String)
    case itemNotFound(app: String, name: String, project: UUID?)
    case storeNotDatabase(location: String)
    case storeTooNew(location: String, version: String)
    /// An older schema, opened read-only: it must be opened once with write access to upgrade.
    case storeNeedsUpgrade(location: String)
    case storeUnwritable(location: String, reason: String)
    /// The role may not read the store's tables; `reason` names the privilege and the GRANT.
    case storeUnreadable(location: String, reason: String)
    /// Another writer holds what this write needs past the engine's timeout; `reason` says
    /// what that means for the engine (SQLite: the file's write lock; PostgreSQL: a lock).
    case storeBusy(location: String, reason: String = "locked by another writer")
    /// The store's server cannot be reached, refused the login, or went away mid-way.
    case storeUnreachable(location: String, reason: String)
    case storeReplaced(location: String)
    /// A row the store holds but no engine could have written (a NULL or malformed UUID, a
    /// value of the wrong type): reported the same on every engine, never read as made-up data.
    case corruptRow(location: String, row: String, reason: String)
    case storeFailure(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .unknownApp(let app, let known):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "Unknown app \"\(app)\" (registered apps: \(list))"
        case .unsupportedDataType(let type):
            return "Unsupported data type \"\(type)\" (only \"json\" is supported)"
        case .invalidJSON(let detail):
            return "Invalid JSON: \(detail)"
        case .invalidName(let name, let reason):
            let shown = name.count > 60 ? String(name.prefix(60)) + "…" : name
            return "Invalid item name \"\(Display.escape(shown))\": \(reason)"
        case .projectNotFound(let uuid):
            return "Project not found with UUID=\(uuid)"
        case .invalidUUID(let value):
            return "Not a valid UUID: \(value)"
        case .itemNotFound(let app, let name, let project):
            let scope = project.map { "project \($0.sodarString)" } ?? "site-wide"
            return "No cached item \"\(app):\(name)\" (\(scope))"
        case .storeNotDatabase(let path):
            return "Not a sodarcache store (not a SQLite database): \(path)"
        case .storeTooNew(let path, let version):
            return "Store \(path) was written by a newer sodarcache (schema \(version)); upgrade sodarcache"
        case .storeNeedsUpgrade(let path):
            return "Store \(path) has an older schema: run `sodarcache migrate` to upgrade it (nothing was changed)"
        case .storeUnreadable(let path, let reason):
            return "Cannot read store: \(reason) (\(path))"
        case .storeUnwritable(let path, let reason):
            // The cause first: a browser's status line cuts a long path, never the cause.
            return "Cannot write store: \(reason) (\(path))"
        case .storeBusy(let location, let reason):
            return "Store \(location) is \(reason); try again"
        case .storeUnreachable(let location, let reason):
            return "Cannot reach store \(location): \(reason)"
        case .storeReplaced(let path):
            return "Store file \(path) was deleted or replaced (restart to reopen it)"
        case .corruptRow(let location, let row, let reason):
            return "Corrupt row in store \(location): \(Display.escape(row)) has \(reason)"
        case .storeFailure(let detail):
            return "Store error: \(detail)"
        case .invalidArgument(let detail):
            return detail
        }
    }
}

extension UUID {
    /// SODAR's lowercase hyphenated form.
    public var sodarString: String { uuidString.lowercased() }

    /// Parses a UUID as SODAR accepts it, or throws SODAR's message.
    public static func sodar(_ text: String) throws -> UUID {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Foundation on Linux accepts malformed text ("…-12345670-123" read as "…12345670ff23"):
        // check the 8-4-4-4-12 hex form first, so a typo is an error, never another UUID.
        guard let uuid = strict(trimmed) else { throw CacheError.invalidUUID(text) }
        return uuid
    }

    /// The UUID spelled by `text` in the hyphenated 8-4-4-4-12 hex form (either case), else nil.
    public static func strict(_ text: String) -> UUID? {
        isHyphenated(text) ? UUID(uuidString: text) : nil
    }

    /// Whether `text` is 32 hex digits in groups of 8-4-4-4-12.
    static func isHyphenated(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex = (byte >= 48 && byte <= 57) || (byte | 0x20 >= 97 && byte | 0x20 <= 102)
                guard isHex else { return false }
            }
        }
        return true
    }
}
