import Foundation
import Logging
import PostgresDriver
import SodarCache
import SodarCachePostgres
import SodarCacheSQLite
import StoreKernel

/// `sodarcache-bench history [--items N] [--rounds R] [--uri URI] [--only sqlite|own|sodar]`
///
/// What history costs a write: N items of one project are overwritten (batches of 1,000, as a
/// sync writes) with history off (`versions = 0`), with history on (5 versions; every payload
/// differs, so every write keeps a version), and rewritten with identical data with history on
/// (which keeps none); the three take turns, the order rotated each round. On SQLite, on
/// sodarcache's own PostgreSQL schema and, with `--uri`, on a SODAR site's tables (the versions
/// go to the local store). Median of the rounds.
enum HistoryBench {
    static let app = "samplesheets"
    static let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    static func run(_ arguments: [String]) {
        do {
            let options = try EngineBenchOptions(arguments, items: 20_000)
            let (items, rounds) = (options.items, options.rounds)
            print("== History's cost on writes: \(items) items of one project overwritten in batches of 1,000, median of \(rounds) rounds")
            for (name, server) in options.targets {
                let subject = try server.map { try postgres($0.uri, layout: $0.layout, options: options) } ?? sqlite()
                try measure(name, items: items, rounds: rounds, subject)
            }
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench history: \(error)\n".utf8))
            exit(1)
        }
    }

    struct Subject {
        var store: any StoreEngine
        var project: UUID
        var cleanUp: () throws -> Void
    }

    static func payload(_ i: Int, generation: Int) -> Data {
        Data(#"{"paths": {"/sodarZone/projects/\#(i % 97)/sample_data/study_\#(i)/assay_0/row_0": {"file_count": \#(i % 50), "total_size": \#(i &* 997), "generation": \#(generation)}}}"#.utf8)
    }

    static func write(_ subject: Subject, items: Int, generation: Int) throws {
        var start = 0
        while start < items {
            let end = min(start + 1_000, items)
            try subject.store.setCacheItems((start..<end).map {
                CacheWrite(appName: app, name: "item/\($0)", data: payload($0, generation: generation), project: subject.project)
            })
            start = end
        }
    }

    static func measure(_ name: String, items: Int, rounds: Int, _ subject: Subject) throws {
        defer { try? subject.store.close(); try? subject.cleanUp() }
        guard let history = subject.store.history else { throw CacheError.storeFailure("\(name) keeps no history") }
        let on = HistoryPolicy(versions: 5, perApp: [:], maxBytes: 64 << 20), off = HistoryPolicy(versions: 0, perApp: [:], maxBytes: 64 << 20)
        var generation = 0
        try history.applyHistoryPolicy(off)
        try write(subject, items: items, generation: generation)
        enum Mode: CaseIterable { case off, on, identical }
        var times: [Mode: [Double]] = [:]
        for round in 0..<rounds {
            let modes = Mode.allCases.indices.map { Mode.allCases[($0 + round) % Mode.allCases.count] }
            for mode in modes {
                try history.applyHistoryPolicy(mode == .off ? off : on)
                if mode != .identical { generation += 1 }
                let before = try history.versions(appName: app, name: "item/0", project: subject.project).count
                var watch = StoreBench.Stopwatch()
                try write(subject, items: items, generation: generation)
                times[mode, default: []].append(watch.lap())
                let after = try history.versions(appName: app, name: "item/0", project: subject.project).count
                // Each mode did what it claims: a version on an overwrite with history on, none otherwise.
                let expected = mode == .on ? min(before + 1, 5) : before
                guard after == expected else {
                    throw CacheError.storeFailure("\(name) \(mode): \(after) versions of item/0, expected \(expected)")
                }
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        func list(_ values: [Double]) -> String { values.map { String(format: "%.3f", $0) }.joined(separator: " ") }
        let offTime = median(times[.off]!), onTime = median(times[.on]!), same = median(times[.identical]!)
        print(String(
            format: "%@: overwrite, history off %.3f s (%.0f/s); on %.3f s (%.0f/s): %.2fx; identical rewrite, on %.3f s: %.2fx"
                + "  (rounds off %@; on %@; identical %@)",
            name, offTime, Double(items) / offTime, onTime, Double(items) / onTime, onTime / offTime, same, same / offTime,
            list(times[.off]!), list(times[.on]!), list(times[.identical]!)))
    }

    static func sqlite() throws -> Subject {
        let path = NSTemporaryDirectory() + "sodarcache-history-bench-\(getpid()).sqlite3"
        let store = try SQLiteCacheStore(path: path, registeredApps: [app], logger: quiet)
        let project = try store.addProject(Project(title: "Bench"))
        return Subject(store: store, project: project.uuid) {
            for file in SQLiteFiles.all(of: path) { try? FileManager.default.removeItem(atPath: file) }
        }
    }

    static func postgres(_ server: String, layout: PostgresCacheStore.Layout, options: EngineBenchOptions) throws -> Subject {
        let database = layout == .sodar ? "sodarcache_bench_history_sodar" : "sodarcache_bench_history_store"
        let databaseURI = PostgresBench.uri(server, database: database)
        let local = NSTemporaryDirectory() + "sodarcache-history-bench-local-\(getpid()).sqlite3"
        let admin = try PostgresBench.Raw(uri: server)
        try admin.exec("DROP DATABASE IF EXISTS \(database)")
        try admin.exec("CREATE DATABASE \(database)")
        let project = UUID()
        if layout == .sodar {
            let raw = try PostgresBench.Raw(uri: databaseURI)
            try raw.exec(try options.sodarDDL())
            try raw.exec(
                """
                INSERT INTO projectroles_project (title, type, description, sodar_uuid, parent_id, full_title, has_public_children, archive)
                VALUES ('Bench', 'PROJECT', '', '\(project.uuidString.lowercased())', NULL, 'Bench', false, false)
                """)
        } else {
            _ = try PostgresCacheStore.initialize(location: PostgresLocation(databaseURI)!)
        }
        var settings = PostgresCacheStore.Settings()
        settings.localTrash = { try SQLiteCacheStore(path: local, registeredApps: [], logger: quiet) }
        let store = try PostgresCacheStore(location: PostgresLocation(databaseURI)!, registeredApps: [app], settings: settings, logger: quiet)
        if layout == .sodarcache { _ = try store.addProject(Project(uuid: project, title: "Bench")) }
        return Subject(store: store, project: project) {
            for file in SQLiteFiles.all(of: local) { try? FileManager.default.removeItem(atPath: file) }
            try? admin.exec("DROP DATABASE IF EXISTS \(database)")
        }
    }
}
