import Foundation
import Testing

/// Issue 13 through the real binary: nothing deleted by accident, reads and deletes of items
/// of unregistered apps, project import and delete, vacuum, and usage mistakes that exit 64.
@Suite(.serialized) struct SafetyCommandTests {
    /// Runs without `--config`, with an empty config home: no config is found at all.
    func runWithoutConfig(_ cli: CLI, _ args: [String]) throws -> CLI.Result {
        let home = cli.dir.appendingPathComponent("config-home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return try CLI.run(args + ["--db", cli.db], env: ["XDG_CONFIG_HOME": home, "SODARCACHE_CONFIG": ""])
    }

    func itemCount(_ cli: CLI) throws -> Int {
        try cli.run(["ls"]).stdout.split(separator: "\n").count
    }

    func oneLine(_ result: CLI.Result) -> Bool {
        result.stderr.split(separator: "\n").filter { !$0.isEmpty }.count == 1
    }

    @Test func durationsAcceptOnlyLowerCaseUnitsAndNoNegatives() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.run(["set", "samplesheets", "a", "--data", "{}"])
        for args in [["deletecache", "--older-than", "6M"], ["deletecache", "--older-than", "7D"],
                     ["deletecache", "--older-than", "-5d"], ["deletecache", "--older-than=-5d"],
                     ["deletecache", "--older-than", "0m", "--dry-run", "--older-than", "-1h"],
                     ["browse", "--stale-after", "1M"]] {
            let result = try cli.run(args)
            #expect(result.status == 64, "\(args): \(result.stderr)")
            #expect(result.stderr.contains("s, m, h, d, w"), "\(args): \(result.stderr)")
            #expect(oneLine(result), "\(args): \(result.stderr)")
        }
        #expect(try cli.run(["deletecache", "--older-than", "-5d"]).stderr.contains("negative durations are not allowed"))
        #expect(try itemCount(cli) == 1)
        #expect(try cli.run(["deletecache", "--older-than", "1d12h", "--dry-run"]).status == 0)
    }

