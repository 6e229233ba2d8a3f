import Foundation
import Logging
import PostgresDriver
import SodarCache
import StoreKernel

/// A cache store in a PostgreSQL database: either a SODAR site's own tables, read and written
/// as SODAR Core does (its schema is never changed), or sodarcache's own versioned schema, a
/// store that several hosts share.
///
/// Implements the same four protocols as the SQLite store. Every error it throws is a
/// `CacheError`; none carries the password.
public final class PostgresCacheStore: StoreEngine, @unchecked Sendable {
    /// Which tables the database holds.
    public enum Layout: String, Sendable {
        /// SODAR Core's `sodarcache_jsoncacheitem`, `projectroles_project` and user table.
        case sodar
        /// sodarcache's own schema.
        case sodarcache
    }

    public let location: PostgresLocation
    public let layout: Layout
    public let readOnly: Bool

    public let writeRules: CacheWriteRules
    public let caches = EngineCaches()
    /// The trash entries this instance's deletes made, oldest first.
    public let sessionDeletes = Locked<[Int64]>([])
    /// The local store beside SODAR's tables (none on sodarcache's own schema).
    public let siteLocal: SiteLocalStore
    /// When this instance purges the audit trail of entries past its keep.
    public let auditPurge = AuditPurgeSchedule()
    public var clock: @Sendable () -> Date { settings.clock }
    /// What deletes keep, and who changes are recorded as made by.
    public var changes: ChangePolicy { settings.changes }
    public let logger: Logger
    let pool: PGPool
    let tables: Tables
    /// Project UUID -> row id (ids never change; a project deleted meanwhile fails the write).
    let projectIDs = ProjectIDCache()
    /// The last change token `changeToken()` read (nil: never asked, as in a short command).
    let lastToken = Locked<Int?>(nil)
    /// The hot statements' SQL, built once.
    let statements: Statements
    /// The project tree, the change token it was last checked at, and the project table's
    /// fingerprint it was read at.
    let treeCache = Locked<(token: Int, fingerprint: String, tree: ProjectTree)?>(nil)
    /// Rows a tree page's subtree walk reads before one whole-table statement is cheaper
    /// (lowered by tests).
    let walkLimit = Locked(500)
    /// Set by `close()`: background work scheduled before it does not start.
    let closed = Locked(false)
    /// Background counts finished; part of the change token.
    let countsDone = Locked(0)
    /// A large SODAR table's own totals per project, counted in the background, with the change
    /// token and time of the count.
    let sodarProjectTotals = Locked<(token: Int, at: Date, totals: [Int: ProjectTotals])?>(nil)
    /// That count, in the background.
    let sodarProjectCount = BackgroundOnce()
    /// The exact count of SODAR's items, in the background.
    let sodarItemCount = BackgroundOnce()
    /// Above this many rows (the planner's estimate), a SODAR table's totals start as an
    /// estimate and its projects are counted in the background (lowered by tests).
    let exactCountLimit = Locked(100_000)
    /// The change watcher's own connection.
    let watcher: PGConnectionSlot

    /// How long a statement waits for a row lock another writer holds.
    static let lockTimeout = "5s"
    /// Connection attempts give up after this many seconds unless the URI says otherwise.
    public static let defaultConnectTimeout = 10

    /// Table and column names of the layout; identifiers, checked, never values.
    struct Tables: Sendable {
        var items: String
        var projects: String
        var users: String?
        var schemaTable: String?
        /// SODAR's plugin registry, when the role may read it.
        var registry: String?
        /// The schema of sodarcache's own store.
        var ownSchema: String?
        /// The table under `items` when that is a view (sodarcache's `sodarcache_item_live`).
        var itemTable: String?
        /// A row's version: what every UPDATE moves (`xmin`; the live view names it).
        var versionColumn = PostgresCacheStore.xminColumn

        /// The table that holds the rows, for what a view cannot do (VACUUM, its size).
        var rows: String { itemTable ?? items }
    }

    /// How connections reach the server.
    public enum Route: String, Sendable, CaseIterable {
        /// Told apart on the first connection: through PgBouncer, libpq's backend PID is
        /// PgBouncer's own key, not the server's `pg_backend_pid()`.
        case auto
        case direct
        /// Through a pooler in transaction mode: no session state at all.
        case pooled
    }

