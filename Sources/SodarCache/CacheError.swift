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
    /// Another writer holds what this write needs past the engine's timeout; `reason` says
    /// what that means for the engine (SQLite: the file's write lock; PostgreSQL: a lock).
    case storeBusy(location: String, reason: String = "locked by another writer")
    /// The store's server cannot be reached, refused the login, or went away mid-way.
    case storeUnreachable(location: String, reason: String)
    case storeReplaced(location: String)
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
            return "Store \(path) has an older schema; open it once with write access to upgrade it"
        case .storeUnwritable(let path, let reason):
            return "Cannot write store \(path): \(reason)"
        case .storeBusy(let location, let reason):
            return "Store \(location) is \(reason); try again"
        case .storeUnreachable(let location, let reason):
            return "Cannot reach store \(location): \(reason)"
        case .storeReplaced(let path):
            return "Store file \(path) was deleted or replaced (restart to reopen it)"
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
        guard let uuid = UUID(uuidString: text.trimmingCharacters(in: .whitespaces)) else {
            throw CacheError.invalidUUID(text)
        }
        return uuid
    }
}
