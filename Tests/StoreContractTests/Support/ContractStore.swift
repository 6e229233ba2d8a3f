import Foundation
import GRDB
import Logging
import PostgresDriver
import SodarCache
@testable import SodarCachePostgres
import SodarCacheMemory
import SodarCacheSQLite
import StoreKernel

/// The stores every contract test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The SQLite file store.
    case sqlite
    /// sodarcache's own schema in PostgreSQL.
    case postgres
    /// A SODAR-shaped PostgreSQL database (SODAR Core 1.4.5's tables).
    case sodar
    /// The in-memory store (SodarCacheMemory), the test double of every other suite.
    case memory

    var description: String { rawValue }

    /// SQLite always; the PostgreSQL kinds when a test server is configured.
    static let available: [StoreKind] = {
        if TestServer.uri == nil {
            print("StoreContractTests: PostgreSQL stores skipped: no test server ($SODARCACHE_TEST_PG is not set; .ci/run sets it)")
            return [.sqlite, .memory]
        }
        return allCases
    }()

    /// The kinds whose projects sodarcache writes (a SODAR site's projects are SODAR's).
    static let ownProjects = available.filter { $0 != .sodar }
}

/// The test server: `$SODARCACHE_TEST_PG`, a URI to a database the tests may create
/// databases from (scripts/pg-cluster.sh starts one).
enum TestServer {
    static let uri: String? = {
        let value = ProcessInfo.processInfo.environment["SODARCACHE_TEST_PG"] ?? ""
        return value.isEmpty ? nil : value
    }()

    /// `uri` naming another database on the same server.
    static func uri(database: String) -> String {
        guard let base = uri, let scheme = base.range(of: "://") else { return "" }
        let rest = base[scheme.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let query = rest.firstIndex(of: "?") ?? rest.endIndex
        return String(base[..<scheme.upperBound]) + rest[..<slash] + "/" + database + rest[query...]
    }

    /// The server is reached through PgBouncer in transaction mode (`.ci/run`'s second pass sets
    /// `SODARCACHE_TEST_POOLED=1`): tests of roles, passwords and killed sessions, which are
    /// the pooler's own matter, run only on the direct pass.
    static let pooled = ProcessInfo.processInfo.environment["SODARCACHE_TEST_POOLED"] == "1"

    static func admin() throws -> PGConnection {
        try PGConnection(uri: uri ?? "", settings: [])
    }

    /// A new empty database; dropped by `drop(_:)`. `icu`: its default collation is ICU's
    /// en-US (as most SODAR sites' en_US.UTF-8 or ICU databases), not the cluster's C.UTF-8.
    static func createDatabase(icu: Bool = false) throws -> String {
        let name = "sc_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try admin().execute(
            "CREATE DATABASE \(name)" + (icu ? " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'" : ""))
        return name
    }

    static func drop(_ name: String) {
        _ = try? admin().execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// SODAR Core 1.4.5's cache, project and user tables.
    static let sodarSchema: String = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("sodar-core-1.4.5.sql")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()
}

/// A fresh store of one kind, removed when the fixture goes away.
final class ContractStore {
    static let apps = ["filesfolders", "samplesheets", "samplesheets.assayapps.cytof", "timeline"]