    /// How a store is opened beyond its location.
    public struct Settings: Sendable {
        /// A SODAR site's user table (`AUTH_USER_MODEL`), `users_user` by default; may be `schema.table`.
        public var userTable = "users_user"
        /// The schema that holds SODAR's tables (or the store), when the catalog finds several.
        public var schema: String?
        public var route: Route = .auto
        /// A read-only session's statement timeout in seconds (0: none).
        public var readTimeout = 300
        /// Seconds a connection attempt may take, over the URI's `connect_timeout` and
        /// `PGCONNECT_TIMEOUT` (a reachability check that must not wait long); nil: theirs,
        /// else `defaultConnectTimeout`.
        public var connectTimeout: Int?
        /// The time writes are stamped with (tests inject theirs).
        public var clock: @Sendable () -> Date = { Date() }
        /// What deletes keep, and who changes are recorded as made by.
        public var changes = ChangePolicy.standard
        /// On a SODAR site: opens this host's local store, where the trash of SODAR's tables is
        /// kept (nil: no trash there). Called once, on the first change that records there.
        public var localTrash: (@Sendable () throws -> any LocalTrashStore)?
        /// On a SODAR site: opens the local store read-only for a read of its trash or audit
        /// trail, as it is (never created or upgraded: a read writes nothing); nil when it does
        /// not exist yet. Without it, reads open it as `localTrash` does.
        public var readLocalTrash: (@Sendable () throws -> (any LocalTrashStore)?)?

        public init() {}
    }

    public let settings: Settings
    /// The route the first connection found (or the settings forced).
    public let route: Route
    /// What the role may do, asked of the server when the store opened.
    let granted: StoreCapabilities
    /// What item times mean here (SODAR's tables: creation, unless the server keeps commit times).
    public let itemAges: ItemAges
    /// Whether this role may read the commit-timestamp horizon (`pg_control_checkpoint()`).
    let horizonReadable: Bool
    /// The server was a hot standby when the store opened: every session is read-only, and
    /// `standbyStatus()` says how far behind it is.
    public let openedOnStandby: Bool

    /// Connects and recognises the database by its tables, in the catalog. Never creates,
    /// upgrades or alters anything: `initialize` creates a store, `migrate` upgrades one.
    ///
    /// - Parameters:
    ///   - location: the connection URI; the password comes from it, `PGPASSWORD` or `~/.pgpass`.
    ///   - registeredApps: the app names items may be written for.
    ///   - readOnly: never write; the session is read-only on the server too.
    ///   - userTable: a SODAR site's user table (`AUTH_USER_MODEL`), `users_user` by default.
    /// - Throws: `CacheError.storeUnreachable` (server down, wrong password, no such
    ///   database), `.storeUnreadable` (a missing privilege, with its GRANT), `.storeFailure`
    ///   (a database of neither kind, a SODAR schema this build does not know, a store of another
    ///   version), `.storeTooNew`.
    public convenience init(
        location: PostgresLocation, registeredApps: [String], readOnly: Bool = false,
        userTable: String = "users_user", logger: Logger = Logger(label: "sodarcache.store")
    ) throws {
        var settings = Settings()
        settings.userTable = userTable
        try self.init(location: location, registeredApps: registeredApps, readOnly: readOnly, settings: settings, logger: logger)
    }

