import Foundation
import Testing

/// Issue 18, point 4: honest ages on SODAR's tables, whose `date_modified` is a creation time.
@Suite(.serialized, .enabled(if: TestDatabase.available)) struct SODARAgeTests {
    func run(_ cli: CLI, _ uri: String, _ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--db", uri, "--config", cli.config])
    }

    static let insertOld = """
        INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id)
        VALUES ('samplesheets', 'old', '2020-01-01T00:00:00Z', gen_random_uuid(), '{}', 2),
               ('samplesheets', 'rewritten', '2020-01-01T00:00:00Z', gen_random_uuid(), '{}', 2)
        """

    @Test func withoutCommitTimestampsDeletingByAgeNeedsByCreationTime() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try db.sql(Self.insertOld)
        let ls = try run(cli, db.uri, ["ls", "--json"])
        #expect(ls.stdout.contains("\"age\": \"creation\""), "\(ls.stdout)")
        for args in [["deletecache", "--older-than", "30d"], ["deletecache", "--older-than", "30d", "--dry-run"]] {
            let refused = try run(cli, db.uri, args)
            #expect(refused.status == 1, "\(args)")
            #expect(refused.stderr.contains("give --by-creation-time") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        }
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "2")
        #expect(try run(cli, db.uri, ["deletecache", "--older-than", "30d", "--by-creation-time"]).status == 0)
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "0")
    }

    @Test func withCommitTimestampsAnItemSODARRewroteIsYoungAndOneFromBeforeTheSettingIsSettledByTheHorizon() throws {
        let cluster = try PostgresFaultTests.Cluster()
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(server: cluster.uri, sodar: true)
        try db.sql(Self.insertOld)
        // Turned on after the rows were written: the server has no commit time for them.
        try TestDatabase.psql(cluster.uri, "ALTER SYSTEM SET track_commit_timestamp = on")
        try cluster.restart()
        // SODAR rewrites one item (date_modified stays 2020), then the horizon is checkpointed.
        try db.sql("UPDATE sodarcache_jsoncacheitem SET data = '{\"v\": 1}' WHERE name = 'rewritten'")
        try TestDatabase.psql(cluster.uri, "CHECKPOINT")
        let ls = try run(cli, db.uri, ["ls", "--json"])
        #expect(ls.stdout.contains("\"age\": \"commit_time\""), "\(ls.stdout)")
        // Nothing was last written 30 days ago: the rewritten item seconds ago, the other one
        // before a horizon that is itself younger than 30 days (unknown, so kept).
        let month = try run(cli, db.uri, ["deletecache", "--older-than", "30d", "--dry-run"])
        #expect(month.status == 0 && !month.stdout.contains("samplesheets"), "\(month.stdout) \(month.stderr)")
        Thread.sleep(forTimeInterval: 8)
        try db.sql("UPDATE sodarcache_jsoncacheitem SET data = '{\"v\": 2}' WHERE name = 'rewritten'")
        // Older than 6 s: the item from before the horizon (which is 8 s old or more) goes, the
        // item SODAR just rewrote stays. 6 s leaves the delete that long to start under load (a
        // 2 s window once took the rewritten item too on a busy machine).
        #expect(try run(cli, db.uri, ["deletecache", "--older-than", "6s"]).status == 0)
        #expect(try db.sql("SELECT string_agg(name, ',') FROM sodarcache_jsoncacheitem") == "rewritten")
    }
}
