import Foundation
import GRDB
import GRDBSQLite
import Logging
import SodarCache
import StoreKernel

/// A cache store over one SQLite file (WAL mode), shared safely by several processes.
///
/// Implements the SODAR cache API (`CacheBackend`), the browser's read side
/// (`CacheBrowsing`), the project tree (`ProjectDirectory`) and bulk maintenance
/// (`CacheMaintenance`). Every error it throws is a `CacheError`.
public final class SQLiteCacheStore: StoreEngine {
    /// The store file's path.
    public let path: String
    public var locationDescription: String { path }
    public var busyMeaning: String { "another process holds the file's write lock" }

    public var capabilities: StoreCapabilities {
        readOnly ? .readOnly(readOnlyReason()) : .full
    }
    /// The checks every write passes first (app registration, name, data type, JSON).
    public let writeRules: CacheWriteRules
    let pool: DatabasePool
    let logger: Logger
    let readOnly: Bool
    /// How long a connection waits for another process's lock.
    let busyTimeout: TimeInterval
    /// The time a write records.
    public let clock: @Sendable () -> Date
    /// Project UUID -> row id, for reads. Projects can be deleted (and SQLite reuses row ids),
    /// so writes and deletes look the id up inside their transaction instead.
    let projectIDs = ProjectIDCache()
    /// `changeToken()`'s own connection (nil when it could not be opened: the pool then answers).
    let changeWatcher: ChangeWatcher?
    /// Commits made through this instance, for the fallback in `changeToken()`.
    let ownCommits = Locked(0)
    public let caches = EngineCaches()
    /// What deletes keep (the trash) and who they are recorded as made by.
    public let changes: ChangePolicy
    /// The trash entries this instance's deletes made, oldest first.
    public let sessionDeletes = Locked<[Int64]>([])
    /// When this instance purges the audit trail of entries past its keep.
    public let auditPurge = AuditPurgeSchedule()
    /// An older schema opened read-only is read as it is (a SODAR site's local store, which a
    /// read must not upgrade): what its migrations have not made yet reads as empty.
    let readsOlderSchema: Bool
    /// The schema's migrations the file has (all of them, unless `readsOlderSchema`).
    let appliedMigrations = Locked<Set<String>>([])
    /// What SQLite opens: `path`, or a `file:` URI with `immutable=1` for a store read in a
    /// folder where SQLite cannot create its -wal/-shm files (see `readOnlyOpenPath`).
    let connectionPath: String
    /// The fast path for single-item gets (nil when its connection could not be opened).
    let itemReader: ItemReader?
    /// The file's identity when it was opened: a store deleted or replaced underneath an open
    /// browser must be noticed, not silently shown from the unlinked file.
    let fileIdentity: FileIdentity?

    /// The default time a writer waits for another process's lock before giving up.
    public static let defaultBusyTimeout: TimeInterval = 5

    /// Opens the store at `path`, creating it (and missing parent directories) when needed.
    ///
    /// - Parameters:
    ///   - path: the SQLite file. Created with owner-only permissions (0600; new parent
    ///     directories 0700) unless `readOnly`.
    ///   - registeredApps: the app names items may be written for.
    ///   - readOnly: open an existing store without ever writing to it.
    ///   - logger: where the store logs; it never configures logging itself.
    /// - Throws: `CacheError.storeNotDatabase`, `.storeTooNew`, `.storeNeedsUpgrade` (an older
    ///   schema opened read-only), `.storeUnwritable`,
    ///   `.storeBusy` or `.storeFailure`.
    public convenience init(
        path: String, registeredApps: [String], readOnly: Bool = false,
        logger: Logger = Logger(label: "sodarcache.store"), changes: ChangePolicy = .standard
    ) throws {
        try self.init(
            path: path, registeredApps: registeredApps, readOnly: readOnly, logger: logger,
            busyTimeout: Self.defaultBusyTimeout, changes: changes)
    }