    public init(
        location: PostgresLocation, registeredApps: [String], readOnly: Bool = false,
        settings: Settings, logger: Logger = Logger(label: "sodarcache.store"), upgrading: Bool = false
    ) throws {
        guard Self.isIdentifier(settings.userTable) else {
            throw CacheError.invalidArgument("Not a table name: \(settings.userTable)")
        }
        self.location = location
        self.settings = settings
        self.writeRules = CacheWriteRules(registeredApps: registeredApps)
        self.readOnly = readOnly
        self.logger = logger
        let description = location.description
        let spec = try Self.connectSpec(location, readOnly: readOnly, settings: settings)
        let first: PGConnection
        do {
            first = try PGConnection(spec)
        } catch {
            throw CacheError.storeUnreachable(location: description, reason: Self.sessionAttributesExplained(location.scrub(error.message), location))
        }
        var pinned = spec
        pinned.route = first.route
        route = first.route == .pooled ? .pooled : .direct
        let found = try Self.mapped(description) {
            try Self.recognise(
                first, userTable: settings.userTable, schema: settings.schema, location: description, upgrading: upgrading,
                changes: settings.changes)
        }
        (layout, tables) = (found.0, found.1)
        siteLocal = SiteLocalStore(
            open: layout == .sodar ? settings.localTrash : nil, openForReading: layout == .sodar ? settings.readLocalTrash : nil)
        // One round trip: a hot standby (nothing may be written there, whatever the grants say),
        // and on SODAR's tables whether the server keeps commit times and their horizon.
        let server = try Self.mapped(description) {
            try first.query(
                """
                SELECT pg_is_in_recovery(), current_setting('track_commit_timestamp') = 'on',
                    has_function_privilege('pg_control_checkpoint()', 'EXECUTE')
                """)
        }
        openedOnStandby = server.bool(0, 0) == true
        granted = openedOnStandby ? .readOnly(Self.standbyRefusal, role: found.2.role) : found.2
        itemAges = layout == .sodarcache ? .lastWrite : (server.bool(0, 1) == true ? .commitTime : .creation)
        horizonReadable = layout == .sodar && server.bool(0, 2) == true
        if let own = tables.ownSchema {
            // sodarcache's statements name its tables unqualified: its schema leads the path.
            let path = Self.quoted(own)
            try Self.mapped(description) { try first.apply("search_path", path) }
            pinned.settings.append(("search_path", path))
        }
        pool = PGPool(spec: pinned, maxConnections: 8)
        // The first call's connection opens while the caller goes on (the browser starts its
        // terminal): `first` stays the change watcher's.
        pool.warm(1)
        watcher = PGConnectionSlot(first)
        statements = Statements(layout: layout, tables: tables)
        logger.debug("Opened PostgreSQL store", metadata: [
            "location": "\(description)", "layout": "\(layout.rawValue)", "route": "\(route.rawValue)",
        ])
    }

    /// What a connection is opened with: the URI's parameters except `options`, whose settings
    /// (or `PGOPTIONS`') are applied after connecting, then sodarcache's own, last, so they hold.
    static func connectSpec(_ location: PostgresLocation, readOnly: Bool, settings: Settings) throws -> PGConnectSpec {
        if let malformed = location.malformed {
            throw CacheError.storeUnreachable(location: location.description, reason: "libpq cannot read the URI: \(malformed)")
        }
        var parameters = location.connectParameters
        if let forced = settings.connectTimeout {
            parameters.removeAll { $0.0 == "connect_timeout" }
            parameters.append(("connect_timeout", String(forced)))
        }
        let given = Set(parameters.map(\.0))
        let environment = ProcessInfo.processInfo.environment
        if !given.contains("connect_timeout") && environment["PGCONNECT_TIMEOUT"] == nil {
            parameters.append(("connect_timeout", String(defaultConnectTimeout)))
        }
        if !given.contains("application_name") && environment["PGAPPNAME"] == nil {
            parameters.append(("application_name", "sodarcache"))
        }
        // Always claimed, so that libpq never reads it from the environment.
        let environmentOptions = PGOptions.environment
        var serverSettings: [(String, String)]
        if let options = location.value("options") {
            serverSettings = try Self.serverSettings(options, source: "options= in the URI")
        } else if let options = environmentOptions {
            serverSettings = try Self.serverSettings(options, source: "PGOPTIONS")
        } else {
            serverSettings = []
        }
        // JIT compiles a plan whose estimated cost is high (a scan of SODAR's items) and took
        // 580 ms of a 2 s query at 1M items; none of our statements gains from it.
        serverSettings += [("lock_timeout", lockTimeout), ("jit", "off")]
        if readOnly {
            serverSettings.append(("default_transaction_read_only", "on"))
            serverSettings.append(("transaction_read_only", "on"))
            if settings.readTimeout > 0 { serverSettings.append(("statement_timeout", "\(settings.readTimeout)s")) }
        }
        let route: PGRoute? = switch settings.route {
        case .auto: nil
        case .direct: .direct
        case .pooled: .pooled
        }
        return PGConnectSpec(parameters: parameters, settings: serverSettings, route: route)
    }

