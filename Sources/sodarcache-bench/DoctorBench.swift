import Foundation
import GRDB
import Logging
import PostgresDriver
import SodarCache
import SodarCachePostgres
import SodarCacheSQLite
import StoreKernel

/// `sodarcache-bench doctor [--items N] [--projects M] [--runs R] [--store PATH] [--sqlite no] [--uri URI] [--layout ...]`
///
/// Makes stores of N items over M projects with findings planted in them (1% stale, 0.5%
/// cleared, 20 oversized, 0.1% of an app no longer registered, three projects gone with their
/// items left, every 50th project without its expected `irods/stats`, and on SODAR's tables two
/// site-wide items stored twice), then times the doctor's pass (`Doctor.examine`, what
/// `sodarcache doctor` runs) against its peer: the same findings as raw SQL aggregates on the
/// same database (the ceiling: no paging, no summaries, everything in the server's own loops).
/// The two take turns, R runs each; then `appTotals` (what `sodarcache metrics` reads besides
/// the doctor). SQLite (a file at PATH, built when missing) and, with a URI, PostgreSQL in both
/// layouts (databases `sodarcache_bench_doctor_store` and `..._sodar`, left in place).
enum DoctorBench {
    static let apps = StoreBench.apps
    static let retiredApp = "retired.app"

    struct Options {
        var items = 1_000_000
        var projects = 10_000
        var runs = 5
        var store: String?
        /// `--sqlite no`: PostgreSQL only.
        var sqlite = true
        var uri: String?
        var layouts: [PostgresCacheStore.Layout] = [.sodarcache, .sodar]
        var ddl = "Tests/StoreContractTests/Support/sodar-core-1.4.5.sql"
    }

    /// The settings every run uses: the bench's payloads are small, so oversized is 64 KiB.
    static let settings = DoctorSettings(
        staleAfter: 30 * 86400, oversizedBytes: 64 * 1024,
        expectations: [DoctorExpectation(app: "samplesheets", names: ["irods/stats"])])

    static func run(_ arguments: [String]) {
        do {
            var options = Options()
            for (argument, value) in try BenchArguments.pairs(arguments) {
                switch argument {
                case "--store": options.store = value
                case "--sqlite": options.sqlite = value != "no"
                case "--uri": options.uri = value
                case "--ddl": options.ddl = value
                case "--layout": options.layouts = try BenchArguments.layouts(value)
                case "--items": options.items = try BenchArguments.count(argument, value)
                case "--projects": options.projects = try BenchArguments.count(argument, value)
                case "--runs": options.runs = try BenchArguments.count(argument, value)
                default: throw CacheError.invalidArgument("unknown option \(argument)")
                }
            }
            options.projects = max(200, min(options.projects, options.items))
            if options.sqlite { try sqlite(options) }
            if let uri = options.uri {
                for layout in options.layouts { try postgres(layout, uri: uri, options) }
            }
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench doctor: \(error)\n".utf8))
            exit(1)
        }
    }

    // MARK: - SQLite

