import CLibpq
import Foundation
import Logging
import PostgresDriver
import SodarCache
import SodarCachePostgres
import StoreKernel

/// `sodarcache-bench postgres --uri URI [--layout both|sodar|sodarcache] [--items N] [--projects M]
/// [--singles K] [--gets G] [--batch B] [--batched-items I] [--ddl PATH]`
///
/// For each layout, makes a database on the server at URI (`sodarcache_bench_sodar`: SODAR Core
/// 1.4.5's tables from the DDL file; `sodarcache_bench_store`: sodarcache's own schema), fills it
/// server-side with N items over M projects (a tree of categories, payloads like the SQLite
/// bench's), then measures `PostgresCacheStore` against a raw libpq loop running the store's own
/// statements (prepared once, parameters bound), the two taking turns round by round, and the
/// first page of every browsing query. The databases are left in place for the browser's run.
enum PostgresBench {
    static let apps = StoreBench.apps

    struct Options {
        var scale = PostgresBenchScale()
        var layouts: [PostgresCacheStore.Layout] = [.sodarcache, .sodar]
        var singles = 5_000
        var gets = 30_000
        var batch = 1_000
        var batchedItems = 50_000
        var ddl = "Tests/StoreContractTests/Support/sodar-core-1.4.5.sql"
        /// PgBouncer (transaction mode) in front of the same server: the store's pooled route
        /// against a raw loop of the same pooler-safe pipelines, through it.
        var pooledURI: String?
    }

    /// No trash and no audit trail: the store against raw libpq, as issue 19 measures it.
    static let benchSettings: PostgresCacheStore.Settings = {
        var settings = PostgresCacheStore.Settings()
        settings.changes = ChangePolicy(trash: .off, auditKeep: 0)
        return settings
    }()

    static func run(_ arguments: [String]) {
        do {
            let options = try parse(arguments)
            for layout in options.layouts { try measure(layout, options) }
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench postgres: \(error)\n".utf8))
            exit(1)
        }
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        for (argument, value) in try BenchArguments.pairs(arguments) where try !options.scale.take(argument, value) {
            switch argument {
            case "--ddl": options.ddl = value
            case "--pooled-uri": options.pooledURI = value
            case "--layout": options.layouts = try BenchArguments.layouts(value)
            default:
                let number = try BenchArguments.count(argument, value)
                switch argument {
                case "--singles": options.singles = number
                case "--gets": options.gets = number
                case "--batch": options.batch = number
                case "--batched-items": options.batchedItems = number
                default: throw CacheError.invalidArgument("unknown option \(argument)")
                }
            }
        }
        try options.scale.check()
        return options
    }

    /// The URI with its database name replaced.
    static func uri(_ uri: String, database: String) -> String {
        guard let scheme = uri.range(of: "://") else { return uri }
        let rest = uri[scheme.upperBound...]
        let query = rest.firstIndex(of: "?") ?? rest.endIndex
        let authority = rest[..<query].firstIndex(of: "/") ?? query
        return String(uri[..<scheme.upperBound]) + rest[..<authority] + "/" + database + rest[query...]
    }

    // MARK: - One layout

