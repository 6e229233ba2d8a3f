import Foundation
import Testing

/// `synccache --dry-run` end to end, and the change counts a real sync logs.
@Suite(.serialized) struct SyncDryRunCommandTests {
    /// A command app that prints `out.json` (an object of items), one that fails, and one that
    /// writes the cache itself (it would leave a marker).
    static func setUp(_ cli: CLI) throws -> (output: URL, marker: String) {
        let output = cli.dir.appendingPathComponent("out.json")
        let marker = cli.dir.appendingPathComponent("sodar-ran").path
        try Data("""
            [apps.alpha]
            title = "Alpha"
            command = ["/bin/cat", "\(output.path)"]

            [apps.broken]
            command = ["/bin/sh", "-c", "echo 'irods: connection refused' >&2; exit 3"]
            item = "status"

            [apps.sodar]
            command = ["/bin/sh", "-c", "touch \(marker); echo 'Cache synchronization OK' >&2"]
            writes_cache = true

            """.utf8).write(to: URL(fileURLWithPath: cli.config))
        return (output, marker)
    }

    /// `setUp`, then project "Liver" with three items of `alpha`, whose next output keeps one,
    /// edits one, drops one and adds one (its name holding an escape); returns the project's UUID.
    static func liver(_ cli: CLI) throws -> String {
        let (output, _) = try setUp(cli)
        let project = try cli.run(["project", "add", "Liver"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for (name, data) in [("same", #"{"b": [1, 2], "a": 1}"#), ("edited", #"{"title": "x", "rows": [1, 2]}"#), ("gone", "{}")] {
            #expect(try cli.run(["set", "alpha", name, "-p", project, "--data", data]).status == 0)
        }
        try Data(#"{"same": {"a": 1, "b": [1, 2]}, "edited": {"title": "y", "rows": [1, 2, 3]}, "fresh\u001b]0;x": []}"#.utf8)
            .write(to: output)
        return project
    }

    @Test func aDryRunReportsWhatWouldChangeAndWritesNothing() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let project = try Self.liver(cli)
        let listing = try cli.run(["ls", "--json"]).stdout
        let log = try cli.run(["log"]).stdout

        let dry = try cli.run(["synccache", "--dry-run", "-a", "alpha"])
        #expect(dry.status == 1, "\(dry.stderr)")
        #expect(dry.stdout == """
            Dry run: nothing was written.

            Project "Liver" (\(project))
              alpha: 1 new, 1 changed, 1 unchanged, 1 no longer written
                + fresh\\u001b]0;x
                ~ edited: .title, .rows[2]
                ! gone (no longer written: stays as it is)

            Would change: 1 new, 1 changed, 1 unchanged, 1 no longer written in 1 of 1 units; numbers compared by text

            """)
        #expect(dry.stderr.contains("Dry run: plugins run as in a sync, and nothing is written"))
        #expect(!dry.stderr.contains("Items written"))
        // Nothing written: the items, their times and the audit trail as they were.
        #expect(try cli.run(["ls", "--json"]).stdout == listing)
        #expect(try cli.run(["log"]).stdout == log)

        let json = try cli.run(["synccache", "--dry-run", "-a", "alpha", "--json"])
        #expect(json.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(document["would_change"] as? Bool == true)
        #expect(document["totals"] as? [String: Int] == ["new": 1, "changed": 1, "unchanged": 1, "no_longer_written": 1, "removed": 0])
        let unit = try #require((document["changes"] as? [[String: Any]])?.first)
        #expect(unit["app"] as? String == "alpha")
        #expect((unit["project"] as? [String: String])?["uuid"] == project)
        #expect(unit["outcome"] as? String == "compared")
        #expect((unit["new"] as? [[String: String]])?.first?["name"] == "fresh\u{1b}]0;x")
        let changed = try #require((unit["changed"] as? [[String: Any]])?.first)
        #expect(changed["name"] as? String == "edited")
        #expect(changed["paths"] as? [String] == [".title", ".rows[2]"])
        #expect(changed["path_count"] as? Int == 2)
        #expect((unit["no_longer_written"] as? [[String: String]])?.map { $0["name"] } == ["gone"])

        // The real sync logs the same counts, and then nothing would change.
        let real = try cli.run(["synccache", "-a", "alpha"])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stderr.contains(#"Changes for plugin "alpha": 1 new, 1 changed, 1 unchanged, 1 no longer written"#))
        let after = try cli.run(["synccache", "--dry-run", "-a", "alpha"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.hasSuffix("Nothing would change: 0 new, 0 changed, 3 unchanged, 1 no longer written in 1 of 1 units; numbers compared by text\n"))
        // --read-only allows it: it writes nothing.
        #expect(try cli.run(["--read-only", "synccache", "--dry-run", "-a", "alpha"]).status == 0)
    }

    @Test func cacheWritersAreNotRunAndFailuresAreTrouble() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let (output, marker) = try Self.setUp(cli)
        try Data(#"{"x": {}}"#.utf8).write(to: output)
        let project = try cli.run(["project", "add", "Liver"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let dry = try cli.run(["synccache", "--dry-run"])
        #expect(dry.status == 2, "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(dry.stdout.contains("  broken: failed: "))
        #expect(dry.stdout.contains("exited with status 3; stderr: irods: connection refused\n"))
        #expect(dry.stdout.contains("  sodar: not run: its command writes the cache itself (writes_cache), so a dry run does not start it\n"))
        #expect(dry.stdout.contains("; 1 failed; 1 not run (its command writes the cache itself)"))
        #expect(try cli.run(["get", "alpha", "x", "-p", project]).status != 0)

        let json = try cli.run(["synccache", "--dry-run", "--json", "-a", "sodar"])
        #expect(json.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        let unit = try #require((document["changes"] as? [[String: Any]])?.first)
        #expect(unit["outcome"] as? String == "not_run")
        #expect((unit["reason"] as? String)?.contains("writes_cache") == true)
        #expect(!FileManager.default.fileExists(atPath: marker))

        let misuse = try cli.run(["synccache", "--json"])
        #expect(misuse.status == 64)
        #expect(misuse.stderr.contains("--json goes with --dry-run"))
        let missing = try CLI.run(["synccache", "--dry-run", "--db", cli.dir.appendingPathComponent("none.sqlite3").path, "--config", cli.config])
        #expect(missing.status == 2)
        #expect(!FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("none.sqlite3").path))
    }

    @Test func aCommandThatWritesTheCacheItselfIsReportedAgainstTheItemsBeforeItsRun() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let (mode, _) = try SodarSyncCommandTests.setUp(cli)
        let project = try cli.run(["project", "add", "Cancer"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try Data(SodarSyncCommandTests().config(cli, project: project).utf8).write(to: URL(fileURLWithPath: cli.config))
        try Data("ok".utf8).write(to: mode)
        let first = try cli.run(["synccache", "-p", project])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains(#"Changes made by plugin "sodar" (against the items just before its run): 2 new, 0 changed, 0 removed: "#
            + "+samplesheets:counts/\(project) +samplesheets:status/\(project)"), "\(first.stderr)")
        let second = try cli.run(["synccache", "-p", project])
        #expect(second.stderr.contains(#"Changes made by plugin "sodar" (against the items just before its run): 0 new, 2 changed, 0 removed: "#
            + "~samplesheets:counts/\(project) ~samplesheets:status/\(project)"), "\(second.stderr)")
        // Without its closing line the run failed (outcome unknown), and what it wrote is still told.
        try Data("silent".utf8).write(to: mode)
        let silent = try cli.run(["synccache", "-p", project])
        #expect(silent.status == 3)
        #expect(silent.stderr.contains("0 new, 2 changed, 0 removed"), "\(silent.stderr)")
    }
}

/// On a SODAR site's tables jsonb reorders keys and respells numbers: neither is a change.
@Suite(.enabled(if: TestDatabase.available), .serialized) struct PostgresSyncDryRunTests {
    @Test func jsonbSpellingIsNoChange() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let output = cli.dir.appendingPathComponent("out.json")
        try Data("""
            [apps.alpha]
            command = ["/bin/cat", "\(output.path)"]
            item = "table"

            """.utf8).write(to: URL(fileURLWithPath: cli.config))
        func run(_ args: [String]) throws -> CLI.Result { try CLI.run(args + ["--db", db.uri, "--config", cli.config]) }
        let payload = #"{"rows":[1e2,2.50],"bb":{"y":1,"x":-0.0},"a":"s"}"#
        try Data(payload.utf8).write(to: output)
        #expect(try run(["set", "alpha", "table", "-p", TestDatabase.liver, "--data", payload]).status == 0)
        // As jsonb keeps it: not the bytes the command prints.
        #expect(try db.sql("SELECT data::text FROM sodarcache_jsoncacheitem") != payload)

        let dry = try run(["synccache", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stdout)\(dry.stderr)")
        #expect(dry.stdout.hasSuffix("Nothing would change: 0 new, 0 changed, 1 unchanged, 0 no longer written in 2 of 2 units (2 with every item unchanged not listed); numbers compared by value (the store respells them)\n"))
        let real = try run(["synccache"])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stderr.contains(#"Changes for plugin "alpha": 0 new, 0 changed, 1 unchanged, 0 no longer written"#))

        try Data(#"{"rows":[1e2,2.51],"bb":{"y":1,"x":0},"a":"s"}"#.utf8).write(to: output)
        let changed = try run(["synccache", "--dry-run", "--json"])
        #expect(changed.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: changed.stdoutData) as? [String: Any])
        #expect(document["numbers"] as? String == "value")
        let unit = try #require((document["changes"] as? [[String: Any]])?.first { $0["app"] as? String == "alpha" })
        #expect((unit["changed"] as? [[String: Any]])?.first?["paths"] as? [String] == [".rows[1]"])
        // Read in a read-only session: nothing was written.
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "1")
    }
}