    @Test func usageMistakesExit64() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        func expect64(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try cli.run(args)
            #expect(result.status == 64, "\(args): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(oneLine(result), "\(args): \(result.stderr)", sourceLocation: sourceLocation)
        }
        for args in [["project", "add", ""], ["project", "add", "  "], ["project", "add", "\t\n"],
                     ["synccache", "--jobs", "-2"], ["synccache", "--jobs", "0"]] {
            try expect64(args)
        }
        #expect(try cli.run(["project", "add", ""]).stderr == "Error: The title is empty\n")
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        let project = try cli.run(["project", "add", "P"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for args in [["ls", "-p", "not-a-uuid"], ["project", "delete", "nope"], ["project", "set", project, "--title", " "],
                     ["get", "samplesheets", "x", "-p", "nope"]] {
            try expect64(args)
        }
    }

    @Test func stdinThatCannotBeReadIsOneLineNotACrash() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for command in ["set samplesheets x", "project import -"] {
            let result = try CLI.run(["-c", "'\(CLI.binary)' \(command) --db '\(cli.db)' --config '\(cli.config)' < '\(cli.dir.path)'"], shell: true)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr == "Error: Cannot read stdin: it is a directory, not a file\n", "\(command)")
        }
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func anUnreadableConfigIsAnErrorForEveryCommand() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.run(["set", "samplesheets", "a", "--data", "{}"])
        try cli.run(["set", "otherapp", "b", "--data", "{}"])
        let home = cli.dir.appendingPathComponent("xdg").path
        try FileManager.default.createDirectory(atPath: home + "/sodarcache/config.toml", withIntermediateDirectories: true)
        for args in [["apps"], ["deletecache", "--orphans"], ["ls"]] {
            let result = try CLI.run(args + ["--db", cli.db], env: ["XDG_CONFIG_HOME": home, "SODARCACHE_CONFIG": ""])
            #expect(result.status == 1, "\(args)")
            #expect(result.stderr == "Error: Cannot read config file \(home)/sodarcache/config.toml: it is a directory, not a file\n")
        }
        #expect(try itemCount(cli) == 2)
    }

    @Test func withoutAConfigOrphansAndUnknownAppsAreRefused() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        try cli.run(["set", "samplesheets", "a", "--data", "{}"])
        for args in [["deletecache", "--orphans"], ["deletecache", "--orphans", "--dry-run"], ["deletecache", "-a", "samplesheets"]] {
            let result = try runWithoutConfig(cli, args)
            #expect(result.status == 1, "\(args)")
            #expect(result.stdout.isEmpty, "\(args): a dry run listed \(result.stdout)")
            #expect(result.stderr.contains("without a config every app"), "\(args): \(result.stderr)")
            #expect(result.stderr.contains("--config"))
            #expect(oneLine(result))
        }
        #expect(try itemCount(cli) == 1)
    }

    @Test func theReadmeDemoFlowFindsTheDemoConfig() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let demo = try runWithoutConfig(cli, ["demo", "--no-browse"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("--config \(cli.db).demo/config.toml"))
        #expect(demo.stdout.contains("export SODARCACHE_CONFIG=\(cli.db).demo/config.toml"))
        let total = try runWithoutConfig(cli, ["ls"]).stdout.split(separator: "\n").count
        #expect(total > 100)
        let orphans = try runWithoutConfig(cli, ["deletecache", "--orphans"])
        #expect(orphans.status == 0, "\(orphans.stderr)")
        #expect(orphans.stderr.contains("No cached data found"))
        #expect(try runWithoutConfig(cli, ["ls"]).stdout.split(separator: "\n").count == total)
        #expect(try runWithoutConfig(cli, ["apps"]).stdout.contains("samplesheets.assayapps.cytof"))
        // A site's SODARCACHE_CONFIG (here registering 3 apps) is not applied to the demo store.
        let site = try CLI.run(["deletecache", "--orphans", "--dry-run", "--db", cli.db], env: ["SODARCACHE_CONFIG": cli.config])
        #expect(site.status == 0)
        #expect(site.stdout.isEmpty, "\(site.stdout.prefix(300))")
    }

    @Test func demoChecksTheTerminalBeforeWritingAnything() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let result = try cli.run(["demo", "--db", cli.db], global: false)
        #expect(result.status == 1)
        #expect(result.stderr.contains("needs an interactive terminal"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        #expect(!FileManager.default.fileExists(atPath: cli.db + ".demo"))
    }

    @Test func itemsOfAnAppNoLongerRegisteredAreReadAndDeleted() throws {
        let cli = try CLI(apps: ["samplesheets", "oldapp"])
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "P"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "oldapp", "x", "-p", project, "--data", #"{"k": 1}"#])
        try cli.run(["set", "oldapp", "y", "--data", "[]"])
        try cli.run(["set", "samplesheets", "z", "--data", "[]"])
        // The app leaves the config.
        try Data("[apps.samplesheets]\n".utf8).write(to: URL(fileURLWithPath: cli.config))

        #expect(try cli.run(["get", "oldapp", "x", "-p", project, "--compact"]).stdout == "{\"k\": 1}\n")
        #expect(try cli.run(["update-time", "oldapp", "y"]).status == 0)
        let listed = try cli.run(["ls", "-a", "oldapp"])
        #expect(listed.status == 0)
        #expect(listed.stdout.split(separator: "\n").count == 2)
        #expect(try cli.run(["set", "oldapp", "w", "--data", "{}"]).stderr.contains("Unknown app \"oldapp\""))

        let dry = try cli.run(["deletecache", "-a", "oldapp", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.split(separator: "\n").count == 2)
        #expect(!dry.stderr.contains("Unknown app"))
        let real = try cli.run(["deletecache", "-a", "oldapp"])
        #expect(real.stderr.contains("Deleted 2 cached data item(s)"))
        #expect(try cli.run(["ls"]).stdout.split(separator: "\n").count == 1)

        try cli.run(["set", "samplesheets", "again", "--data", "{}"])
        try Data("[apps.other]\n".utf8).write(to: URL(fileURLWithPath: cli.config))
        #expect(try cli.run(["delete", "samplesheets", "again"]).status == 0)
        #expect(try cli.run(["get", "samplesheets", "again"]).stderr.contains("No cached item"))
    }

    @Test func anUnknownPlaceholderIsAConfigError() throws {
        let cli = try CLI(apps: [], extraConfig: """
            [apps.check]
            item = "status"
            command = ["/bin/echo", "{project_name}"]
            """)
        defer { cli.cleanUp() }
        let result = try cli.run(["apps"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("config.toml:3: apps.check.command: unknown placeholder {project_name}"), "\(result.stderr)")
    }

    @Test func projectImportTakesEveryPageAndKeepsFields() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let liver = cli.dir.appendingPathComponent("liver").path
        try FileManager.default.createDirectory(atPath: liver, withIntermediateDirectories: true)
        let cat = try cli.run(["project", "add", "Cat", "--type", "CATEGORY"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let added = try CLI.run(
            ["project", "add", "Liver", "--parent", cat, "--description", "Cohort", "--path", "./liver/", "--db", cli.db, "--config", cli.config],
            cwd: cli.dir.path)
        let project = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let list = try cli.run(["project", "list", "--json"]).stdout
        #expect(list.contains(#""path": "\#(liver)""#), "\(list)")

        // Round trip into a fresh store: every field read back.
        let fresh = try CLI()
        defer { fresh.cleanUp() }
        let file = fresh.dir.appendingPathComponent("list.json").path
        try Data(list.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try fresh.run(["project", "import", file]).status == 0)
        #expect(try fresh.run(["project", "list", "--json"]).stdout == list)

        // A record without description or path keeps them.
        let partial = fresh.dir.appendingPathComponent("partial.json").path
        try Data(#"[{"sodar_uuid": "\#(project)", "title": "Liver"}]"#.utf8).write(to: URL(fileURLWithPath: partial))
        #expect(try fresh.run(["project", "import", partial]).status == 0)
        #expect(try fresh.run(["project", "list", "--json"]).stdout == list)

        // Paginated: page 1 alone is refused, both pages at once are one import.
        let page1 = fresh.dir.appendingPathComponent("page1.json").path
        let page2 = fresh.dir.appendingPathComponent("page2.json").path
        try Data(#"{"count": 2, "next": "https://sodar/project/api/list?page=2", "previous": null, "results": [{"sodar_uuid": "a0000000-0000-4000-8000-000000000001", "title": "One"}]}"#.utf8).write(to: URL(fileURLWithPath: page1))
        try Data(#"{"count": 2, "next": null, "previous": "https://sodar/project/api/list", "results": [{"sodar_uuid": "a0000000-0000-4000-8000-000000000002", "title": "Two"}]}"#.utf8).write(to: URL(fileURLWithPath: page2))
        let alone = try fresh.run(["project", "import", page1])
        #expect(alone.status == 1)
        #expect(alone.stderr.contains("without the later pages"))
        #expect(oneLine(alone))
        #expect(!(try fresh.run(["project", "list"]).stdout.contains("One")))
        let both = try fresh.run(["project", "import", page1, page2])
        #expect(both.stdout == "Imported 2 projects: 2 created, 0 updated\n")

        // Errors in our words, with line and column.
        let bad = fresh.dir.appendingPathComponent("bad.json").path
        try Data("[\n  {\"title\": \"x\",,}\n]".utf8).write(to: URL(fileURLWithPath: bad))
        let syntax = try fresh.run(["project", "import", bad])
        #expect(syntax.stderr.hasPrefix("Error: Invalid project list \(bad): not JSON: line 2, column"), "\(syntax.stderr)")
        let missing = try fresh.run(["project", "import", fresh.dir.path + "/none.json"])
        #expect(missing.stderr == "Error: Cannot read \(fresh.dir.path)/none.json: no such file\n")
        let directory = try fresh.run(["project", "import", fresh.dir.path])
        #expect(directory.stderr == "Error: Cannot read \(fresh.dir.path): it is a directory, not a file\n")
    }

    @Test func projectDeleteRefusesItemsAndChildren() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let cat = try cli.run(["project", "add", "Cat", "--type", "CATEGORY"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let project = try cli.run(["project", "add", "P", "--parent", cat]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "samplesheets", "a", "-p", project, "--data", "{}"])
        try cli.run(["set", "samplesheets", "b", "-p", project, "--data", "{}"])
        let refused = try cli.run(["project", "delete", project])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("has 2 cached items; pass --with-items"))
        #expect(try cli.run(["project", "delete", cat]).stderr.contains("has 1 child project"))
        #expect(try cli.run(["project", "delete", project, "--with-items"]).status == 0)
        #expect(try cli.run(["ls"]).stdout.isEmpty)
        #expect(try cli.run(["project", "delete", cat]).status == 0)
        #expect(try cli.run(["project", "list"]).stdout.isEmpty)
    }

    @Test func vacuumReportsTheSpaceReclaimed() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let payload = "[" + Array(repeating: "\"0123456789abcdef0123456789abcdef\"", count: 3000).joined(separator: ",") + "]"
        for i in 0..<20 { try cli.run(["set", "samplesheets", "n\(i)"], stdin: payload) }
        try cli.run(["deletecache", "--no-trash"])
        let before = try FileManager.default.attributesOfItem(atPath: cli.db)[.size] as? NSNumber
        let result = try cli.run(["vacuum"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("before,") && result.stdout.contains("reclaimed"))
        let after = try FileManager.default.attributesOfItem(atPath: cli.db)[.size] as? NSNumber
        #expect((after?.intValue ?? .max) < (before?.intValue ?? 0) / 4)
    }
}