    // MARK: - Administration without an open store

    /// A connection for `init`, `migrate` and `remove-store`.
    static func adminConnection(_ location: PostgresLocation, settings: Settings) throws -> PGConnection {
        let spec = try connectSpec(location, readOnly: false, settings: settings)
        do {
            return try PGConnection(spec)
        } catch {
            throw CacheError.storeUnreachable(
                location: location.description, reason: Self.sessionAttributesExplained(location.scrub(error.message), location))
        }
    }

    /// `sodarcache init`: creates a store in a database that holds no tables at all.
    /// - Returns: the schema version created.
    public static func initialize(location: PostgresLocation, settings: Settings = Settings()) throws -> Int {
        let connection = try adminConnection(location, settings: settings)
        do {
            return try mapped(location.description, operation: "schema change") { try createStore(connection, location: location.description) }
        } catch CacheError.storeUnwritable(let at, let reason) {
            throw CacheError.storeUnwritable(location: at, reason: "\(reason) (init needs CREATE on the database's schema)")
        }
    }

    /// `sodarcache migrate`: upgrades sodarcache's schema in place.
    /// - Returns: the versions before and after (equal when it was current).
    public static func migrate(location: PostgresLocation, settings: Settings = Settings()) throws -> (from: Int, to: Int) {
        let connection = try adminConnection(location, settings: settings)
        let description = location.description
        let found = try mapped(description) {
            try recognise(connection, userTable: settings.userTable, schema: settings.schema, location: description, upgrading: true)
        }
        guard found.0 == .sodarcache, let schemaTable = found.1.schemaTable, let own = found.1.ownSchema else {
            throw CacheError.storeFailure("\(description) holds SODAR's tables, which sodarcache never migrates")
        }
        return try mapped(description, operation: "schema change") {
            try connection.apply("search_path", quoted(own))
            return try upgrade(connection, schemaTable: schemaTable, location: description)
        }
    }

    /// What `sodarcache remove-store` would drop: sodarcache's tables (with their triggers) and
    /// functions, as "kind schema.name".
    public static func ownObjects(location: PostgresLocation, settings: Settings = Settings()) throws -> [String] {
        let connection = try adminConnection(location, settings: settings)
        return try mapped(location.description) { try ownObjects(connection) }.map { "\($0.kind) \($0.schema).\($0.name)" }
    }

    /// Drops sodarcache's objects, and nothing else, in one transaction.
    /// - Returns: what was dropped, as `ownObjects` lists it.
    public static func removeOwnObjects(location: PostgresLocation, settings: Settings = Settings()) throws -> [String] {
        let connection = try adminConnection(location, settings: settings)
        return try mapped(location.description, operation: "schema change") {
            let objects = try ownObjects(connection)
            try dropOwnObjects(connection, objects)
            return objects.map { "\($0.kind) \($0.schema).\($0.name)" }
        }
    }

    /// The SQL of the statements that read and write one item, by layout.
    struct Statements: Sendable {
        /// A project's item: parameters app, name, project row id.
        var getItem: String
        /// A site-wide item: parameters app, name.
        var getSiteItem: String
        /// Upsert of a project's item. SODAR: app, name, epoch seconds, JSON, project row id,
        /// username or NULL; sodarcache: project row id, app, name, user name, user UUID,
        /// epoch seconds, size, JSON.
        var upsertItem: String
        /// Upsert of many projects' items, one array parameter per column (`unnest`). SODAR:
        /// apps, names, epoch seconds, JSON texts, project row ids, usernames (rows with an
        /// unknown username are left out); sodarcache: as `upsertItem`, each an array.
        var upsertBatch: String
        /// sodarcache's schema: `upsertBatch` for site-wide items (empty for SODAR's tables).
        var upsertSiteBatch: String