    /// The designated initializer, with the busy timeout that tests shorten and the clock
    /// that stamps writes (tests give one that ticks instead of sleeping).
    public init(
        path: String, registeredApps: [String], readOnly: Bool, logger: Logger,
        busyTimeout: TimeInterval, clock: @escaping @Sendable () -> Date = { Date() },
        changes: ChangePolicy = .standard, readsOlderSchema: Bool = false
    ) throws {
        self.path = path
        self.readsOlderSchema = readsOlderSchema
        self.changes = changes
        self.clock = clock
        self.writeRules = CacheWriteRules(registeredApps: registeredApps)
        self.logger = logger
        self.readOnly = readOnly
        self.busyTimeout = busyTimeout
        if readOnly {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CacheError.storeFailure("no store at \(path)")
            }
            if isDirectory.boolValue {
                throw CacheError.storeFailure("\(path) is a directory, not a store file")
            }
        } else {
            try Self.prepareFile(at: path)
        }
        try Self.refuseIfNotAStore(path)
        let config = Self.configuration(readOnly: readOnly, busyTimeout: busyTimeout)
        let openPath = readOnly ? Self.readOnlyOpenPath(path) : path
        self.connectionPath = openPath
        self.pool = try Self.guarded(path: path) { try DatabasePool(path: openPath, configuration: config) }
        self.itemReader = ItemReader(path: openPath, busyTimeoutMilliseconds: Int32(busyTimeout * 1000))
        self.changeWatcher = ChangeWatcher(path: openPath, busyTimeoutMilliseconds: Int32(busyTimeout * 1000))
        self.fileIdentity = FileIdentity(path: path)
        try Self.guarded(path: path) { try self.migrate() }
        logger.debug("Opened cache store", metadata: ["path": "\(path)", "readOnly": "\(readOnly)"])
    }

    static func configuration(readOnly: Bool, busyTimeout: TimeInterval) -> Configuration {
        var config = Configuration()
        config.readonly = readOnly
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "sodarcache"
        config.prepareDatabase { db in
            // With WAL, NORMAL survives application crashes; never OFF.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            Self.tune(db.sqliteConnection)
        }
        return config
    }

    /// Settings every connection of the store shares (the benchmark's raw ceiling uses them too).
    static let mmapSize = 1 << 31
    static let writerCacheKiB = 65536

    /// Memory-maps the file (reads then copy no pages) and gives the writer a page cache
    /// large enough to keep a batch's index pages until commit.
    static func tune(_ connection: OpaquePointer?) {
        sqlite3_exec(connection, "PRAGMA mmap_size = \(mmapSize)", nil, nil, nil)
        if sqlite3_db_readonly(connection, "main") == 0 {
            sqlite3_exec(connection, "PRAGMA cache_size = -\(writerCacheKiB)", nil, nil, nil)
        }
    }

    /// Creates missing parent directories (0700) and the file itself (0600), so that the
    /// store is private from its first byte; SQLite gives its -wal/-shm files the same mode.
    static func prepareFile(at path: String) throws {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw CacheError.storeUnwritable(location: path, reason: "\(dir) is not a directory")
            }
        } else {
            do {
                try fm.createDirectory(
                    atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CacheError.storeUnwritable(location: path, reason: "cannot create directory \(dir)")
            }
        }
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue {
                throw CacheError.storeUnwritable(location: path, reason: "it is a directory")
            }
            return
        }
        guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CacheError.storeUnwritable(location: path, reason: "cannot create a file in \(dir)")
        }
    }

    /// Closes the store's connections now, checkpointing its WAL into the file it opened and
    /// removing the `-wal`/`-shm` files: done before a replaced store's new file is opened, so
    /// that the new file never meets the old file's WAL. Every later call fails.
    /// - Throws: `CacheError.storeBusy` while a connection is still in use.
    public func close() throws {
        itemReader?.close()
        changeWatcher?.close()
        try guarded {
            // GRDB closes the writer before the readers, so no connection that can checkpoint
            // is ever the last one: SQLite then leaves the WAL behind, by name, for the next
            // file at this path. Empty it into the old file first.
            // A read-only store writes nothing, not even a checkpoint (which would wait for
            // another process's write lock).
            if !readOnly {
                let busy = try pool.writeWithoutTransaction { db in
                    try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") ?? 0
                }
                if busy != 0 { throw CacheError.storeBusy(location: path) }
            }
            try pool.close()
        }
    }

    /// The path SQLite opens read-only. A WAL store needs its -shm file to be read; in a folder
    /// this process cannot write (a read-only mount, another user's folder) SQLite can neither
    /// create it nor read without it, so every read failed with "attempt to write a readonly
    /// database". When no -wal or -shm file is there, no writer has the store open (a writer
    /// would have made them), and the file is opened as immutable instead.
    static func readOnlyOpenPath(_ path: String) -> String {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fm = FileManager.default
        guard access(dir, W_OK) != 0, !fm.fileExists(atPath: path + SQLiteFiles.wal), !fm.fileExists(atPath: path + SQLiteFiles.shm) else {
            return path
        }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return "file:\(escaped)?immutable=1"
    }

    /// Refuses a file that is not a store, or one a newer sodarcache wrote, before SQLite opens
    /// it for real: that open makes -wal/-shm files beside it (a read-only connection never
    /// removes them) and a writable one may touch the file. Looks through an immutable
    /// connection, which creates and changes nothing, and only when no -wal file is there:
    /// then no writer has the store open, so the file alone is the whole store.
    /// - Returns: the migrations the file has, when that look could tell (nil: the real open
    ///   decides).
    @discardableResult
    static func refuseIfNotAStore(_ path: String) throws -> Set<String>? {
        let fm = FileManager.default
        guard let size = (try? fm.attributesOfItem(atPath: path))?[.size] as? Int, size > 0,
            !fm.fileExists(atPath: path + SQLiteFiles.wal), access(path, R_OK) == 0
        else { return nil }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let uri = "file:\(path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)?immutable=1"
        var connection: OpaquePointer?
        defer { sqlite3_close_v2(connection) }
        guard sqlite3_open_v2(uri, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK else { return nil }
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        let prepared = sqlite3_prepare_v2(
            connection, "SELECT identifier FROM grdb_migrations", -1, &statement, nil)
        let code = prepared == SQLITE_OK ? sqlite3_step(statement) : prepared
        // A writer that opened the store meanwhile may be checkpointing into the file under
        // this immutable look: then its verdict does not count, the real open decides.
        guard !fm.fileExists(atPath: path + SQLiteFiles.wal) else { return nil }
        switch code & 0xFF {
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            throw CacheError.storeNotDatabase(location: path)
        case SQLITE_ROW:
            var applied = Set<String>()
            var step = code
            while step == SQLITE_ROW {
                if let text = sqlite3_column_text(statement, 0) { applied.insert(String(cString: text)) }
                step = sqlite3_step(statement)
            }
            if step & 0xFF == SQLITE_NOTADB || step & 0xFF == SQLITE_CORRUPT { throw CacheError.storeNotDatabase(location: path) }
            guard step == SQLITE_DONE else { return nil }
            let unknown = applied.subtracting(migrator.migrations)
            if !unknown.isEmpty { throw CacheError.storeTooNew(location: path, version: unknown.sorted().joined(separator: ", ")) }
            return applied
        default:
            // No migrations table yet, or an error the real open reports better.
            return nil
        }
    }

    /// Why a store opened read-only refuses writes, for the one-line message.
    func readOnlyReason() -> String {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if access(dir, W_OK) != 0 {
            return "its folder \(dir) is not writable (SQLite keeps its -wal and -shm files beside the store)"
        }
        if access(path, W_OK) != 0 { return "the file is read-only" }
        return "opened read-only"
    }

    // MARK: - Error mapping

    /// Runs `body`, turning SQLite errors into `CacheError`s that name the store.
    static func guarded<T>(path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CacheError {
            throw error
        } catch let error as DatabaseError {
            throw map(error, path: path)
        } catch let corrupt as CorruptRow {
            throw corrupt.error(location: path)
        }
    }

    func guarded<T>(_ body: () throws -> T) throws -> T {
        try Self.guarded(path: path, body)
    }

    static func map(_ error: DatabaseError, path: String) -> CacheError {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .storeBusy(location: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .storeNotDatabase(location: path)
        case .SQLITE_FULL, .SQLITE_IOERR:
            // SQLite says "disk I/O error" when the -shm file cannot grow on a full disk (even
            // for a read): name the cause when the file system has no room left.
            let message = error.message ?? "\(error.resultCode)"
            if isFull(directoryOf: path) {
                return .storeUnwritable(location: path, reason: "the disk is full (SQLite: \(message))")
            }
            return .storeUnwritable(location: path, reason: message)
        case .SQLITE_CANTOPEN where access(path, R_OK) != 0 && FileManager.default.fileExists(atPath: path):
            return .storeUnwritable(location: path, reason: "permission denied (this user cannot read the file)")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if error.resultCode == .SQLITE_READONLY, access(dir, W_OK) != 0 {
                return .storeUnwritable(
                    location: path, reason: "its folder \(dir) is not writable (SQLite keeps its -wal and -shm files beside the store)")
            }
            return .storeUnwritable(location: path, reason: error.message ?? "\(error.resultCode)")
        default:
            return .storeFailure(error.message ?? "\(error.resultCode)")
        }
    }

    /// Whether the file system holding `path` has (almost) no space left for it: less than
    /// two of SQLite's default pages plus a -shm block.
    static func isFull(directoryOf path: String) -> Bool {
        var info = statvfs()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard statvfs(dir, &info) == 0 else { return false }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize) < 64 * 1024
    }

    // MARK: - Access

    /// One write transaction through the pool's writer; counts the commit for `changeToken()`.
    /// `audit` says what it changed, for the audit trail, in the same transaction.
    public func writeTransaction<T>(audit: ((T) -> AuditNote)? = nil, _ updates: (Database) throws -> T) throws -> T {
        if readOnly {
            throw CacheError.storeUnwritable(location: path, reason: readOnlyReason())
        }
        let result = try guarded {
            // BEGIN IMMEDIATE and COMMIT as prepared statements on the writer, not GRDB's
            // `write` (its transaction costs 12 µs, the statements 4 µs: 4% of a single upsert).
            try pool.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
                do {
                    let result = try updates(db)
                    if let audit, changes.audits { try record(db, audit(result)) }
                    // SQLite rolled back by itself (a full disk, an I/O error) under a body
                    // that went on: what it wrote since stands alone, and must not be reported
                    // as committed (GRDB's `write` made the same check).
                    guard db.isInsideTransaction else {
                        throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted")
                    }
                    try db.cachedStatement(sql: "COMMIT").execute()
                    return result
                } catch {
                    // A failed statement or COMMIT can leave the transaction open.
                    if db.isInsideTransaction { try db.rollback() }
                    throw error
                }
            }
        }
        ownCommits.withLock { $0 += 1 }
        return result
    }

    /// A read of one or more statements. Single-statement reads do not need GRDB's
    /// snapshot transaction: SQLite runs each statement on one consistent snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try guarded { try pool.unsafeRead(body) }
    }

    /// A read whose statements must all see the same snapshot.
    func snapshotRead<T>(_ body: (Database) throws -> T) throws -> T {
        try guarded { try pool.read(body) }
    }
}