    let kind: StoreKind
    let store: any CacheStore
    /// Every handle's clock: 10 ms later at each write, so tests that need one write after
    /// another never sleep (every engine takes an injected clock).
    let clock: @Sendable () -> Date = {
        let ticks = Locked(Date().timeIntervalSince1970.rounded(.down))
        return { Date(timeIntervalSince1970: ticks.withLock { $0 += 0.01; return $0 }) }
    }()
    /// The SQLite file's directory, or the PostgreSQL database's name.
    private let place: String
    /// A direct connection for setting up what only SODAR writes (projects, users).
    private let direct: PGConnection?
    private let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// - Parameter icu: for the PostgreSQL kinds, a database whose default collation is ICU's en-US.
    init(_ kind: StoreKind, apps: [String] = ContractStore.apps, icu: Bool = false) throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-contract-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            place = directory.path
            direct = nil
            store = try SQLiteCacheStore(
                path: directory.appendingPathComponent("cache.sqlite3").path, registeredApps: apps, readOnly: false, logger: quiet,
                busyTimeout: 5, clock: clock)
        case .memory:
            place = ""
            direct = nil
            store = MemoryCacheStore(registeredApps: apps, clock: clock)
        case .postgres, .sodar:
            place = try TestServer.createDatabase(icu: icu)
            let uri = TestServer.uri(database: place)
            let connection = try PGConnection(uri: uri, settings: [])
            if kind == .sodar { try connection.execute(TestServer.sodarSchema) }
            direct = connection
            // Only `init` creates a store: opening an empty database is refused.
            if kind == .postgres { _ = try PostgresCacheStore.initialize(location: PostgresLocation(uri)!) }
            store = try PostgresCacheStore(
                location: PostgresLocation(uri)!, registeredApps: apps,
                settings: Self.settings(clock, localTrash: kind == .sodar ? Self.localTrashPath(place) : nil), logger: quiet)
        }
    }

    deinit {
        switch kind {
        case .sqlite: try? FileManager.default.removeItem(atPath: place)
        case .postgres, .sodar:
            TestServer.drop(place)
            for file in SQLiteFiles.all(of: Self.localTrashPath(place)) { try? FileManager.default.removeItem(atPath: file) }
        case .memory: break
        }
    }

    /// Another instance on the same store, as another process would open it.
    /// - Parameter clock: the handle's own clock (default: the fixture's); a memory store with
    ///   its own clock is a new, empty one.
    func reopen(
        readOnly: Bool = false, apps: [String] = ContractStore.apps, changes: ChangePolicy = .standard,
        clock: (@Sendable () -> Date)? = nil
    ) throws -> any CacheStore & StoreEngine {
        let given = clock
        let clock = clock ?? self.clock
        switch kind {
        case .memory:
            // One process: another handle on the same memory, with its own rules.
            guard let memory = store as? MemoryCacheStore else { throw CacheError.storeFailure("not a memory store") }
            if given != nil && !readOnly { return MemoryCacheStore(registeredApps: apps, clock: clock, changes: changes) }
            return memory.view(registeredApps: apps, readOnly: readOnly, changes: changes)
        case .sqlite:
            return try SQLiteCacheStore(
                path: place + "/cache.sqlite3", registeredApps: apps, readOnly: readOnly, logger: quiet, busyTimeout: 5, clock: clock,
                changes: changes)
        case .postgres, .sodar:
            return try PostgresCacheStore(
                location: PostgresLocation(TestServer.uri(database: place))!, registeredApps: apps, readOnly: readOnly,
                settings: Self.settings(clock, changes: changes, localTrash: kind == .sodar ? Self.localTrashPath(place) : nil),
                logger: quiet)
        }
    }

    static func settings(
        _ clock: @escaping @Sendable () -> Date, changes: ChangePolicy = .standard, localTrash: String? = nil
    ) -> PostgresCacheStore.Settings {
        var settings = PostgresCacheStore.Settings()
        settings.clock = clock
        settings.changes = changes
        if let localTrash {
            // A SODAR site's trash, in a local store of this host (a SQLite file).
            settings.localTrash = {
                try SQLiteCacheStore(
                    path: localTrash, registeredApps: [], readOnly: false,
                    logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), busyTimeout: 5, clock: clock,
                    changes: changes)
            }
        }
        return settings
    }

    /// This fixture's local store (a SODAR site's only).
    var localTrashPath: String? { kind == .sodar ? Self.localTrashPath(place) : nil }

    /// The local store of a SODAR site's test database.
    static func localTrashPath(_ database: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-local-\(database).sqlite3").path
    }

    /// Runs SQL on the store's database behind the engine's back (SQLite or PostgreSQL): what
    /// another program, a crash or a bad restore could leave there.
    func rawSQL(_ text: String) throws {
        switch kind {
        case .sqlite: try DatabaseQueue(path: place + "/cache.sqlite3").write { try $0.execute(sql: text) }
        case .postgres, .sodar: try sql(text)
        case .memory: throw CacheError.storeFailure("a memory store has no SQL")
        }
    }

    /// The item table's name on this store.
    var itemTable: String {
        switch kind {
        case .sqlite: return "cache_item"
        case .postgres: return "sodarcache_item"
        case .sodar: return "sodarcache_jsoncacheitem"
        case .memory: return ""
        }
    }

    /// Runs SQL on a PostgreSQL store's database directly (what SODAR itself would do).
    @discardableResult
    func sql(_ text: String, _ parameters: [String?] = []) throws -> PGResult {
        guard let direct else { throw CacheError.storeFailure("not a PostgreSQL store") }
        return try direct.query(text, parameters.map { PGValue($0) })
    }

    /// A project or category: through the store, or in a SODAR database as SODAR writes it.
    @discardableResult
    func makeProject(_ title: String, type: Project.Kind = .project, parent: Project? = nil) throws -> Project {
        let project = Project(title: title, type: type, parent: parent?.uuid)
        guard kind == .sodar else { return try store.addProject(project) }
        try sql(
            """
            INSERT INTO projectroles_project (title, type, description, sodar_uuid, parent_id, full_title, has_public_children, archive)
            VALUES ($1, $2, '', $3::uuid, (SELECT id FROM projectroles_project WHERE sodar_uuid = $4::uuid), $5, false, false)
            """,
            [title, type.rawValue, project.uuid.uuidString.lowercased(), parent?.uuid.uuidString.lowercased(),
             parent.map { $0.fullTitle + " / " + title } ?? title])
        return try store.project(uuid: project.uuid) ?? project
    }

    /// A user the store can name: SODAR's user table holds it first.
    func makeUser(_ username: String) throws -> User {
        let uuid = UUID()
        if kind == .sodar {
            try sql(
                """
                INSERT INTO users_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                    date_joined, name, sodar_uuid)
                VALUES ('', false, $1, '', '', '', false, true, now(), $1, $2::uuid)
                """, [username, uuid.uuidString.lowercased()])
        }
        return User(username: username, uuid: uuid)
    }

    /// A category with one project inside, as in SODAR's test suite.
    func makeTestProject() throws -> Project {
        let category = try makeProject("TestCategory", type: .category)
        return try makeProject("TestProject", parent: category)
    }
}

func json(_ text: String) -> Data { Data(text.utf8) }
func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