        init(layout: Layout, tables: Tables) {
            let columns = PostgresCacheStore.itemColumns(layout)
            let joins = PostgresCacheStore.itemJoins(layout, tables)
            let data = PostgresCacheStore.dataColumn(layout)
            func get(_ project: String) -> String {
                """
                SELECT \(columns), \(data) FROM \(tables.items) i \(joins)
                WHERE \(project) AND i.app_name = $1 AND i.name = $2
                ORDER BY i.id LIMIT 1
                """
            }
            getItem = get("i.project_id = $3")
            getSiteItem = get("i.project_id IS NULL")
            switch layout {
            case .sodar:
                let users = tables.users ?? "users_user"
                upsertItem = """
                    INSERT INTO \(tables.items) AS i (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                    SELECT $1, $2, to_timestamp($3::float8), gen_random_uuid(), $4::jsonb, $5::integer, u.id
                    FROM (SELECT NULL::integer AS id WHERE $6::text IS NULL
                          UNION ALL SELECT id FROM \(users) WHERE username = $6::text) u
                    ON CONFLICT (project_id, app_name, name) DO UPDATE SET
                        date_modified = excluded.date_modified, data = excluded.data,
                        user_id = coalesce(excluded.user_id, i.user_id)
                    \(PostgresCacheStore.sodarReturning(users))
                    """
                upsertBatch = """
                    INSERT INTO \(tables.items) AS i (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                    SELECT w.app_name, w.name, to_timestamp(w.stamp), gen_random_uuid(), w.data::jsonb, w.project_id, u.id
                    FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::integer[], $6::text[])
                        AS w(app_name, name, stamp, data, project_id, username)
                    LEFT JOIN \(users) u ON u.username = w.username
                    WHERE w.username IS NULL OR u.id IS NOT NULL
                    ON CONFLICT (project_id, app_name, name) DO UPDATE SET
                        date_modified = excluded.date_modified, data = excluded.data,
                        user_id = coalesce(excluded.user_id, i.user_id)
                    """
                upsertSiteBatch = ""
            case .sodarcache:
                upsertItem = PostgresCacheStore.sodarcacheUpsertSQL(conflict: "(project_id, app_name, name)")
                upsertBatch = PostgresCacheStore.sodarcacheBatchSQL(conflict: "(project_id, app_name, name)")
                upsertSiteBatch = PostgresCacheStore.sodarcacheBatchSQL(conflict: "(app_name, name) WHERE project_id IS NULL")
            }
        }
    }

    /// The SQL that `getCacheItem` and `setCacheItem` run for a project's item, for a
    /// benchmark's raw-libpq ceiling (parameters as in `Statements`).
    public static func itemStatements(
        layout: Layout, userTable: String = "users_user"
    ) -> (get: String, upsert: String, upsertBatch: String) {
        let tables = layout == .sodar
            ? Tables(items: "sodarcache_jsoncacheitem", projects: "projectroles_project", users: userTable)
            : Tables(
                items: "sodarcache_item_live", projects: "sodarcache_project", users: nil, schemaTable: "sodarcache_schema",
                ownSchema: "public", itemTable: "sodarcache_item", versionColumn: "i.row_version")
        let statements = Statements(layout: layout, tables: tables)
        return (statements.getItem, statements.upsertItem, statements.upsertBatch)
    }

    // MARK: - Access

    /// Runs `body` on a pooled connection, mapping failures to `CacheError`; `operation` ("read",
    /// "write") names what waited when a lock held it past the timeout.
    func withConnection<T>(_ operation: String = "read", _ body: (PGConnection) throws -> T) throws -> T {
        do {
            return try Self.mapped(location.description, operation: operation) { try pool.with(body) }
        } catch let error as CacheError {
            throw scrubbed(error)
        }
    }

    /// A store error with the URI's password taken out of its text (a reconnect's libpq
    /// message may quote the URI).
    func scrubbed(_ error: CacheError) -> CacheError {
        switch error {
        case .storeUnreachable(let location, let reason): return .storeUnreachable(location: location, reason: self.location.scrub(reason))
        case .storeFailure(let text): return .storeFailure(self.location.scrub(text))
        case .storeUnwritable(let location, let reason): return .storeUnwritable(location: location, reason: self.location.scrub(reason))
        default: return error
        }
    }

