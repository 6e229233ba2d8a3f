import Foundation
import TestSupport
import Testing

/// `sodarcache doctor` end to end: the table, JSON, and the exit statuses monitoring plugins use.
@Suite struct DoctorCommandTests {
    /// The first line of the output.
    static func statusLine(_ result: CLI.Result) -> String {
        String(result.stdout.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    @Test func nothingFoundIsOKAndExits0() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "Liver"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "samplesheets", "rows", "-p", project, "--data", #"{"a": 1}"#])
        let result = try cli.run(["doctor"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.statusLine(result) == "DOCTOR OK - nothing found in 1 items | stale=0 cleared=0 oversized=0 orphans=0 duplicates=0 missing=0")
        #expect(result.stdout.contains("stale: last written more than 30d ago; oversized: over 50.0 MiB"))
        #expect(result.stdout.contains("Not checked: missing (nothing expected: no [apps.NAME] expect in the config)"))
        #expect(result.stderr.isEmpty)
    }

    @Test func warningsExit1AndCriticalFindingsExit2() throws {
        let cli = try CLI(extraConfig: """
            [apps.irodsbackend]
            expect = ["irods/stats"]

            [doctor]
            stale = "10d"
            oversized = "100B"

            """)
        defer { cli.cleanUp() }
        let title = "Liver \u{1B}[2J cohort"
        let liver = try cli.run(["project", "add", title]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let kidney = try cli.run(["project", "add", "Kidney"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "samplesheets", "sheet/cleared", "-p", liver, "--data", "{}"])
        try cli.run(["set", "samplesheets", "big", "-p", liver, "--data", #"{"x": ""# + String(repeating: "y", count: 200) + #""}"#])
        try cli.run(["set", "samplesheets", "old", "-p", liver, "--data", "[1]"])
        try cli.run(["set", "irodsbackend", "irods/stats", "-p", liver, "--data", #"{"n": 1}"#])
        _ = try Faults.sqlite(cli.db, "UPDATE cache_item SET date_modified = date_modified - 20 * 86400 WHERE name = 'old'")

        // Kidney has no statistics: missing, which is critical by default.
        let critical = try cli.run(["doctor"])
        #expect(critical.status == 2, "\(critical.stdout)\(critical.stderr)")
        #expect(Self.statusLine(critical)
            == "DOCTOR CRITICAL - stale 1, cleared 1, oversized 1, missing 1 (critical) | stale=1 cleared=1 oversized=1 orphans=0 duplicates=0 missing=1")
        let lines = critical.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("critical  missing") && $0.contains("Kidney") && $0.hasSuffix("irods/stats") })
        #expect(lines.contains { $0.hasPrefix("warning   stale") && $0.contains("oldest 20d ago: old") })
        #expect(lines.contains { $0.hasPrefix("warning   oversized") && $0.contains("largest 209 B: big") })
        #expect(lines.contains { $0.hasPrefix("warning   cleared") && $0.hasSuffix("sheet/cleared") })
        // A title from the store never reaches the terminal raw.
        #expect(!critical.stdout.contains("\u{1B}"))
        #expect(critical.stdout.contains("Liver \\u001b[2J cohort"))

        // -p narrows to one project: only warnings there.
        let one = try cli.run(["doctor", "-p", liver])
        #expect(one.status == 1)
        #expect(Self.statusLine(one).hasPrefix("DOCTOR WARNING - stale 1, cleared 1, oversized 1 |"))
        // -a to one app; nothing of it there.
        #expect(try cli.run(["doctor", "-a", "samplesheets.assayapps.cytof"]).status == 0)

        // JSON for tools: the same findings, the title exact.
        let json = try cli.run(["doctor", "--json"])
        #expect(json.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(object["status"] as? String == "critical")
        #expect(object["exit_status"] as? Int == 2)
        #expect(object["age"] as? String == "last_write")
        #expect((object["counts"] as? [String: Int]) == ["stale": 1, "cleared": 1, "oversized": 1, "orphans": 0, "duplicates": 0, "missing": 1])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.map { $0["check"] as? String } == ["missing", "stale", "cleared", "oversized"])
        #expect(findings[0]["project"] as? String == kidney && findings[0]["names"] as? [String] == ["irods/stats"])
        #expect(findings[1]["project_title"] as? String == title)
        let items = try #require(findings[1]["items"] as? [[String: Any]])
        #expect(items.map { $0["name"] as? String } == ["old"])
        #expect((object["settings"] as? [String: Any])?["stale_seconds"] as? Int == 864_000)
    }

    @Test func orphansNeedAConfigAndAreFoundWithOne() throws {
        let cli = try CLI(apps: ["samplesheets", "retired"])
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "Liver"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "retired", "x", "-p", project, "--data", "[1]"])
        try Data("[apps.samplesheets]\ntitle = \"S\"\n".utf8).write(to: URL(fileURLWithPath: cli.config))
        let found = try cli.run(["doctor"])
        #expect(found.status == 1)
        #expect(found.stdout.contains("orphans") && found.stdout.contains("app not registered"))
        // Without a config every app but the built-in one would be an orphan: not checked.
        let bare = try CLI.run(["doctor", "--db", cli.db], env: ["SODARCACHE_CONFIG": "", "XDG_CONFIG_HOME": cli.dir.path + "/none"])
        #expect(bare.status == 0, "\(bare.stdout)\(bare.stderr)")
        #expect(bare.stdout.contains("orphans (no config: every app but the built-in ones would count as an orphan)"))
    }

    @Test func aStoreThatCannotBeCheckedIsUnknownAndExits3() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let missing = try cli.run(["doctor"])
        #expect(missing.status == 3)
        #expect(Self.statusLine(missing).hasPrefix("DOCTOR UNKNOWN - could not check: No store at \(cli.db)"))
        #expect(missing.stderr.hasPrefix("Error: No store at") && missing.stderr.split(separator: "\n").count == 1)
        // A broken config cannot be checked against either.
        try cli.run(["project", "add", "Liver"])
        try Data("[doctor]\nstale = \"6M\"\n".utf8).write(to: URL(fileURLWithPath: cli.config))
        let config = try cli.run(["doctor", "--json"])
        #expect(config.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: config.stdoutData) as? [String: Any])
        #expect(object["status"] as? String == "unknown")
        #expect((object["error"] as? String)?.contains("doctor.stale: expected a duration") == true)
        // Nothing was created where there was no store.
        #expect(!FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("none.sqlite3").path))
        #expect(try CLI.run(["doctor", "--db", cli.dir.appendingPathComponent("none.sqlite3").path]).status == 3)
        #expect(!FileManager.default.fileExists(atPath: cli.dir.appendingPathComponent("none.sqlite3").path))
    }

    @Test func usageMistakesStay64() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.run(["project", "add", "Liver"])
        for (args, says) in [
            (["doctor", "-p", "not-a-uuid"], "not-a-uuid"),
            (["doctor", "-p", "0d000000-0000-4000-8000-000000000009"], "0d000000-0000-4000-8000-000000000009"),
            (["doctor", "-a", "typo"], "typo"),
            (["doctor", "--subtree"], "--subtree needs -p CATEGORY"),
            (["doctor", "--jsn"], "--jsn"),
        ] {
            let result = try cli.run(args)
            #expect(result.status == 64, "\(args): \(result.stderr)")
            #expect(result.stderr.contains(says) && result.stderr.split(separator: "\n").count == 1, "\(args): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(args)")
        }
    }
}
