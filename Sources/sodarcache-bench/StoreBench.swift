import Foundation
import GRDB
import GRDBSQLite
import Logging
import SodarCache
import SodarCacheSQLite
import StoreKernel

/// `sodarcache-bench store [--items N] [--projects M] [--singles K] [--gets G]`
///
/// Fills a store with N items over M projects through `SQLiteCacheStore`, and a second file
/// with the same schema, settings and statements through the raw SQLite C API (the ceiling),
/// then prints upserts/s, gets/s and the first-page time of every browsing query.
enum StoreBench {
    static let apps = [
        "samplesheets", "samplesheets.assayapps.cytof", "samplesheets.assayapps.dna_sequencing",
        "samplesheets.studyapps.germline",
    ]

    struct Options {
        var items = 1_000_000
        var projects = 10_000
        var singles = 20_000
        var gets = 200_000
        var batch = 1_000
        var history = 0
        /// Record every write in the audit trail (`--audit 1`); off by default, as the ceiling is measured.
        var audit = false
    }

    /// Runs the benchmark; prints an error and exits non-zero when it fails.
    static func main(_ arguments: [String]) {
        do {
            try run(arguments)
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench store: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ arguments: [String]) throws {
        var options = Options()
        for (argument, text) in try BenchArguments.pairs(arguments) {
            let value = try BenchArguments.count(argument, text)
            switch argument {
            case "--items": options.items = value
            case "--projects": options.projects = value
            case "--singles": options.singles = value
            case "--gets": options.gets = value
            case "--batch": options.batch = value
            case "--history": options.history = value
            case "--audit": options.audit = value != 0
            default: throw CacheError.invalidArgument("unknown option \(argument)")
            }
        }
        options.projects = min(options.projects, options.items)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        print("store bench: \(options.items) items over \(options.projects) projects, batches of \(options.batch), "
              + "\(options.singles) single upserts, \(options.gets) gets; SQLite \(String(cString: sqlite3_libversion()))")
        print("files in \(directory.path) (WAL, synchronous=NORMAL, same schema for both; history: \(options.history) versions; audit: \(options.audit ? "on" : "off"))")

        let projects = makeProjects(options.projects)
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let storePath = directory.appendingPathComponent("store.sqlite3").path
        let rawPath = directory.appendingPathComponent("raw.sqlite3").path
        let changes = ChangePolicy(trash: .off, auditKeep: options.audit ? ChangePolicy.standardAuditKeep : 0)
        let store = try SQLiteCacheStore(path: storePath, registeredApps: apps, logger: quiet, changes: changes)
        _ = try store.importProjects(projects)
        // History (kept by a trigger on overwrites of other data) costs both files the same:
        // off by default, as the store's ceiling is measured; `--history N` measures its cost.
        let history = HistoryPolicy(versions: options.history, perApp: [:], maxBytes: HistoryPolicy.standard.maxBytes)
        try store.applyHistoryPolicy(history)
        do {
            // The raw file gets its schema and projects from the store code, then only C calls.
            let schema = try SQLiteCacheStore(path: rawPath, registeredApps: apps, logger: quiet)
            _ = try schema.importProjects(projects)
            try schema.applyHistoryPolicy(history)
        }
        let raw = try RawSQLite(path: rawPath)
        let rawProjectIDs = try raw.projectIDs()
        let uuids = projects.filter { $0.type == .project }.map(\.uuid)

        // Items are grouped by project, as a sync writes them (one project after another).
        let perProject = (options.items + uuids.count - 1) / uuids.count
        func key(_ i: Int) -> (project: UUID, app: String, name: String) {
            (uuids[min(i / perProject, uuids.count - 1)], apps[i % apps.count], "irods/rows/\(i)")
        }

        // Store and raw C take turns, round by round, on identical data: the machine's load
        // changes from second to second, and both sides should see the same conditions.
        var rng = SplitMix64(seed: 42)
        var clock = Stopwatch()
        var storeTime = 0.0
        var rawTime = 0.0

        // MARK: Batched upserts (the fill)
        var start = 0
        while start < options.items {
            let end = min(start + options.batch, options.items)
            let writes = (start..<end).map { i -> CacheWrite in
                let k = key(i)
                return CacheWrite(appName: k.app, name: k.name, data: payload(i, &rng), project: k.project)
            }
            let rawIDs = writes.map { rawProjectIDs[$0.project ?? UUID()] ?? 0 }
            _ = clock.lap()
            try store.setCacheItems(writes)
            storeTime += clock.lap()
            try raw.exec("BEGIN IMMEDIATE")
            for (write, projectID) in zip(writes, rawIDs) {
                try raw.upsert(projectID: projectID, app: write.appName, name: write.name, data: write.data)
            }
            try raw.exec("COMMIT")
            rawTime += clock.lap()
            start = end
        }
        let storeBatched = Double(options.items) / storeTime
        let rawBatched = Double(options.items) / rawTime

        // MARK: Single upserts, each its own transaction (updates of random existing items)
        let user = User(username: "bench", uuid: UUID())
        storeTime = 0
        rawTime = 0
        let round = 500
        var done = 0
        while done < options.singles {
            let count = min(round, options.singles - done)
            let writes = (0..<count).map { _ -> CacheWrite in
                let i = Int(rng.next() % UInt64(options.items))
                let k = key(i)
                return CacheWrite(appName: k.app, name: k.name, data: payload(i, &rng), project: k.project, user: user)
            }
            let rawIDs = writes.map { rawProjectIDs[$0.project ?? UUID()] ?? 0 }
            _ = clock.lap()
            for write in writes {
                try store.setCacheItem(
                    appName: write.appName, name: write.name, data: write.data, dataType: "json",
                    project: write.project, user: write.user)
            }
            storeTime += clock.lap()
            for (write, projectID) in zip(writes, rawIDs) {
                try raw.exec("BEGIN IMMEDIATE")
                try raw.upsert(projectID: projectID, app: write.appName, name: write.name, data: write.data, user: user)
                try raw.exec("COMMIT")
            }
            rawTime += clock.lap()
            done += count
        }
        let storeSingle = Double(options.singles) / storeTime
        let rawSingle = Double(options.singles) / rawTime

        // MARK: Gets of random existing items
        storeTime = 0
        rawTime = 0
        done = 0
        var found = 0
        var rawFound = 0
        while done < options.gets {
            let count = min(10_000, options.gets - done)
            let keys = (0..<count).map { _ in key(Int(rng.next() % UInt64(options.items))) }
            let rawIDs = keys.map { rawProjectIDs[$0.project] ?? 0 }
            _ = clock.lap()
            for k in keys where try store.getCacheItem(appName: k.app, name: k.name, project: k.project) != nil {
                found += 1
            }
            storeTime += clock.lap()
            for (k, projectID) in zip(keys, rawIDs) where try raw.get(projectID: projectID, app: k.app, name: k.name) != nil {
                rawFound += 1
            }
            rawTime += clock.lap()
            done += count
        }
        let storeGets = Double(options.gets) / storeTime
        let rawGets = Double(options.gets) / rawTime
        guard found == options.gets, rawFound == options.gets else {
            throw CacheError.storeFailure("gets found \(found) and \(rawFound) of \(options.gets) items")
        }

        print("")
        print(pad("operation", 34) + pad("store/s", 12) + pad("raw C/s", 12) + "store/raw")
        for (name, mine, ceiling) in [
            ("batched upserts (\(options.batch)/txn)", storeBatched, rawBatched),
            ("single upserts (1/txn)", storeSingle, rawSingle),
            ("gets", storeGets, rawGets),
        ] {
            print(pad(name, 34) + pad(format(mine), 12) + pad(format(ceiling), 12) + String(format: "%.0f%%", 100 * mine / ceiling))
        }

        // MARK: Browsing queries: first page (cold) and median of 20 repeats
        let busiest = uuids[0]
        let someItem = try store.itemPage(project: busiest, app: nil, sort: .name, after: nil, limit: 1, filter: nil).first
        let midProject = try store.projectPage(after: nil, limit: options.projects / 2, filter: nil).last
        let queries: [(String, () throws -> Int)] = [
            ("projectPage first 50", { try store.projectPage(after: nil, limit: 50, filter: nil).count }),
            ("projectPage 50 after the middle", { try store.projectPage(after: midProject, limit: 50, filter: nil).count }),
            ("projectPage filter \"project 99\"", { try store.projectPage(after: nil, limit: 50, filter: "project 99").count }),
            ("appPage project", { try store.appPage(project: busiest, after: nil, limit: 50, filter: nil).count }),
            ("appPage site-wide", { try store.appPage(project: nil, after: nil, limit: 50, filter: nil).count }),
            ("itemPage app, name", { try store.itemPage(project: busiest, app: apps[0], sort: .name, after: nil, limit: 50, filter: nil).count }),
            ("itemPage app, updated", { try store.itemPage(project: busiest, app: apps[0], sort: .updated, after: nil, limit: 50, filter: nil).count }),
            ("itemPage app, size", { try store.itemPage(project: busiest, app: apps[0], sort: .size, after: nil, limit: 50, filter: nil).count }),
            ("itemPage all apps, name", { try store.itemPage(project: busiest, app: nil, sort: .name, after: nil, limit: 50, filter: nil).count }),
            ("itemPage all apps, updated", { try store.itemPage(project: busiest, app: nil, sort: .updated, after: nil, limit: 50, filter: nil).count }),
            ("itemPage all apps, size", { try store.itemPage(project: busiest, app: nil, sort: .size, after: nil, limit: 50, filter: nil).count }),
            ("itemPage name filter \"rows/1\"", { try store.itemPage(project: busiest, app: nil, sort: .name, after: nil, limit: 50, filter: "rows/1").count }),
            ("allItemsPage first 50", { try store.allItemsPage(after: nil, limit: 50).count }),
            ("allItemsPage 50 after an item", { try store.allItemsPage(after: someItem, limit: 50).count }),
            ("items(matching: app)", { try store.items(matching: CacheFilter(appName: apps[1]), after: nil, limit: 50).count }),
            ("items(matching: project, older)", {
                try store.items(matching: CacheFilter(scope: .project(busiest), olderThan: Date()), after: nil, limit: 50).count }),
            ("item(uuid:)", { try store.item(uuid: someItem?.uuid ?? UUID()) == nil ? 0 : 1 }),
            ("totals", { try store.totals().items }),
            ("changeToken", { try store.changeToken() }),
        ]
        print("")
        print(pad("browsing query", 34) + pad("rows", 8) + pad("first ms", 10) + "median ms")
        for (name, query) in queries {
            _ = clock.lap()
            let rows = try query()
            let first = clock.lap()
            var times: [Double] = []
            for _ in 0..<20 {
                _ = try query()
                times.append(clock.lap())
            }
            times.sort()
            print(pad(name, 34) + pad("\(rows)", 8) + pad(String(format: "%.3f", first * 1000), 10)
                  + String(format: "%.3f", times[times.count / 2] * 1000))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: storePath)[.size] as? NSNumber)?.intValue ?? 0
        print("")
        print("store file: \(size / 1_048_576) MiB")
    }