    static func sqlite(_ options: Options) throws {
        let path = options.store
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-bench-doctor.sqlite3").path
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        var clock = StoreBench.Stopwatch()
        if FileManager.default.fileExists(atPath: path) {
            emit("== SQLite: reusing \(path)")
        } else {
            emit("== SQLite: building \(path): \(options.items) items over \(options.projects) projects")
            let store = try SQLiteCacheStore(path: path, registeredApps: apps, logger: quiet)
            _ = try store.importProjects(StoreBench.makeProjects(options.projects))
            try store.close()
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try fillSQLite(db, items: options.items) }
            emit(String(format: "filled and planted in %.1f s (SQL in one transaction)", clock.lap()))
        }
        let store = try SQLiteCacheStore(path: path, registeredApps: apps, logger: quiet)
        let peer = try DatabaseQueue(path: path, configuration: {
            var configuration = Configuration()
            configuration.readonly = true
            return configuration
        }())
        let now = Date()
        try compare(
            store: store, runs: options.runs, now: now,
            peer: { try peer.read { db in try peerSQLite(db, now: now) } })
        try store.close()
    }

    /// N items over the projects (as `StoreBench` shapes them), then the planted findings.
    static func fillSQLite(_ db: Database, items: Int) throws {
        let ids = try Int.fetchAll(db, sql: "SELECT id FROM project WHERE type = 'PROJECT' ORDER BY id")
        guard let first = ids.first, let last = ids.last, last - first + 1 == ids.count else {
            throw CacheError.storeFailure("the bench expects contiguous project ids")
        }
        let perProject = (items + ids.count - 1) / ids.count
        let now = Date().timeIntervalSince1970
        let appList = apps.map { "'\($0)'" }.joined(separator: ", ")
        try db.execute(sql: "CREATE TEMP TABLE bench_apps(n INTEGER PRIMARY KEY, name TEXT)")
        try db.execute(sql: "INSERT INTO bench_apps SELECT key, value FROM json_each(json_array(\(appList)))")
        try db.execute(
            sql: """
                WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ? - 1),
                rows AS (
                    SELECT i, printf('{"paths": {"/sodarZone/projects/%d/sample_data/study_%d/assay_0/row_0": {"file_count": %d, "total_size": %d}}}',
                        i % 97, i, abs(random()) % 50, abs(random()) % 100000000) AS d FROM s)
                INSERT INTO cache_item (uuid, project_id, app_name, name, user_name, user_uuid, date_modified, size, data)
                SELECT randomblob(16), ? + min(i / ?, ? - 1), (SELECT name FROM bench_apps WHERE n = i % 4), 'irods/rows/' || i,
                    NULL, NULL, ? - (abs(random()) % (20 * 86400)), length(CAST(d AS BLOB)), CAST(d AS BLOB)
                FROM rows
                """, arguments: [items, first, perProject, ids.count, now])
        // Every project's statistics item, but every 50th project's.
        try db.execute(
            sql: """
                INSERT INTO cache_item (uuid, project_id, app_name, name, date_modified, size, data)
                SELECT randomblob(16), id, 'samplesheets', 'irods/stats', ?, 27, CAST('{"file_count": 1, "size": 2}' AS BLOB)
                FROM project WHERE type = 'PROJECT' AND id % 50 <> 0
                """, arguments: [now])
        try plantSQLite(db, now: now)
        // Three projects gone, their items left behind (items have no foreign key to them).
        try db.execute(sql: "DELETE FROM project WHERE id IN (SELECT id FROM project WHERE type = 'PROJECT' ORDER BY id LIMIT 3 OFFSET 10)")
    }

    /// Stale, cleared, oversized and orphaned items, by the number in each item's name.
    static func plantSQLite(_ db: Database, now: Double) throws {
        let number = "CAST(substr(name, 12) AS INTEGER)"
        let rows = "name LIKE 'irods/rows/%' AND \(number)"
        try db.execute(sql: "UPDATE cache_item SET date_modified = ? WHERE \(rows) % 100 = 0", arguments: [now - 60 * 86400])
        try db.execute(sql: "UPDATE cache_item SET data = CAST('{}' AS BLOB), size = 2 WHERE \(rows) % 200 = 1")
        try db.execute(sql: "UPDATE cache_item SET app_name = '\(retiredApp)' WHERE \(rows) % 1000 = 2")
        try db.execute(
            sql: """
                UPDATE cache_item SET data = CAST('{"blob": "' || hex(randomblob(50000)) || '"}' AS BLOB), size = 100012
                WHERE \(rows) % 50000 = 3
                """)
    }

    /// The peer on SQLite: the same findings as aggregates over the item table.
    static func peerSQLite(_ db: Database, now: Date) throws -> Int {
        let staleBefore = now.timeIntervalSince1970 - settings.staleAfter
        var found = 0
        let strip = "replace(replace(replace(replace(CAST(data AS TEXT), ' ', ''), char(9), ''), char(10), ''), char(13), '')"
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT project_id, app_name, sum(date_modified < ?), sum(size > ?), sum(size <= 16 AND \(strip) IN ('{}', '[]', 'null'))
                FROM cache_item GROUP BY project_id, app_name
                """, arguments: [staleBefore, settings.oversizedBytes])
        {
            found += (row[2] as Int) + (row[3] as Int) + (row[4] as Int)
        }
        let registered = apps.map { "'\($0)'" }.joined(separator: ", ")
        found += try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM cache_item WHERE app_name NOT IN (\(registered))
                    OR (project_id <> 0 AND NOT EXISTS (SELECT 1 FROM project p WHERE p.id = project_id))
                """) ?? 0
        found += try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM project p WHERE p.type = 'PROJECT' AND NOT EXISTS (
                    SELECT 1 FROM cache_item i WHERE i.project_id = p.id AND i.app_name = 'samplesheets' AND i.name = 'irods/stats')
                """) ?? 0
        found += try Int.fetchOne(
            db, sql: "SELECT coalesce(sum(c), 0) FROM (SELECT count(*) c FROM cache_item WHERE project_id = 0 GROUP BY app_name, name HAVING c > 1)") ?? 0
        return found
    }

    // MARK: - PostgreSQL

    static func postgres(_ layout: PostgresCacheStore.Layout, uri: String, _ options: Options) throws {
        let sodar = layout == .sodar
        let database = sodar ? "sodarcache_bench_doctor_sodar" : "sodarcache_bench_doctor_store"
        let databaseURI = PostgresBench.uri(uri, database: database)
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        var clock = StoreBench.Stopwatch()
        emit("== PostgreSQL, \(sodar ? "SODAR Core 1.4.5's tables" : "sodarcache's own schema"): \(database), "
             + "\(options.items) items over \(options.projects) projects")
        let admin = try PostgresBench.Raw(uri: uri)
        let exists = try admin.value("SELECT count(*) FROM pg_database WHERE datname = '\(database)'") == "1"
        if exists {
            emit("reusing the database")
        } else {
            try admin.exec("CREATE DATABASE \(database)")
            let raw = try PostgresBench.Raw(uri: databaseURI)
            if sodar {
                guard let ddl = FileManager.default.contents(atPath: options.ddl) else {
                    throw CacheError.invalidArgument("cannot read the SODAR DDL at \(options.ddl) (run from the package root)")
                }
                try raw.exec(String(decoding: ddl, as: UTF8.self))
            } else {
                _ = try PostgresCacheStore.initialize(location: PostgresLocation(databaseURI)!)
            }
            let categories = max(1, options.projects / 100)
            let projects = options.projects - categories
            let perProject = (options.items + projects - 1) / projects
            try PostgresBench.fill(raw, layout, items: options.items, categories: categories, projects: projects, perProject: perProject)
            try plantPostgres(raw, sodar: sodar)
            try raw.exec("VACUUM ANALYZE")
            emit(String(format: "filled and planted server-side in %.1f s", clock.lap()))
        }
        emit("database size: " + (try PostgresBench.Raw(uri: databaseURI).value("SELECT pg_size_pretty(pg_database_size(current_database()))")))
        let store = try PostgresCacheStore(location: PostgresLocation(databaseURI)!, registeredApps: apps, logger: quiet)
        let peer = try PostgresBench.Raw(uri: databaseURI)
        let now = Date()
        try compare(store: store, runs: options.runs, now: now, peer: { try peerPostgres(peer, sodar: sodar, now: now) })
        try store.close()
    }

    static func plantPostgres(_ raw: PostgresBench.Raw, sodar: Bool) throws {
        let items = sodar ? "sodarcache_jsoncacheitem" : "sodarcache_item"
        let projects = sodar ? "projectroles_project" : "sodarcache_project"
        let payload = #"'{"file_count": 1, "size": 2}'"#
        if sodar {
            try raw.exec("""
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                SELECT 'samplesheets', 'irods/stats', now(), gen_random_uuid(), \(payload)::jsonb, id, NULL
                FROM projectroles_project WHERE type = 'PROJECT' AND id % 50 <> 0
                """)
            // Two site-wide items stored twice, as SODAR's NULL-distinct constraint lets through.
            try raw.exec("""
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                SELECT 'samplesheets', 'site/' || i, now(), gen_random_uuid(), '{}'::jsonb, NULL, NULL FROM generate_series(0, 1) i
                """)
        } else {
            try raw.exec("""
                INSERT INTO sodarcache_item (sodar_uuid, project_id, app_name, name, date_modified, size, data)
                SELECT gen_random_uuid(), id, 'samplesheets', 'irods/stats', now(), octet_length(\(payload)), \(payload)
                FROM sodarcache_project WHERE type = 'PROJECT' AND id % 50 <> 0
                """)
        }
        let number = "substr(name, 12)::bigint"
        let size = sodar ? "" : ", size = 2"
        try raw.exec("UPDATE \(items) SET date_modified = now() - interval '60 days' WHERE name LIKE 'irods/rows/%' AND \(number) % 100 = 0")
        try raw.exec("UPDATE \(items) SET data = '{}'\(size) WHERE name LIKE 'irods/rows/%' AND \(number) % 200 = 1")
        try raw.exec("UPDATE \(items) SET app_name = '\(retiredApp)' WHERE name LIKE 'irods/rows/%' AND \(number) % 1000 = 2")
        let big = "'{\"blob\": \"' || repeat('ab', 50000) || '\"}'"
        try raw.exec("UPDATE \(items) SET data = (\(big))\(sodar ? "::jsonb" : ", size = octet_length(\(big))") WHERE name LIKE 'irods/rows/%' AND \(number) % 50000 = 3")
        // Three projects gone with their items left: SODAR's foreign key cascades, so only on
        // sodarcache's schema, whose items keep no foreign key to their project.
        if !sodar {
            try raw.exec("DELETE FROM \(projects) WHERE id IN (SELECT id FROM \(projects) WHERE type = 'PROJECT' ORDER BY id LIMIT 3 OFFSET 10)")
        }
    }

    static func peerPostgres(_ raw: PostgresBench.Raw, sodar: Bool, now: Date) throws -> Int {
        let items = sodar ? "sodarcache_jsoncacheitem" : "sodarcache_item"
        let projects = sodar ? "projectroles_project" : "sodarcache_project"
        let size = sodar ? "octet_length(data::text)" : "size"
        let staleBefore = now.timeIntervalSince1970 - settings.staleAfter
        var found = 0
        for row in try raw.rows("""
            SELECT project_id, app_name, count(*) FILTER (WHERE date_modified < to_timestamp(\(staleBefore))),
                count(*) FILTER (WHERE \(size) > \(settings.oversizedBytes)),
                count(*) FILTER (WHERE \(size) <= 16 AND regexp_replace(data::text, '\\s', '', 'g') IN ('{}', '[]', 'null'))
            FROM \(items) GROUP BY project_id, app_name
            """)
        {
            found += row[2...].reduce(0) { $0 + (Int($1) ?? 0) }
        }
        let registered = apps.map { "'\($0)'" }.joined(separator: ", ")
        found += Int(try raw.value("""
            SELECT count(*) FROM \(items) i WHERE i.app_name NOT IN (\(registered))
                OR (i.project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \(projects) p WHERE p.id = i.project_id))
            """)) ?? 0
        found += Int(try raw.value("""
            SELECT count(*) FROM \(projects) p WHERE p.type = 'PROJECT' AND NOT EXISTS (
                SELECT 1 FROM \(items) i WHERE i.project_id = p.id AND i.app_name = 'samplesheets' AND i.name = 'irods/stats')
            """)) ?? 0
        found += Int(try raw.value("""
            SELECT coalesce(sum(c), 0) FROM (SELECT count(*) c FROM \(items) WHERE project_id IS NULL GROUP BY app_name, name HAVING count(*) > 1) d
            """)) ?? 0
        return found
    }

    // MARK: - Measuring

    /// The doctor and the peer, taking turns; then `appTotals`.
    static func compare(store: any Doctor.Store, runs: Int, now: Date, peer: () throws -> Int) throws {
        var clock = StoreBench.Stopwatch()
        var doctorTimes: [Double] = []
        var peerTimes: [Double] = []
        var scanTimes: [Double] = []
        var report: DoctorReport?
        var peerFound = 0
        for _ in 0..<runs {
            // What the engine's read alone takes: the pass's floor.
            _ = clock.lap()
            var scanned = 0
            try store.scanItems(scope: .all, appName: nil, pageSize: 10_000) { scanned += $0.count }
            scanTimes.append(clock.lap())
            report = try Doctor.examine(store, settings: settings, registeredApps: Set(apps), now: now)
            doctorTimes.append(clock.lap())
            peerFound = try peer()
            peerTimes.append(clock.lap())
        }
        guard let report else { return }
        let counts = DoctorCheck.allCases.map { "\($0.rawValue) \(report.count(of: $0))" }.joined(separator: ", ")
        let doctorFound = DoctorCheck.allCases.reduce(0) { $0 + report.count(of: $1) }
        emit("doctor: \(report.itemsExamined) items examined, \(report.findings.count) findings (\(counts))")
        emit("peer (raw SQL aggregates): \(peerFound) items or names found; the doctor's: \(doctorFound)")
        emit(String(format: "doctor:  median %.2f s, min %.2f s (%d runs)", median(doctorTimes), doctorTimes.min() ?? 0, runs))
        emit(String(format: "peer:    median %.2f s, min %.2f s; doctor/peer %.2fx", median(peerTimes), peerTimes.min() ?? 0,
                    median(doctorTimes) / max(median(peerTimes), 1e-9)))
        emit(String(format: "of the doctor's time, scanItems alone (every summary, nothing done with it): median %.2f s", median(scanTimes)))
        var totalsTimes: [Double] = []
        var apps = 0
        for _ in 0..<runs {
            _ = clock.lap()
            apps = try store.appTotals().count
            totalsTimes.append(clock.lap())
        }
        emit(String(format: "appTotals (metrics' per-app figures, %d apps): median %.3f s, min %.3f s", apps, median(totalsTimes),
                    totalsTimes.min() ?? 0))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func emit(_ line: String) {
        print(line)
        fflush(nil)
    }
}