    static func measure(_ layout: PostgresCacheStore.Layout, _ options: Options) throws {
        let database = layout == .sodar ? "sodarcache_bench_sodar" : "sodarcache_bench_store"
        let databaseURI = uri(options.scale.uri, database: database)
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        var clock = StoreBench.Stopwatch()
        emit("== PostgreSQL, \(layout == .sodar ? "a SODAR site's tables (SODAR Core 1.4.5 DDL)" : "sodarcache's own schema"): "
              + "\(database), \(options.scale.items) items over \(options.scale.projects) projects")
        do {
            let admin = try Raw(uri: options.scale.uri)
            emit("server: " + (try admin.value("SELECT version()")))
            try admin.exec("DROP DATABASE IF EXISTS \(database)")
            try admin.exec("CREATE DATABASE \(database)")
        }
        let raw = try Raw(uri: databaseURI)
        let shape = Database.shape(items: options.scale.items, projects: options.scale.projects)
        if layout == .sodar {
            guard let ddl = FileManager.default.contents(atPath: options.ddl) else {
                throw CacheError.invalidArgument("cannot read the SODAR DDL at \(options.ddl) (run from the package root or pass --ddl)")
            }
            try raw.exec(String(decoding: ddl, as: UTF8.self))
        } else {
            // The schema comes from the store's own migrations.
            _ = try PostgresCacheStore.initialize(location: PostgresLocation(databaseURI)!)
        }
        _ = clock.lap()
        try fill(
            raw, layout, items: options.scale.items, categories: shape.categories, projects: shape.projects,
            perProject: shape.perProject)
        emit(String(format: "filled server-side in %.1f s (generate_series; then VACUUM ANALYZE)", clock.lap()))
        emit("database size: " + (try raw.value("SELECT pg_size_pretty(pg_database_size(current_database()))")))

        let location = PostgresLocation(databaseURI)!
        let opened = try Database(
            layout, uri: databaseURI, raw: raw, projects: shape.projects, perProject: shape.perProject, logger: quiet)
        let (store, ids, uuids, user) = (opened.store, opened.ids, opened.uuids, opened.user)
        let key = opened.key
        // History off, as issue 19 measures the store against raw libpq (`history` measures its
        // cost). On sodarcache's schema a trigger keeps the versions of every writer, the raw
        // loop's too; and in one of the two sessions its trim was planned as a scan of the
        // whole version table (0.3 ms growing to 1.3 ms a write within 4 s), so that single
        // upserts measured 27-29% or 220-401% of raw, depending on the run.
        if layout == .sodarcache { try store.history?.storeHistoryPolicy(.off) }
        let statements = PostgresCacheStore.itemStatements(layout: layout)
        try raw.prepare("upsertBatch", statements.upsertBatch, parameters: layout == .sodar ? 6 : 8)

        /// The store's multi-row upsert: one array per column, as text.
        func rawBatch(_ writes: [CacheWrite]) throws {
            let stamp = String(CacheWriteRules.storedTime(Date()).timeIntervalSince1970)
            func array(_ elements: [String?]) -> Raw.Parameter {
                var bytes: [UInt8] = [UInt8(ascii: "{")]
                for (index, element) in elements.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    guard let element else { bytes += "NULL".utf8; continue }
                    bytes.append(UInt8(ascii: "\""))
                    for byte in element.utf8 {
                        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                        bytes.append(byte)
                    }
                    bytes.append(UInt8(ascii: "\""))
                }
                bytes.append(UInt8(ascii: "}"))
                return .data(Data(bytes))
            }
            let apps = array(writes.map(\.appName)), names = array(writes.map(\.name))
            let stamps = array(writes.map { _ in stamp }), data = array(writes.map { String(decoding: $0.data, as: UTF8.self) })
            let projects = array(writes.map { String(ids[$0.project!]!) }), users = array(writes.map { $0.user?.username })
            let parameters: [Raw.Parameter]
            switch layout {
            case .sodar:
                parameters = [apps, names, stamps, data, projects, users]
            case .sodarcache:
                parameters = [projects, apps, names, users, array(writes.map { $0.user?.uuid?.uuidString.lowercased() }), stamps,
                              array(writes.map { String($0.data.count) }), data]
            }
            _ = try raw.execPrepared("upsertBatch", parameters)
        }

        var rng = SplitMix64(seed: 42)
        // Both sides share one database: each gets items of its own (the first to touch a row
        // pays for its pages), and they take turns going first.
        var round = 0
        var storeTime = 0.0
        var rawTime = 0.0

        // MARK: Batched upserts: new items (a sync's first run), store and raw in turns
        var done = 0
        while done < options.batchedItems {
            let count = min(options.batch, options.batchedItems - done)
            func writes(_ side: String) -> [CacheWrite] {
                (done..<done + count).map { i in
                    let k = key((i * 7919) % options.scale.items)
                    return CacheWrite(appName: k.app, name: "new/\(side)/\(i)", data: StoreBench.payload(i, &rng), project: k.project)
                }
            }
            let storeWrites = writes("store")
            let rawWrites = writes("raw")
            try turns(&round, &storeTime, &rawTime, store: { try store.setCacheItems(storeWrites) }, raw: {
                try raw.exec("BEGIN ISOLATION LEVEL READ COMMITTED")
                try rawBatch(rawWrites)
                try raw.exec("COMMIT")
            })
            done += count
        }
        let batched = (Double(options.batchedItems) / storeTime, Double(options.batchedItems) / rawTime)

        // MARK: Single upserts (autocommit, one per transaction) of random existing items, then gets
        let (singles, gets) = try singlesAndGets(
            store: store, options: options, key: key, user: user, rng: &rng, round: &round, rawUpsert: opened.rawUpsert,
            rawGet: { k in try raw.get(app: k.app, name: k.name, projectID: ids[k.project]!) != nil })

