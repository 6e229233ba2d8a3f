import Foundation
import TestSupport
import Testing

/// A hot standby (what admins are often given to read): everything reads, and the session may
/// write nothing, whatever the role's grants say.
@Suite(.serialized, .enabled(if: TestDatabase.available)) struct StandbyTests {
    @Test func onAHotStandbyEveryReadWorksAndEveryWriteIsRefusedUpFront() throws {
        let cluster = try PostgresFaultTests.Cluster()
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(server: cluster.uri)
        #expect(try CLI.run(["set", "samplesheets", "x", "--data", "{}", "--db", db.uri, "--config", cli.config]).status == 0)
        let standbyDir = cluster.dir + "-standby"
        let server = try PostgresFaultTests.Cluster.run(["standby", cluster.dir, standbyDir]).trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? PostgresFaultTests.Cluster.run(["stop", standbyDir]) }
        let standby = TestDatabase.uri(server, database: db.name)
        // The standby replays the primary: wait for the store to be there.
        var listed = try CLI.run(["ls", "--db", standby, "--config", cli.config])
        try waitUntil(timeout: 20, every: 0.2) {
            listed = try CLI.run(["ls", "--db", standby, "--config", cli.config])
            return listed.status == 0 && listed.stdout.contains("samplesheets")
        }
        #expect(listed.status == 0 && listed.stdout.contains("samplesheets"), "\(listed.stderr)")
        for args in [["set", "samplesheets", "y", "--data", "{}"], ["delete", "samplesheets", "x"], ["deletecache"]] {
            let refused = try CLI.run(args + ["--db", standby, "--config", cli.config])
            #expect(refused.status == 1, "\(args)")
            #expect(refused.stderr.contains("the server is a hot standby"), "\(args): \(refused.stderr)")
        }
    }

    /// A SODAR site's standby: reads and refused changes leave this host's local store
    /// (`$XDG_DATA_HOME/sodarcache/sites/`) uncreated.
    @Test func onASODARSitesStandbyNothingIsWrittenLocally() throws {
        let cluster = try PostgresFaultTests.Cluster()
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(server: cluster.uri, sodar: true)
        try SiteLocalStoreReadTests.sodarWrites(db, name: "irods/rows/a1")
        let standbyDir = cluster.dir + "-standby"
        let server = try PostgresFaultTests.Cluster.run(["standby", cluster.dir, standbyDir]).trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? PostgresFaultTests.Cluster.run(["stop", standbyDir]) }
        let standby = TestDatabase.uri(server, database: db.name)
        let home = cli.dir.appendingPathComponent("data").path
        func run(_ args: [String]) throws -> CLI.Result {
            try CLI.run(args + ["--db", standby, "--config", cli.config], env: ["XDG_DATA_HOME": home])
        }
        #expect(try waitUntil(timeout: 20, every: 0.2) { try run(["ls"]).stdout.contains("irods/rows/a1") })
        for args in SiteLocalStoreReadTests.reads {
            _ = try run(args)
            #expect(SiteLocalStoreReadTests.files(home).isEmpty, "\(args)")
        }
        for args in [["delete", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver], ["deletecache"], ["trash", "purge"]] {
            let refused = try run(args)
            #expect(refused.status == 1, "\(args)")
            #expect(refused.stderr.contains("the server is a hot standby"), "\(args): \(refused.stderr)")
            #expect(SiteLocalStoreReadTests.files(home).isEmpty, "\(args)")
        }
    }

    /// A primary (a private cluster) with a sodarcache store, and a hot standby of it replaying it.
    final class Pair {
        let cluster: PostgresFaultTests.Cluster
        let db: TestDatabase
        let standbyDir: String
        /// The store's database on the standby.
        let standby: String

        init() throws {
            cluster = try PostgresFaultTests.Cluster()
            db = try TestDatabase(server: cluster.uri)
            standbyDir = cluster.dir + "-standby"
            let server = try PostgresFaultTests.Cluster.run(["standby", cluster.dir, standbyDir]).trimmingCharacters(in: .whitespacesAndNewlines)
            standby = TestDatabase.uri(server, database: db.name)
        }

        deinit { _ = try? PostgresFaultTests.Cluster.run(["stop", standbyDir]) }

        /// Both servers in one URI, in the order given (true: the primary first).
        func both(primaryFirst: Bool, _ attributes: String) -> String {
            let hosts = primaryFirst ? "\(cluster.dir),\(standbyDir)" : "\(standbyDir),\(cluster.dir)"
            let ports = primaryFirst ? "5432,5433" : "5433,5432"
            return "postgresql:///\(db.name)?host=\(hosts)&port=\(ports)&user=postgres&target_session_attrs=\(attributes)"
        }

        /// Waits until the standby lists `name`.
        func waitForReplay(of name: String, config: String) throws {
            let replayed = waitUntil(timeout: 20, every: 0.2) {
                (try? CLI.run(["ls", "--db", self.standby, "--config", config]).stdout.contains(name)) == true
            }
            if !replayed { throw TestDatabase.PSQLError(message: "the standby never replayed \(name)") }
        }
    }

    @Test func targetSessionAttrsAndSeveralHostsPickTheServerAsLibpqDefines() throws {
        let pair = try Pair()
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        for primaryFirst in [true, false] {
            // read-write and primary take the primary, whichever host comes first.
            for attributes in ["read-write", "primary"] {
                let name = "w-\(attributes)-\(primaryFirst)"
                let wrote = try CLI.run(["set", "samplesheets", name, "--data", "{}", "--db", pair.both(primaryFirst: primaryFirst, attributes), "--config", cli.config])
                #expect(wrote.status == 0, "\(attributes), primary first: \(primaryFirst): \(wrote.stderr)")
                #expect(try pair.db.sql("SELECT count(*) FROM sodarcache_item WHERE name = '\(name)'") == "1")
            }
            // prefer-standby, read-only and standby take the standby: it reads, and refuses writes.
            try pair.waitForReplay(of: "w-primary-\(primaryFirst)", config: cli.config)
            for attributes in ["prefer-standby", "read-only", "standby"] {
                let uri = pair.both(primaryFirst: primaryFirst, attributes)
                let listed = try CLI.run(["ls", "--db", uri, "--config", cli.config])
                #expect(listed.status == 0 && listed.stdout.contains("w-read-write-\(primaryFirst)"), "\(attributes): \(listed.stderr)")
                let refused = try CLI.run(["set", "samplesheets", "no", "--data", "{}", "--db", uri, "--config", cli.config])
                #expect(refused.status == 1, "\(attributes)")
                #expect(refused.stderr.contains("the server is a hot standby"), "\(attributes): \(refused.stderr)")
            }
        }
        // No host is what read-write asks for: one line that says so, with no password in it.
        let standbys = "postgresql://postgres:Hunter2Secret@/\(pair.db.name)?host=\(pair.standbyDir),\(pair.standbyDir)&port=5433,5433&target_session_attrs=read-write"
        let none = try CLI.run(["ls", "--db", standbys, "--config", cli.config])
        #expect(none.status == 1)
        #expect(none.stderr.contains("Cannot reach store postgresql://postgres@/\(pair.db.name)?host=\(pair.standbyDir),\(pair.standbyDir)&port=5433,5433&target_session_attrs=read-write"), "\(none.stderr)")
        #expect(none.stderr.contains("no host of the URI is what target_session_attrs=read-write asks for"))
        #expect(!none.stderr.contains("Hunter2Secret"))
        #expect(none.stderr.split(separator: "\n").count == 1)
        // A profile on the standby: `profiles` says it is one.
        let config = cli.dir.appendingPathComponent("profiles.toml").path
        try "[profiles.replica]\ndb = \"\(pair.standby)\"\n[profiles.primary]\ndb = \"\(pair.db.uri)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let profiles = try CLI.run(["profiles", "--config", config])
        let lines = profiles.stdout.split(separator: "\n")
        #expect(lines.first { $0.contains("\tprimary\t") }?.hasSuffix("\t-\tok") == true, "\(profiles.stdout)")
        #expect(lines.first { $0.contains("\treplica\t") }?.hasSuffix("\t-\tok (hot standby, caught up)") == true, "\(profiles.stdout)")
    }

    @Test(.enabled(if: Tmux.available)) func theBrowserOnAStandbySaysHowFarBehindItIsAndFollowsTheReplay() throws {
        let pair = try Pair()
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        #expect(try CLI.run(["set", "samplesheets", "first", "--data", "{}", "--db", pair.db.uri, "--config", cli.config]).status == 0)
        try pair.waitForReplay(of: "first", config: cli.config)
        let tmux = try Tmux(binary: "--db '\(pair.standby)' --config '\(cli.config)'", cols: 140)
        try tmux.waitFor(text: "[hot standby, caught up]")
        try tmux.send("Down", "Enter", "Enter")
        try tmux.waitFor(text: "first")
        // Every key that writes says the store is a standby.
        try tmux.send("d")
        try tmux.waitFor(text: "Cannot delete: the server is a hot standby")
        try tmux.send("s")
        try tmux.waitFor(text: "Cannot sync: the server is a hot standby")
        // The primary writes: the standby replays it and the browser shows it, no key pressed.
        #expect(try CLI.run(["set", "samplesheets", "second", "--data", "{}", "--db", pair.db.uri, "--config", cli.config]).status == 0)
        try tmux.waitFor(text: "second", timeout: 15)
        // Replay paused: what the primary writes waits on the standby, and the header says how much.
        try TestDatabase.psql(pair.standby, "SELECT pg_wal_replay_pause()")
        #expect(try CLI.run(["set", "samplesheets", "third", "--data", "{}", "--db", pair.db.uri, "--config", cli.config]).status == 0)
        let behind = try tmux.waitFor("the lag in the header", timeout: 15) { $0.contains(" to replay, ") && $0.contains(" behind]") }
        #expect(!behind.contains("third"))
        try TestDatabase.psql(pair.standby, "SELECT pg_wal_replay_resume()")
        try tmux.waitFor("the replay caught up", timeout: 15) { $0.contains("[hot standby, caught up]") && $0.contains("third") }
        try tmux.quit()
    }
}
