import Foundation
import Logging
import SodarCache
import SodarCachePostgres
import SodarCacheStore

/// The one place that turns a location into an open store: nothing above it names an engine.
public enum StoreFactory {
    /// How a store is opened.
    public struct Options: Sendable {
        /// The apps whose items may be written.
        public var registeredApps: [String]
        /// Never write (`--read-only`, or a file nobody may write).
        public var readOnly = false
        /// The command only reads: open read-only where that avoids waiting for another
        /// writer (SQLite), upgrading an older schema first if it must.
        public var readsOnly = false
        /// A missing SQLite file is an error, not a new store.
        public var mustExist = false
        /// A SODAR site's user table (`AUTH_USER_MODEL`).
        public var userTable = "users_user"
        public var logger = Logger(label: "sodarcache.api")

        public init(registeredApps: [String]) {
            self.registeredApps = registeredApps
        }
    }

    /// An open store, and whether this open created it.
    public struct Opened: Sendable {
        public let store: any ManagedStore
        public let location: StoreLocation
        /// The open created a new SQLite file: a command that then fails removes it again, so
        /// that bad input leaves nothing behind.
        public let created: Bool

        /// Where this open created a store, if it did: `StoreFactory.discard(_:)` removes it.
        public var createdLocation: StoreLocation? { created ? location : nil }
    }

    /// Removes a store an open created (the file and its side files), when a command that
    /// created it then failed; nothing for a database (an empty schema of ours stays).
    public static func discard(_ location: StoreLocation) {
        guard let path = location.path else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Opens (or creates) the store at `location`.
    /// - Throws: `CacheError` (a missing store when `mustExist`: `.storeFailure` naming it).
    public static func open(_ location: StoreLocation, options: Options) throws -> Opened {
        switch location {
        case .file(let path):
            return try openFile(path, location: location, options: options)
        case .postgres(let postgres):
            let open = { (readOnly: Bool) in
                try PostgresCacheStore(
                    location: postgres, registeredApps: options.registeredApps, readOnly: readOnly,
                    userTable: options.userTable, logger: options.logger)
            }
            return Opened(store: try open(options.readOnly), location: location, created: false)
        }
    }

    private static func openFile(_ path: String, location: StoreLocation, options: Options) throws -> Opened {
        let existed = FileManager.default.fileExists(atPath: path)
        if options.mustExist && !existed {
            throw StoreFactoryError.noStore(path)
        }
        let open = { (readOnly: Bool) in
            try SQLiteCacheStore(
                path: path, registeredApps: options.registeredApps, readOnly: readOnly, logger: options.logger)
        }
        // A store nobody may write to is still readable: open it read-only instead of failing.
        // So is one in a folder SQLite cannot create its -wal/-shm files in.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let writable = !existed || (access(path, W_OK) == 0 && access(folder, W_OK) == 0)
        if existed && (options.readsOnly || options.readOnly || !writable) {
            do {
                return Opened(store: try open(true), location: location, created: false)
            } catch CacheError.storeNeedsUpgrade(_) where writable && !options.readOnly {
                // The writable open below upgrades it.
            }
        }
        if options.readOnly && !existed { throw StoreFactoryError.noStore(path) }
        return Opened(store: try open(false), location: location, created: !existed)
    }
}

/// What the factory itself refuses.
public enum StoreFactoryError: Error, CustomStringConvertible, Equatable, Sendable {
    case noStore(String)

    public var description: String {
        switch self {
        case .noStore(let path): return "No store at \(path) (a new one is created by the first write)"
        }
    }
}