        emit("")
        emit(StoreBench.pad("operation", 36) + StoreBench.pad("store/s", 12) + StoreBench.pad("raw libpq/s", 12) + "store/raw")
        for (name, rates) in [
            ("batched upserts (\(options.batch)/txn, new)", batched),
            ("single upserts (1/txn, autocommit)", singles),
            ("gets", gets),
        ] {
            emit(StoreBench.pad(name, 36) + StoreBench.pad(StoreBench.format(rates.0), 12)
                  + StoreBench.pad(StoreBench.format(rates.1), 12) + String(format: "%.0f%%", 100 * rates.0 / rates.1))
        }

        if let pooledURI = options.pooledURI {
            try measurePooled(
                layout, uri: uri(pooledURI, database: database), options: options, ids: ids, key: key, user: user, rng: &rng,
                round: &round)
        }

        // MARK: Browsing queries: first call and median of 20
        let busiest = uuids[0]
        let someItem = try store.itemPage(project: busiest, app: nil, sort: .name, after: nil, limit: 1, filter: nil).first
        let midProject = try store.projectPage(after: nil, limit: options.scale.projects / 2, filter: nil).last
        let queries: [(String, (PostgresCacheStore) throws -> Int)] = [
            ("changeToken", { _ = try $0.changeToken(); return 1 }),
            ("totals", { try $0.totals().items }),
            ("projectPage first 50", { try $0.projectPage(after: nil, limit: 50, filter: nil).count }),
            ("projectPage 50 after the middle", { try $0.projectPage(after: midProject, limit: 50, filter: nil).count }),
            ("projectPage first 50, all folded", { try $0.projectPage(after: nil, limit: 50, query: ProjectQuery(foldAll: true)).count }),
            ("projectPage filter \"project 99\"", { try $0.projectPage(after: nil, limit: 50, filter: "project 99").count }),
            ("appPage project", { try $0.appPage(project: busiest, after: nil, limit: 50, filter: nil).count }),
            ("appPage site-wide", { try $0.appPage(project: nil, after: nil, limit: 50, filter: nil).count }),
            ("itemPage app, name", { try $0.itemPage(project: busiest, app: apps[0], sort: .name, after: nil, limit: 50, filter: nil).count }),
            ("itemPage app, updated", { try $0.itemPage(project: busiest, app: apps[0], sort: .updated, after: nil, limit: 50, filter: nil).count }),
            ("itemPage app, size", { try $0.itemPage(project: busiest, app: apps[0], sort: .size, after: nil, limit: 50, filter: nil).count }),
            ("itemPage all apps, name", { try $0.itemPage(project: busiest, app: nil, sort: .name, after: nil, limit: 50, filter: nil).count }),
            ("itemPage all apps, updated", { try $0.itemPage(project: busiest, app: nil, sort: .updated, after: nil, limit: 50, filter: nil).count }),
            ("itemPage all apps, size", { try $0.itemPage(project: busiest, app: nil, sort: .size, after: nil, limit: 50, filter: nil).count }),
            ("itemPage site-wide, updated", { try $0.itemPage(project: nil, app: nil, sort: .updated, after: nil, limit: 50, filter: nil).count }),
            ("itemPage name filter \"rows/1\"", { try $0.itemPage(project: busiest, app: nil, sort: .name, after: nil, limit: 50, filter: "rows/1").count }),
            ("allItemsPage first 50", { try $0.allItemsPage(after: nil, limit: 50).count }),
            ("allItemsPage 50 after an item", { try $0.allItemsPage(after: someItem, limit: 50).count }),
            ("items(matching: app)", { try $0.items(matching: CacheFilter(appName: apps[1]), after: nil, limit: 50).count }),
            ("items(matching: project, older)", {
                try $0.items(matching: CacheFilter(scope: .project(busiest), olderThan: Date()), after: nil, limit: 50).count }),
            ("items(matching: orphans)", {
                try $0.items(matching: CacheFilter(appNotIn: Set(apps)), after: nil, limit: 50).count }),
            ("item(uuid:)", { try $0.item(uuid: someItem?.uuid ?? UUID()) == nil ? 0 : 1 }),
        ]
        emit("")
        emit(StoreBench.pad("browsing query (limit 50)", 36) + StoreBench.pad("rows", 8) + StoreBench.pad("first ms", 10) + StoreBench.pad("median ms", 11) + "cold ms (median of 20, 3 if slow; cold: own new store)")
        // First calls, each query in turn on one store opened for them (as one launch asks
        // several queries), and on a store of its own that has read nothing and opens its pool's
        // connections for this call (a new server backend's catalogue caches are empty).
        let fresh = try PostgresCacheStore(location: location, registeredApps: apps, logger: quiet)
        for (name, query) in queries {
            let cold = try PostgresCacheStore(location: location, registeredApps: apps, logger: quiet)
            _ = clock.lap()
            _ = try query(cold)
            let coldTime = clock.lap()
            let rows = try query(fresh)
            let first = clock.lap()
            var times: [Double] = []
            // A query of seconds gets 3 repeats, not 20.
            for _ in 0..<(first > 0.2 ? 3 : 20) {
                _ = try query(store)
                times.append(clock.lap())
            }
            times.sort()
            emit(StoreBench.pad(name, 36) + StoreBench.pad("\(rows)", 8) + StoreBench.pad(String(format: "%.3f", first * 1000), 10)
                  + StoreBench.pad(String(format: "%.3f", times[times.count / 2] * 1000), 11) + String(format: "%.3f", coldTime * 1000))
        }
        emit("")
    }

    /// Through PgBouncer in transaction mode: the store (its pooled route: unnamed statements,
    /// settings in each pipeline) against a raw libpq loop sending the same pipelines.
    static func measurePooled(
        _ layout: PostgresCacheStore.Layout, uri: String, options: Options, ids: [UUID: Int],
        key: (Int) -> (project: UUID, app: String, name: String), user: User, rng: inout SplitMix64, round: inout Int
    ) throws {
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try PostgresCacheStore(location: PostgresLocation(uri)!, registeredApps: apps, settings: benchSettings, logger: quiet)
        guard store.route == .pooled else { throw CacheError.storeFailure("\(uri) is not a pooled connection (route \(store.route))") }
        let raw = try Raw(uri: uri)
        let statements = PostgresCacheStore.itemStatements(layout: layout)
        let settings = "SELECT set_config('lock_timeout', $1, true), set_config('jit', $2, true)"
        let settingValues: [Raw.Parameter] = [.text("5s"), .text("off")]
        let (singles, gets) = try singlesAndGets(
            store: store, options: options, key: key, user: user, rng: &rng, round: &round,
            rawUpsert: { write in
                let parameters = upsertParameters(write, layout, projectID: ids[write.project!]!)
                guard try raw.pipeline([(settings, settingValues), (statements.upsert, parameters)]) == 1 else {
                    throw CacheError.storeFailure("raw pooled upsert wrote nothing")
                }
            },
            rawGet: { k in
                try raw.pipeline([
                    (settings, settingValues), (statements.get, [.text(k.app), .text(k.name), .text(String(ids[k.project]!))]),
                ]) == 1
            })
        emit("")
        emit("through PgBouncer (transaction mode): \(PostgresLocation(uri)!.description)")
        emit(StoreBench.pad("operation", 36) + StoreBench.pad("store/s", 12) + StoreBench.pad("raw pipe/s", 12) + "store/raw")
        for (name, rates) in [("single upserts (1/txn, pooled)", singles), ("gets (pooled)", gets)] {
            emit(StoreBench.pad(name, 36) + StoreBench.pad(StoreBench.format(rates.0), 12)
                  + StoreBench.pad(StoreBench.format(rates.1), 12) + String(format: "%.0f%%", 100 * rates.0 / rates.1))
        }
    }

    /// Single upserts (autocommit) of random existing items, then gets, the store and a raw loop
    /// taking turns round by round: each side's rate per second.
    static func singlesAndGets(
        store: PostgresCacheStore, options: Options, key: (Int) -> (project: UUID, app: String, name: String), user: User,
        rng: inout SplitMix64, round: inout Int, rawUpsert: (CacheWrite) throws -> Void,
        rawGet: ((project: UUID, app: String, name: String)) throws -> Bool
    ) throws -> (singles: (Double, Double), gets: (Double, Double)) {
        var storeTime = 0.0, rawTime = 0.0
        var done = 0
        while done < options.singles {
            let count = min(500, options.singles - done)
            func writes() -> [CacheWrite] {
                (0..<count).map { _ -> CacheWrite in
                    let i = Int(rng.next() % UInt64(options.scale.items))
                    let k = key(i)
                    return CacheWrite(appName: k.app, name: k.name, data: StoreBench.payload(i, &rng), project: k.project, user: user)
                }
            }
            let storeWrites = writes(), rawWrites = writes()
            try turns(&round, &storeTime, &rawTime, store: {
                for write in storeWrites {
                    try store.setCacheItem(
                        appName: write.appName, name: write.name, data: write.data, dataType: "json", project: write.project,
                        user: write.user)
                }
            }, raw: { for write in rawWrites { try rawUpsert(write) } })
            done += count
        }
        let singles = (Double(options.singles) / storeTime, Double(options.singles) / rawTime)
        storeTime = 0
        rawTime = 0
        done = 0
        var found = (0, 0)
        while done < options.gets {
            let count = min(5_000, options.gets - done)
            let storeKeys = (0..<count).map { _ in key(Int(rng.next() % UInt64(options.scale.items))) }
            let rawKeys = (0..<count).map { _ in key(Int(rng.next() % UInt64(options.scale.items))) }
            try turns(&round, &storeTime, &rawTime, store: {
                for k in storeKeys where try store.getCacheItem(appName: k.app, name: k.name, project: k.project) != nil {
                    found.0 += 1
                }
            }, raw: {
                for k in rawKeys where try rawGet(k) { found.1 += 1 }
            })
            done += count
        }
        guard found.0 == options.gets, found.1 == options.gets else {
            throw CacheError.storeFailure("gets found \(found.0) and \(found.1) of \(options.gets) items")
        }
        return (singles, (Double(options.gets) / storeTime, Double(options.gets) / rawTime))
    }

    /// Runs one round of each side, alternating which goes first; adds their times.
    static func turns(
        _ round: inout Int, _ storeTime: inout Double, _ rawTime: inout Double,
        store: () throws -> Void, raw: () throws -> Void
    ) throws {
        var clock = StoreBench.Stopwatch()
        if round % 2 == 0 {
            try store()
            storeTime += clock.lap()
            try raw()
            rawTime += clock.lap()
        } else {
            try raw()
            rawTime += clock.lap()
            try store()
            storeTime += clock.lap()
        }
        round += 1
    }

    /// Prints a line now (stdout to a file is block-buffered, and a run takes minutes).
    static func emit(_ line: String) {
        print(line)
        fflush(nil)
    }

    // MARK: - Filling the database

    /// N items over the projects, written server-side in chunks: `generate_series` makes the
    /// rows, a correlated subquery the payload text (1-3 `paths` entries, 150-400 bytes).
    static func fill(
        _ raw: Raw, _ layout: PostgresCacheStore.Layout, items: Int, categories: Int, projects: Int, perProject: Int
    ) throws {
        let appArray = "ARRAY[" + apps.map { "'\($0)'" }.joined(separator: ",") + "]"
        let payload = """
            '{"paths": {' || (SELECT string_agg(format('"/sodarZone/projects/%s/sample_data/study_%s/assay_%s/row_%s": {"file_count": %s, "total_size": %s}',
                i % 97, i, r, r, floor(random() * 50)::int, floor(random() * 100000000)::bigint), ', ')
                FROM generate_series(0, i % 3) r) || '}}'
            """
        let project = "\(categories) + 1 + least(i / \(perProject), \(projects - 1))"
        switch layout {
        case .sodar:
            try raw.exec("""
                INSERT INTO users_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                    date_joined, name, sodar_uuid, enable_update)
                SELECT '', false, 'bench', '', '', '', false, true, now(), 'Bench User', gen_random_uuid(), false
                WHERE NOT EXISTS (SELECT 1 FROM users_user WHERE username = 'bench');
                INSERT INTO projectroles_project (id, title, type, description, sodar_uuid, parent_id, full_title,
                    has_public_children, archive)
                SELECT c + 1, 'Category ' || c, 'CATEGORY', '', gen_random_uuid(), NULL, 'Category ' || c, false, false
                FROM generate_series(0, \(categories - 1)) c;
                INSERT INTO projectroles_project (id, title, type, description, sodar_uuid, parent_id, full_title,
                    has_public_children, archive)
                SELECT \(categories) + 1 + p, 'Project ' || p, 'PROJECT', '', gen_random_uuid(), 1 + p % \(categories),
                    'Category ' || (p % \(categories)) || ' / Project ' || p, false, false
                FROM generate_series(0, \(projects - 1)) p;
                SELECT setval(pg_get_serial_sequence('projectroles_project', 'id'), \(categories + projects));
                """)
        case .sodarcache:
            try raw.exec("""
                INSERT INTO sodarcache_project (id, sodar_uuid, title, type, parent_id, description, path)
                SELECT c + 1, gen_random_uuid(), 'Category ' || c, 'CATEGORY', NULL, '', NULL
                FROM generate_series(0, \(categories - 1)) c;
                INSERT INTO sodarcache_project (id, sodar_uuid, title, type, parent_id, description, path)
                SELECT \(categories) + 1 + p, gen_random_uuid(), 'Project ' || p, 'PROJECT', 1 + p % \(categories), '',
                    '/sodarZone/projects/' || p
                FROM generate_series(0, \(projects - 1)) p;
                SELECT setval(pg_get_serial_sequence('sodarcache_project', 'id'), \(categories + projects));
                """)
        }
        var start = 0
        while start < items {
            let end = min(start + 100_000, items)
            let rows = "SELECT i, \(payload) AS d, now() - random() * interval '30 days' AS t FROM generate_series(\(start), \(end - 1)) i"
            switch layout {
            case .sodar:
                try raw.exec("""
                    INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                    SELECT (\(appArray))[1 + i % 4], 'irods/rows/' || i, t, gen_random_uuid(), d::jsonb, \(project), NULL
                    FROM (\(rows)) s
                    """)
            case .sodarcache:
                try raw.exec("""
                    INSERT INTO sodarcache_item (sodar_uuid, project_id, app_name, name, user_name, user_uuid, date_modified, size, data)
                    SELECT gen_random_uuid(), \(project), (\(appArray))[1 + i % 4], 'irods/rows/' || i, NULL, NULL, t, octet_length(d), d
                    FROM (\(rows)) s
                    """)
            }
            start = end
        }
        // Ten site-wide items.
        let siteRows = "SELECT i, \(payload) AS d FROM generate_series(0, 9) i"
        switch layout {
        case .sodar:
            try raw.exec("""
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                SELECT 'samplesheets', 'site/' || i, now(), gen_random_uuid(), d::jsonb, NULL, NULL FROM (\(siteRows)) s
                """)
        case .sodarcache:
            try raw.exec("""
                INSERT INTO sodarcache_item (sodar_uuid, project_id, app_name, name, date_modified, size, data)
                SELECT gen_random_uuid(), NULL, 'samplesheets', 'site/' || i, now(), octet_length(d), d FROM (\(siteRows)) s
                """)
        }
        try raw.exec("VACUUM ANALYZE")
    }

    // MARK: - The ceiling: libpq, no wrapper

    /// One libpq connection, statements prepared once, parameters bound in text format.
    final class Raw {
        enum Parameter {
            case text(String)
            case data(Data)
            case null
        }

        private let connection: OpaquePointer

        init(uri: String) throws {
            guard let connection = PQconnectdb(uri), PQstatus(connection) == CONNECTION_OK else {
                throw CacheError.storeFailure("cannot connect to \(PostgresLocation(uri)?.description ?? "?")")
            }
            self.connection = connection
            PQsetNoticeProcessor(connection, { _, _ in }, nil)
        }

        deinit { PQfinish(connection) }

        private func check(_ result: OpaquePointer?) throws -> OpaquePointer {
            guard let result else { throw CacheError.storeFailure(String(cString: PQerrorMessage(connection))) }
            let status = PQresultStatus(result)
            guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
                let message = String(cString: PQresultErrorMessage(result))
                PQclear(result)
                throw CacheError.storeFailure(message.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return result
        }

        func exec(_ sql: String) throws {
            PQclear(try check(PQexec(connection, sql)))
        }

        func rows(_ sql: String) throws -> [[String]] {
            let result = try check(PQexec(connection, sql))
            defer { PQclear(result) }
            return (0..<PQntuples(result)).map { row in
                (0..<PQnfields(result)).map { String(cString: PQgetvalue(result, row, $0)) }
            }
        }

        func value(_ sql: String) throws -> String { try rows(sql).first?.first ?? "" }

        func projectIDs(_ table: String) throws -> [UUID: Int] {
            var ids: [UUID: Int] = [:]
            for row in try rows("SELECT sodar_uuid::text, id FROM \(table)") {
                if let uuid = UUID(uuidString: row[0]), let id = Int(row[1]) { ids[uuid] = id }
            }
            return ids
        }

        func prepare(_ name: String, _ sql: String, parameters: Int) throws {
            PQclear(try check(PQprepare(connection, name, sql, Int32(parameters), nil)))
        }

        /// Calls `body` with the parameters as libpq's text values (nil for NULL), freed after.
        /// A payload is copied straight from its bytes (libpq reads text parameters up to their
        /// NUL, so one NUL-terminated copy).
        private static func withValues<Result>(
            _ parameters: [Parameter], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> Result
        ) rethrows -> Result {
            var buffers: [UnsafeMutablePointer<CChar>?] = []
            buffers.reserveCapacity(parameters.count)
            for parameter in parameters {
                switch parameter {
                case .null: buffers.append(nil)
                case .text(let text): buffers.append(strdup(text))
                case .data(let data):
                    let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: data.count + 1)
                    data.withUnsafeBytes { bytes in
                        if let base = bytes.baseAddress { memcpy(buffer, base, data.count) }
                    }
                    buffer[data.count] = 0
                    buffers.append(buffer)
                }
            }
            defer { for buffer in buffers { free(buffer) } }
            let pointers = buffers.map { UnsafePointer($0) }
            return try pointers.withUnsafeBufferPointer { try body($0.baseAddress) }
        }

        /// Runs a prepared statement; returns how many rows it returned.
        func execPrepared(_ name: String, _ parameters: [Parameter]) throws -> Int {
            let result = try check(Self.withValues(parameters) {
                PQexecPrepared(connection, name, Int32(parameters.count), $0, nil, nil, 0)
            })
            let rows = Int(PQntuples(result))
            PQclear(result)
            return rows
        }

        /// Sends unnamed statements in one pipeline ending in one Sync (one round trip, one
        /// implicit transaction: what a pooler in transaction mode keeps on one server session);
        /// returns the rows of the last, read as the store reads a get's (every column touched).
        func pipeline(_ statements: [(String, [Parameter])]) throws -> Int {
            guard PQenterPipelineMode(connection) == 1 else { throw CacheError.storeFailure("no pipeline mode") }
            defer { _ = PQexitPipelineMode(connection) }
            for (sql, parameters) in statements {
                let sent = Self.withValues(parameters) {
                    PQsendQueryParams(connection, sql, Int32(parameters.count), nil, $0, nil, nil, 0)
                }
                guard sent == 1 else { throw CacheError.storeFailure(String(cString: PQerrorMessage(connection))) }
            }
            guard PQpipelineSync(connection) == 1 else { throw CacheError.storeFailure(String(cString: PQerrorMessage(connection))) }
            var rows = 0
            for _ in statements {
                while let result = PQgetResult(connection) {
                    let status = PQresultStatus(result)
                    if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK {
                        rows = Int(PQntuples(result))
                        if status == PGRES_COMMAND_OK { rows = Int(String(cString: PQcmdTuples(result))) ?? 0 }
                        for row in 0..<PQntuples(result) {
                            for column in 0..<PQnfields(result) { _ = PQgetvalue(result, row, column) }
                        }
                    } else {
                        let message = String(cString: PQresultErrorMessage(result))
                        PQclear(result)
                        throw CacheError.storeFailure(message)
                    }
                    PQclear(result)
                }
            }
            if let sync = PQgetResult(connection) { PQclear(sync) }
            return rows
        }

        /// A project's item: its payload, with the other columns read as the store reads them.
        func get(app: String, name: String, projectID: Int) throws -> Data? {
            let parameters = [strdup(app), strdup(name), strdup(String(projectID))]
            defer { parameters.forEach { free($0) } }
            let pointers = parameters.map { UnsafePointer($0) }
            let result = try check(pointers.withUnsafeBufferPointer {
                PQexecPrepared(connection, "get", 3, $0.baseAddress, nil, nil, 0)
            })
            defer { PQclear(result) }
            guard PQntuples(result) == 1 else { return nil }
            let uuid = String(cString: PQgetvalue(result, 0, 0))
            let user = PQgetisnull(result, 0, 4) == 1 ? nil : String(cString: PQgetvalue(result, 0, 4))
            let date = strtod(PQgetvalue(result, 0, 6), nil)
            _ = (uuid, user, date)
            return Data(bytes: PQgetvalue(result, 0, 7), count: Int(PQgetlength(result, 0, 7)))
        }
    }
}
