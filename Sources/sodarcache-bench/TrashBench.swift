import Foundation
import Logging
import PostgresDriver
import SodarCache
import SodarCachePostgres
import SodarCacheSQLite
import StoreKernel

/// `sodarcache-bench trash [--items N] [--rounds R] [--uri URI] [--only sqlite|own|sodar]`
///
/// What the trash costs a delete: N items of one app are written, then deleted in one
/// `deleteCache` with the trash off and on, the two taking turns (the order swapped each
/// round), on SQLite, on sodarcache's own PostgreSQL schema and (the copy to the local store)
/// on a SODAR site's tables when `--uri` names a server. Median of the rounds.
enum TrashBench {
    static let app = "samplesheets"
    static let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    static func run(_ arguments: [String]) {
        do {
            let options = try EngineBenchOptions(arguments, items: 100_000)
            let (items, rounds) = (options.items, options.rounds)
            emit("== The trash's cost on a delete: \(items) items of one app, one deleteCache, median of \(rounds) rounds")
            for (name, server) in options.targets {
                let subject = try server.map { try postgres($0.uri, layout: $0.layout, options: options) } ?? sqlite(items)
                try measure(name, items: items, rounds: rounds, subject)
            }
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench trash: \(error)\n".utf8))
            exit(1)
        }
    }

    static func emit(_ line: String) { print(line) }

    /// One engine: fills the store (not timed), then opens it with the policy and times the delete.
    struct Subject {
        var fill: () throws -> Void
        var open: (TrashPolicy) throws -> any StoreEngine
        var cleanUp: () throws -> Void
    }

    static func measure(_ name: String, items: Int, rounds: Int, _ subject: Subject) throws {
        var off: [Double] = [], on: [Double] = []
        for round in 0..<rounds {
            let modes = round % 2 == 0 ? [false, true] : [true, false]
            for trash in modes {
                try subject.fill()
                let store = try subject.open(trash ? .standard : .off)
                var watch = StoreBench.Stopwatch()
                let deleted = try store.deleteCache(appName: app, project: nil)
                let seconds = watch.lap()
                guard deleted == items else { throw CacheError.storeFailure("deleted \(deleted), expected \(items)") }
                if trash {
                    on.append(seconds)
                    guard let kept = try store.trash?.trashEntries(limit: 1).first, kept.items == items else {
                        throw CacheError.storeFailure("the trash did not keep the \(items) items")
                    }
                } else {
                    off.append(seconds)
                }
                try store.close()
                try subject.cleanUp()
            }
        }
        let medianOff = off.sorted()[off.count / 2], medianOn = on.sorted()[on.count / 2]
        emit(String(
            format: "%@: without trash %.3f s, with trash %.3f s: %.2fx  (rounds off %@; on %@)", name, medianOff, medianOn,
            medianOn / medianOff, off.map { String(format: "%.3f", $0) }.joined(separator: " "),
            on.map { String(format: "%.3f", $0) }.joined(separator: " ")))
    }

    static func payload(_ i: Int) -> Data {
        Data(#"{"paths": {"/sodarZone/projects/\#(i % 97)/sample_data/study_\#(i)/assay_0/row_0": {"file_count": \#(i % 50), "total_size": \#(i &* 997)}}}"#.utf8)
    }

    static func sqlite(_ items: Int) -> Subject {
        let path = NSTemporaryDirectory() + "sodarcache-trash-bench-\(getpid()).sqlite3"
        return Subject(
            fill: {
                let store = try SQLiteCacheStore(path: path, registeredApps: [app], logger: quiet, changes: ChangePolicy(trash: .off))
                var start = 0
                while start < items {
                    let end = min(start + 10_000, items)
                    try store.setCacheItems((start..<end).map { CacheWrite(appName: app, name: "item/\($0)", data: payload($0), project: nil) })
                    start = end
                }
                try store.close()
            },
            open: { policy in
                try SQLiteCacheStore(path: path, registeredApps: [app], logger: quiet, changes: ChangePolicy(trash: policy))
            },
            cleanUp: {
                for file in SQLiteFiles.all(of: path) { try? FileManager.default.removeItem(atPath: file) }
            })
    }

    static func postgres(_ server: String, layout: PostgresCacheStore.Layout, options: EngineBenchOptions) throws -> Subject {
        let items = options.items
        let database = layout == .sodar ? "sodarcache_bench_trash_sodar" : "sodarcache_bench_trash_store"
        let databaseURI = PostgresBench.uri(server, database: database)
        let local = NSTemporaryDirectory() + "sodarcache-trash-bench-local-\(getpid()).sqlite3"
        let admin = try PostgresBench.Raw(uri: server)
        try admin.exec("DROP DATABASE IF EXISTS \(database)")
        try admin.exec("CREATE DATABASE \(database)")
        let raw = try PostgresBench.Raw(uri: databaseURI)
        if layout == .sodar {
            try raw.exec(try options.sodarDDL())
        } else {
            _ = try PostgresCacheStore.initialize(location: PostgresLocation(databaseURI)!)
        }
        let payload = """
            '{"paths": {"/sodarZone/projects/' || g % 97 || '/sample_data/study_' || g || '/assay_0/row_0": {"file_count": ' \
            || g % 50 || ', "total_size": ' || g * 997 || '}}}'
            """
        let fill = layout == .sodar
            ? """
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id)
                SELECT '\(app)', 'item/' || g, now(), gen_random_uuid(), (\(payload))::jsonb, NULL FROM generate_series(0, \(items - 1)) g
                """
            : """
                INSERT INTO sodarcache_item (sodar_uuid, project_id, app_name, name, date_modified, size, data)
                SELECT gen_random_uuid(), NULL, '\(app)', 'item/' || g, now(), octet_length(p), p
                FROM generate_series(0, \(items - 1)) g, LATERAL (SELECT \(payload) AS p) x
                """
        return Subject(
            fill: {
                try raw.exec(fill)
                try raw.exec("VACUUM ANALYZE")
                // The delete then pays its full-page images, as a delete of items written
                // before the server's last checkpoint does (on a durable server).
                try raw.exec("CHECKPOINT")
            },
            open: { policy in
                var settings = PostgresCacheStore.Settings()
                settings.changes = ChangePolicy(trash: policy)
                settings.localTrash = {
                    try SQLiteCacheStore(path: local, registeredApps: [], logger: quiet, changes: ChangePolicy(trash: policy))
                }
                return try PostgresCacheStore(location: PostgresLocation(databaseURI)!, registeredApps: [app], settings: settings, logger: quiet)
            },
            cleanUp: {
                // A delete with the trash on marks its rows (v10): they go here, then their marks.
                if layout == .sodarcache {
                    try raw.exec(
                        """
                        DELETE FROM sodarcache_item; DELETE FROM sodarcache_trash_mark WHERE item_id <> 0;
                        DELETE FROM sodarcache_trash_item; DELETE FROM sodarcache_trash_entry
                        """)
                }
                for file in SQLiteFiles.all(of: local) { try? FileManager.default.removeItem(atPath: file) }
            })
    }
}
