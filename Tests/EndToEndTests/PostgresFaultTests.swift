import Foundation
import TestSupport
import Testing

/// A PostgreSQL restart in the middle of a sync and of a delete, on a cluster of the test's own
/// (restarting the shared test server would cut every other test).
@Suite(.serialized, .enabled(if: TestDatabase.available)) struct PostgresFaultTests {
    /// A private cluster, started and stopped with scripts/pg-cluster.sh.
    final class Cluster {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/pg-cluster.sh").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sc-pg-fault-\(UUID().uuidString.prefix(8))").path
        let uri: String

        init() throws {
            uri = try Self.run(["start", dir]).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        deinit { _ = try? Self.run(["stop", dir]) }

        func restart() throws { try Self.run(["restart", dir]) }

        @discardableResult
        static func run(_ args: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [script] + args
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw TestDatabase.PSQLError(message: "pg-cluster.sh \(args) failed") }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Starts the binary without waiting; returns the process and its stderr pipe.
    func start(_ args: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = args
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, err)
    }

    func waitFor(_ what: String, timeout: TimeInterval = 20, _ condition: () throws -> Bool) throws {
        if waitUntil(timeout: timeout, { (try? condition()) == true }) { return }
        throw TestDatabase.PSQLError(message: "timed out waiting for \(what)")
    }

    @Test func aRestartMidSyncRollsBackTheUnitInFlightAndARerunCompletes() throws {
        let cluster = try Cluster()
        let db = try TestDatabase(server: cluster.uri)
        let cli = try CLI(apps: [], extraConfig: """
            [apps.slow]
            command = ["/bin/sh", "-c", "sleep 2; printf '{\\"a\\": 1, \\"b\\": 2}'"]
            """)
        defer { cli.cleanUp() }
        let args = ["--db", db.uri, "--config", cli.config]
        for title in ["P1", "P2", "P3", "P4"] {
            #expect(try CLI.run(["project", "add", title] + args).status == 0)
        }
        let (sync, err) = try start(["synccache", "--jobs", "1"] + args)
        // Once a unit has landed, the server restarts under a later one. At least one, not exactly
        // one: under load a poll can miss the moment when only the first had landed, and each
        // unit takes 2 s, so the last one is still seconds away.
        try waitFor("the first unit") { (Int(try db.sql("SELECT count(*) FROM sodarcache_item")) ?? 0) >= 2 }
        try cluster.restart()
        sync.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(sync.terminationStatus == 1, "\(stderr)")
        let lost = stderr.split(separator: "\n").filter { $0.contains("connection lost") }
        #expect(lost.count == 1, "\(stderr)")
        // Every project has both items of its unit or neither.
        let counts = try db.sql("SELECT string_agg(c::text, ',') FROM (SELECT count(*) c FROM sodarcache_item GROUP BY project_id) t")
        #expect(counts.split(separator: ",").allSatisfy { $0 == "2" }, "\(counts)")
        let rerun = try CLI.run(["synccache"] + args)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_item") == "8")
    }

    @Test func aRestartMidDeleteLeavesEverythingAndARerunCompletes() throws {
        let cluster = try Cluster()
        let db = try TestDatabase(server: cluster.uri)
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let args = ["--db", db.uri, "--config", cli.config]
        #expect(try CLI.run(["set", "samplesheets", "first", "--data", "{}"] + args).status == 0)
        try db.sql("INSERT INTO sodarcache_item (sodar_uuid, app_name, name, date_modified, size, data) SELECT gen_random_uuid(), 'samplesheets', 'n' || i, now(), 2, '{}' FROM generate_series(1, 9999) i")
        // Another session holds the totals row (as a writer in flight does), so the delete is
        // waiting when the server goes: a delete marks its rows without locking them (v10), and
        // its trigger then takes the totals row.
        let holder = try TestDatabase.background(
            db.uri, "BEGIN; SELECT 1 FROM sodarcache_totals WHERE id = 1 FOR UPDATE; SELECT pg_sleep(60);")
        try waitFor("the row lock") { try db.sql("SELECT count(*) FROM pg_locks WHERE mode = 'RowShareLock' AND granted") != "0" }
        let (delete, err) = try start(["deletecache"] + args)
        try waitFor("the delete to wait") {
            try db.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sodarcache' AND wait_event_type = 'Lock'") == "1"
        }
        try cluster.restart()
        delete.waitUntilExit()
        holder.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(delete.terminationStatus == 1)
        #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        #expect(stderr.contains("connection lost"))
        #expect(try db.sql("SELECT count(*) FROM sodarcache_item_live") == "10000")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0") == "0")
        #expect(try db.sql("SELECT items FROM sodarcache_totals") == "10000")
        let rerun = try CLI.run(["deletecache"] + args)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_item_live") == "0")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0") == "10000")
    }
}
