import Foundation
import Logging
import PostgresDriver
import SodarCache
import SodarCachePostgres
import SodarCacheSQLite
import StoreKernel

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
        public var readingCommand = false
        /// A missing SQLite file is an error, not a new store.
        public var mustExist = false
        /// Open for writing, but never upgrade an older schema on the way (the browser: nothing
        /// changes until a key that writes is pressed): an older store says to run `migrate`.
        public var neverMigrate = false
        /// A SODAR site's user table (`AUTH_USER_MODEL`).
        public var userTable = "users_user"
        /// PostgreSQL: the schema of SODAR's tables, when the catalog finds several.
        public var schema: String?
        /// PostgreSQL: "auto", "direct" or "pooled" (a pooler in transaction mode).
        public var connection = "auto"
        /// PostgreSQL: a read-only session's statement timeout in seconds (0: none).
        public var readTimeout = 300
        /// PostgreSQL: seconds a connection attempt may take, over the URI's and the
        /// environment's (nil: theirs).
        public var connectTimeout: Int?
        /// What deletes keep, and who changes are recorded as made by.
        public var changes = ChangePolicy.standard
        /// The folder of SODAR sites' local stores (where a site's trash, history and audit
        /// trail are kept), one file per site named after it: `[trash] local_store`, else
        /// `localStoreFolder` (`$XDG_DATA_HOME/sodarcache/sites`); neither: none.
        public var localStore: String?
        public var localStoreFolder: String?
        public var logger = Logger(label: "sodarcache.api")

        public init(registeredApps: [String]) {
            self.registeredApps = registeredApps
        }
    }

    /// An open store, and whether this open created it.
    public struct Opened: Sendable {
        public let store: any StoreEngine
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
        for file in SQLiteFiles.all(of: path) { try? FileManager.default.removeItem(atPath: file) }
    }

    /// Opens (or creates) the store at `location`.
    /// - Throws: `CacheError` (a missing store when `mustExist`: `.storeFailure` naming it).
    public static func open(_ location: StoreLocation, options: Options) throws -> Opened {
        switch location {
        case .file(let path):
            return try openFile(path, location: location, options: options)
        case .postgres(let postgres):
            // A command that only reads gets a session the server keeps read-only too.
            let store = try PostgresCacheStore(
                location: postgres, registeredApps: options.registeredApps, readOnly: options.readOnly || options.readingCommand,
                settings: postgresSettings(options, site: postgres), logger: options.logger)
            return Opened(store: store, location: location, created: false)
        }
    }

    /// The local store of the site at `location`: a file named after the site (its URI without
    /// the password, made a file name, and a hash of it) in the configured folder, else in the
    /// default one. One file per site, whichever folder: one file for two sites would let a
    /// restore on one put back the other's items, and settle its pending deletes by asking the
    /// wrong server about their transactions.
    public static func localStorePath(_ location: PostgresLocation?, options: Options) -> String? {
        guard let folder = options.localStore ?? options.localStoreFolder, let location else { return nil }
        let site = location.description
        let readable = String(site.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "_" }.prefix(80))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in site.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return folder + "/" + readable + "-" + String(hash, radix: 16) + ".sqlite3"
    }

    static func postgresSettings(_ options: Options, site: PostgresLocation? = nil) -> PostgresCacheStore.Settings {
        var settings = PostgresCacheStore.Settings()
        settings.userTable = options.userTable
        settings.schema = options.schema
        settings.route = PostgresCacheStore.Route(rawValue: options.connection) ?? .auto
        settings.readTimeout = options.readTimeout
        settings.connectTimeout = options.connectTimeout
        settings.changes = options.changes
        if let path = localStorePath(site, options: options) {
            let changes = options.changes, logger = options.logger
            settings.localTrash = {
                try LocalStoreFolder.check(URL(fileURLWithPath: path).deletingLastPathComponent().path, configured: options.localStore != nil)
                return try SQLiteCacheStore(path: path, registeredApps: [], logger: logger, changes: changes)
            }
            settings.readLocalTrash = {
                // A read neither creates the local store nor upgrades an older one.
                guard FileManager.default.fileExists(atPath: path) else { return nil }
                return try SQLiteCacheStore(
                    path: path, registeredApps: [], readOnly: true, logger: logger,
                    busyTimeout: SQLiteCacheStore.defaultBusyTimeout, changes: changes, readsOlderSchema: true)
            }
        }
        return settings
    }

    // MARK: - Administration: init, migrate, remove-store

    /// `sodarcache init`: creates a store. A SQLite file is created (or found current); a
    /// PostgreSQL database must hold no tables at all. Returns a line saying what was done.
    public static func initialize(_ location: StoreLocation, options: Options) throws -> String {
        switch location {
        case .file(let path):
            if FileManager.default.fileExists(atPath: path) {
                throw StoreFactoryError.refused("\(path) exists already: init creates a new store only")
            }
            let store = try SQLiteCacheStore(path: path, registeredApps: options.registeredApps, logger: options.logger)
            try store.close()
            return "Created a sodarcache store in \(path)"
        case .postgres(let postgres):
            let version = try PostgresCacheStore.initialize(location: postgres, settings: postgresSettings(options))
            return "Created a sodarcache store (schema v\(version)) in \(postgres)"
        }
    }

    /// `sodarcache migrate`: upgrades a store's schema. Returns a line saying from which
    /// version to which.
    public static func migrate(_ location: StoreLocation, options: Options) throws -> String {
        switch location {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else { throw StoreFactoryError.noStore(path) }
            let (from, to) = try SQLiteCacheStore.migrate(path: path, logger: options.logger)
            return from == to ? "\(path) is at schema v\(to) already: nothing to do" : "Migrated \(path) from schema v\(from) to v\(to)"
        case .postgres(let postgres):
            let (from, to) = try PostgresCacheStore.migrate(location: postgres, settings: postgresSettings(options))
            return from == to
                ? "\(postgres) is at schema v\(to) already: nothing to do"
                : "Migrated \(postgres) from schema v\(from) to v\(to)"
        }
    }

    /// What `remove-store` would drop in a PostgreSQL database: sodarcache's tables, triggers
    /// and functions, one per line.
    public static func storeObjects(_ location: StoreLocation, options: Options) throws -> [String] {
        guard case .postgres(let postgres) = location else {
            throw StoreFactoryError.refused("remove-store is for a PostgreSQL database; a SQLite store is its file: delete it")
        }
        return try PostgresCacheStore.ownObjects(location: postgres, settings: postgresSettings(options))
    }

    /// Drops sodarcache's objects, and nothing else, in one transaction.
    public static func removeStoreObjects(_ location: StoreLocation, options: Options) throws -> [String] {
        guard case .postgres(let postgres) = location else {
            throw StoreFactoryError.refused("remove-store is for a PostgreSQL database; a SQLite store is its file: delete it")
        }
        return try PostgresCacheStore.removeOwnObjects(location: postgres, settings: postgresSettings(options))
    }

    private static func openFile(_ path: String, location: StoreLocation, options: Options) throws -> Opened {
        let existed = FileManager.default.fileExists(atPath: path)
        if options.mustExist && !existed {
            throw StoreFactoryError.noStore(path)
        }
        let open = { (readOnly: Bool) in
            try SQLiteCacheStore(
                path: path, registeredApps: options.registeredApps, readOnly: readOnly, logger: options.logger,
                changes: options.changes)
        }
        // A store nobody may write to is still readable: open it read-only instead of failing.
        // So is one in a folder SQLite cannot create its -wal/-shm files in.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let writable = !existed || (access(path, W_OK) == 0 && access(folder, W_OK) == 0)
        if existed && (options.readingCommand || options.readOnly || !writable) {
            do {
                return Opened(store: try open(true), location: location, created: false)
            } catch CacheError.storeNeedsUpgrade(_) where writable && !options.readOnly && !options.readingCommand {
                // The writable open below upgrades it.
            }
        }
        if options.readOnly && !existed { throw StoreFactoryError.noStore(path) }
        if options.neverMigrate && existed {
            // One read-only connection says whether the schema is current, changing nothing.
            try SQLiteCacheStore.requireCurrentSchema(path: path)
        }
        return Opened(store: try open(false), location: location, created: !existed)
    }
}

/// What the factory itself refuses.
public enum StoreFactoryError: Error, CustomStringConvertible, Equatable, Sendable {
    case noStore(String)
    case refused(String)

    public var description: String {
        switch self {
        case .refused(let text): return text
        case .noStore(let path): return "No store at \(path) (a new one is created by the first write)"
        }
    }
}

/// The process environment's PostgreSQL settings.
public enum PostgresEnvironment {
    /// Takes `PGOPTIONS` out of the environment (the store applies it after connecting): call
    /// first thing, while the process is single-threaded.
    public static func claim() { PostgresCacheStore.claimEnvironmentOptions() }
}