    /// How a change on sodarcache's own schema (with the trash's marks) holds the marks' lock
    /// for its transaction: writes share it; a delete, a restore and a purge take it alone, so
    /// that no write is in flight while rows are marked (a marked row's size and payload are
    /// those the delete saw) and two deletes never mark one row.
    enum MarksLock {
        case shared, exclusive
    }

    /// The advisory lock that `MarksLock` names.
    static let marksLockKey = schemaLockKey + 2

    /// One write transaction; `audit` says what it changed, for the audit trail: on
    /// sodarcache's own schema in the same transaction, on SODAR's tables (whose schema must not
    /// change) in the local store once the transaction committed.
    public func writeTransaction<T>(audit: ((T) -> AuditNote)? = nil, _ body: (PGConnection) throws -> T) throws -> T {
        try writeTransaction(audit: audit, marks: .shared, body)
    }

    /// `writeTransaction(audit:_:)` holding the marks' lock as `marks` says.
    func writeTransaction<T>(audit: ((T) -> AuditNote)?, marks: MarksLock, _ body: (PGConnection) throws -> T) throws -> T {
        if readOnly {
            throw CacheError.storeUnwritable(location: location.description, reason: "opened read-only")
        }
        let audit = settings.changes.audits ? audit : nil
        let lock = tables.itemTable == nil ? nil : (
            marks == .shared ? "SELECT pg_advisory_xact_lock_shared($1::bigint)" : "SELECT pg_advisory_xact_lock($1::bigint)",
            [PGValue(Self.marksLockKey)])
        let result = try withConnection("write") { connection in
            try connection.transaction(opening: lock) { () -> T in
                let result = try body(connection)
                if let audit, layout == .sodarcache { try record(connection, audit(result)) }
                return result
            }
        }
        if let audit, layout == .sodar { recordCommitted(audit(result)) }
        return result
    }

