import Foundation
import PostgresDriver

/// Where a store lives: what `--db` and `$SODARCACHE_DB` name.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite file.
    case file(String)
    /// A PostgreSQL database (`postgresql://` or `postgres://`).
    case postgres(PostgresLocation)

    /// A libpq connection URI is a PostgreSQL database; anything else is a SQLite path.
    public init(_ text: String) {
        if let location = PostgresLocation(text) {
            self = .postgres(location)
        } else {
            self = .file(text)
        }
    }

    /// As it may be shown: the path, or the URI without its password.
    public var description: String {
        switch self {
        case .file(let path): return path
        case .postgres(let location): return location.description
        }
    }

    /// The file's path, for a SQLite store.
    public var path: String? {
        if case .file(let path) = self { return path }
        return nil
    }
}