    // MARK: - Data

    static func makeProjects(_ count: Int) -> [Project] {
        let categoryCount = max(1, count / 100)
        var projects: [Project] = []
        for c in 0..<categoryCount {
            projects.append(Project(title: "Category \(c)", type: .category))
        }
        for p in 0..<max(1, count - categoryCount) {
            projects.append(Project(title: "Project \(p)", type: .project, parent: projects[p % categoryCount].uuid))
        }
        return projects
    }

    /// A payload shaped like the samplesheets assay rows cache, 150-400 bytes.
    static func payload(_ i: Int, _ rng: inout SplitMix64) -> Data {
        let rows = 1 + Int(rng.next() % 3)
        var text = #"{"paths": {"#
        for r in 0..<rows {
            if r > 0 { text += ", " }
            text += #""/sodarZone/projects/\#(i % 97)/sample_data/study_\#(i)/assay_\#(r)/row_\#(r)": "#
            text += #"{"file_count": \#(rng.next() % 50), "total_size": \#(rng.next() % 100_000_000)}"#
        }
        text += "}}"
        return Data(text.utf8)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func format(_ rate: Double) -> String {
        String(Int(rate.rounded()))
    }

    // MARK: - Helpers

    /// Elapsed seconds between laps.
    struct Stopwatch {
        private var last = DispatchTime.now().uptimeNanoseconds
    
        mutating func lap() -> Double {
            let now = DispatchTime.now().uptimeNanoseconds
            defer { last = now }
            return Double(now - last) / 1e9
        }
    }

    /// The ceiling: the store's statements through the SQLite C API, no wrapper at all.
    final class RawSQLite {
        private var db: OpaquePointer?
        private var upsertStatement: OpaquePointer?
        private var getStatement: OpaquePointer?
        private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        init(path: String) throws {
            guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
                throw CacheError.storeFailure("cannot open \(path)")
            }
            sqlite3_busy_timeout(db, 5000)
            try exec("PRAGMA journal_mode = WAL")
            try exec("PRAGMA synchronous = NORMAL")
            try exec("PRAGMA foreign_keys = ON")
            try exec("PRAGMA cache_size = -65536")
            try exec("PRAGMA mmap_size = \(1 << 31)")
            upsertStatement = try prepare(SQLiteCacheStore.upsertSQL)
            getStatement = try prepare("""
                SELECT uuid, user_name, user_uuid, date_modified, data FROM cache_item
                WHERE project_id = ? AND app_name = ? AND name = ?
                """)
        }

        deinit {
            sqlite3_finalize(upsertStatement)
            sqlite3_finalize(getStatement)
            sqlite3_close_v2(db)
        }

        func prepare(_ sql: String) throws -> OpaquePointer? {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK else {
                throw CacheError.storeFailure(String(cString: sqlite3_errmsg(db)))
            }
            return statement
        }

        func exec(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
                throw CacheError.storeFailure(String(cString: sqlite3_errmsg(db)))
            }
        }