    /// Several reads that must see one snapshot.
    func snapshotRead<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try withConnection { connection in try connection.transaction(.readOnlySnapshot) { try body(connection) } }
    }

    /// Runs `body`, turning libpq and server errors into `CacheError`s that name the store.
    /// The name is built only on failure: redacting the URI on every call cost a get 10-30% of
    /// its time against a raw libpq loop.
    static func mapped<T>(_ location: @autoclosure () -> String, operation: String = "read", _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PGError {
            throw map(error, location: location(), operation: operation)
        } catch let corrupt as CorruptRow {
            throw corrupt.error(location: location())
        }
    }

    static func map(_ error: PGError, location: String, operation: String = "read") -> CacheError {
        if error.isBusy {
            return .storeBusy(location: location, reason: "busy: another session held a lock this \(operation) needs for longer than \(lockTimeout)")
        }
        if error.isPermission {
            return .storeUnwritable(location: location, reason: error.message)
        }
        if error.isDiskFull {
            return .storeUnwritable(location: location, reason: "the server's disk is full (\(error.message))")
        }
        if error.isConnectionFailure {
            return .storeUnreachable(location: location, reason: "connection lost (\(error.message)); nothing in flight was written")
        }
        return .storeFailure(error.message)
    }

    /// Whether `name` can be used as an SQL identifier as it is (letters, digits, `_`, an
    /// optional `schema.` prefix).
    static func isIdentifier(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, part.count <= 63 else { return false }
            return (first == "_" || ("a"..."z").contains(first))
                && part.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    /// The item table's alias-qualified columns every listing selects, in `StoredRow.itemSummary` order;
    /// the time is the item's age as `itemAges` says (`get` keeps SODAR's `date_modified`).
    var itemColumns: String {
        guard itemAges == .commitTime else { return Self.itemColumns(layout) }
        return Self.itemColumns(layout).replacingOccurrences(of: "extract(epoch from i.date_modified)", with: "extract(epoch from \(ageColumn))")
    }

    /// The item's age as a timestamp: its commit time where the server keeps one.
    var ageColumn: String {
        itemAges == .commitTime ? "coalesce(pg_xact_commit_timestamp(i.xmin), i.date_modified)" : "i.date_modified"
    }

    /// The item's last write for `--older-than`: its commit time; for a row whose commit time the
    /// server no longer has, the horizon it was written before (which settles the question when
    /// the horizon is older than the threshold); where neither is known, never old.
    var lastWriteBoundColumn: String {
        guard itemAges == .commitTime else { return "i.date_modified" }
        let horizon = horizonReadable
            // The control file's horizon is 0 until a checkpoint after the setting was turned on
            // (pg_xact_commit_timestamp(0) is an error, not NULL).
            ? """
            (SELECT CASE WHEN c.oldest_commit_ts_xid::text::bigint > 2 THEN pg_xact_commit_timestamp(c.oldest_commit_ts_xid) END
             FROM pg_control_checkpoint() c),\u{20}
            """ : ""
        return "coalesce(pg_xact_commit_timestamp(i.xmin), \(horizon)'infinity'::timestamptz)"
    }

    static func itemColumns(_ layout: Layout) -> String {
        switch layout {
        case .sodar:
            return """
                i.sodar_uuid, p.sodar_uuid, i.app_name, i.name, u.username, u.sodar_uuid,
                extract(epoch from i.date_modified)::text
                """
        case .sodarcache:
            return """
                i.sodar_uuid, p.sodar_uuid, i.app_name, i.name, i.user_name, i.user_uuid,
                extract(epoch from i.date_modified)::text
                """
        }
    }

    /// The joins `itemColumns` needs, after `FROM <items> i`.
    var itemJoins: String { Self.itemJoins(layout, tables) }

    static func itemJoins(_ layout: Layout, _ tables: Tables) -> String {
        switch layout {
        case .sodar:
            return "LEFT JOIN \(tables.projects) p ON p.id = i.project_id LEFT JOIN \(tables.users!) u ON u.id = i.user_id"
        case .sodarcache:
            return "LEFT JOIN \(tables.projects) p ON p.id = i.project_id"
        }
    }

    /// The payload as JSON text.
    var dataColumn: String { Self.dataColumn(layout) }

    static func dataColumn(_ layout: Layout) -> String { layout == .sodar ? "i.data::text" : "i.data" }
    /// The payload's size in bytes of JSON text.
    var sizeColumn: String { layout == .sodar ? "octet_length(i.data::text)" : "i.size" }

    /// The row version every write moves: the transaction id that wrote it (`xmin`), as a number.
    var versionColumn: String { tables.versionColumn }
    /// A row's version on the table itself (what `deleteItemRows` reads).
    static let xminColumn = "i.xmin::text::bigint"

    /// Rows of `itemColumns` followed by a size column and `versionColumn`, as item summaries.
    static func summaries(_ result: PGResult) throws -> [ItemSummary] {
        try result.rows { try $0.itemSummary(version: true, uuidColumn: "sodar_uuid") }
    }

    static func user(name: String?, uuid: UUID?) -> User? {
        name.map { User(username: $0, uuid: uuid) }
    }
}

extension PostgresCacheStore {
    /// Takes `PGOPTIONS` out of the process environment, keeping its value for the store to apply
    /// after connecting (libpq would send it in the startup packet, which PgBouncer refuses).
    /// Call it while the process is single-threaded; a store's first open does it otherwise.
    public static func claimEnvironmentOptions() { _ = PGOptions.environment }

    /// The server settings a libpq `options` value holds (`-c name=value`, `--name=value`), as
    /// the store applies them after connecting; for tools and the fuzz target.
    /// - Throws: `CacheError.invalidArgument` naming the token that is not a setting.
    public static func serverSettings(fromOptions text: String) throws -> [(name: String, value: String)] {
        try serverSettings(text, source: "options").map { (name: $0.0, value: $0.1) }
    }

    /// `PGOptions.settings`, its refusal as the user's mistake it is.
    static func serverSettings(_ text: String, source: String) throws -> [(String, String)] {
        do {
            return try PGOptions.settings(text, source: source)
        } catch {
            throw CacheError.invalidArgument(error.message)
        }
    }
}