        func projectIDs() throws -> [UUID: Int64] {
            let statement = try prepare("SELECT uuid, id FROM project")
            defer { sqlite3_finalize(statement) }
            var ids: [UUID: Int64] = [:]
            while sqlite3_step(statement) == SQLITE_ROW {
                guard let bytes = sqlite3_column_blob(statement, 0), sqlite3_column_bytes(statement, 0) == 16 else { continue }
                let uuid = bytes.withMemoryRebound(to: uuid_t.self, capacity: 1) { UUID(uuid: $0.pointee) }
                ids[uuid] = sqlite3_column_int64(statement, 1)
            }
            return ids
        }

        func upsert(projectID: Int64, app: String, name: String, data: Data, user: User? = nil) throws {
            let s = upsertStatement
            // Version 7 (time-ordered) UUIDs, as the store makes them.
            var generator = SystemRandomNumberGenerator()
            let millis = UInt64(Date().timeIntervalSince1970 * 1000) & 0xFFFF_FFFF_FFFF
            let randomHigh: UInt64 = generator.next()
            let high = millis << 16 | 0x7000 | (randomHigh & 0x0FFF)
            let bits: UInt64 = generator.next()
            let low = (bits & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
            var uuid = (high.bigEndian, low.bigEndian)
            _ = withUnsafeBytes(of: &uuid) { sqlite3_bind_blob(s, 1, $0.baseAddress, 16, transient) }
            sqlite3_bind_int64(s, 2, projectID)
            sqlite3_bind_text(s, 3, app, -1, transient)
            sqlite3_bind_text(s, 4, name, -1, transient)
            if let user {
                sqlite3_bind_text(s, 5, user.username, -1, transient)
                if var userUUID = user.uuid?.uuid {
                    _ = withUnsafeBytes(of: &userUUID) { sqlite3_bind_blob(s, 6, $0.baseAddress, 16, transient) }
                } else {
                    sqlite3_bind_null(s, 6)
                }
            } else {
                sqlite3_bind_null(s, 5)
                sqlite3_bind_null(s, 6)
            }
            sqlite3_bind_double(s, 7, Date().timeIntervalSince1970)
            sqlite3_bind_int64(s, 8, Int64(data.count))
            _ = data.withUnsafeBytes { sqlite3_bind_blob(s, 9, $0.baseAddress, Int32($0.count), transient) }
            var code = sqlite3_step(s)
            var returned: Data?
            while code == SQLITE_ROW {
                returned = Data(bytes: sqlite3_column_blob(s, 0), count: Int(sqlite3_column_bytes(s, 0)))
                code = sqlite3_step(s)
            }
            sqlite3_reset(s)
            guard code == SQLITE_DONE, returned != nil else {
                throw CacheError.storeFailure(String(cString: sqlite3_errmsg(db)))
            }
        }

        func get(projectID: Int64, app: String, name: String) throws -> Data? {
            let s = getStatement
            sqlite3_bind_int64(s, 1, projectID)
            sqlite3_bind_text(s, 2, app, -1, transient)
            sqlite3_bind_text(s, 3, name, -1, transient)
            defer { sqlite3_reset(s) }
            let code = sqlite3_step(s)
            if code == SQLITE_DONE { return nil }
            guard code == SQLITE_ROW else { throw CacheError.storeFailure(String(cString: sqlite3_errmsg(db))) }
            let uuid = Data(bytes: sqlite3_column_blob(s, 0), count: Int(sqlite3_column_bytes(s, 0)))
            let user = sqlite3_column_text(s, 1).map { String(cString: $0) }
            let date = sqlite3_column_double(s, 3)
            let data = Data(bytes: sqlite3_column_blob(s, 4), count: Int(sqlite3_column_bytes(s, 4)))
            _ = (uuid, user, date)
            return data
        }
    }
}
