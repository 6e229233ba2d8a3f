import Foundation
import Testing

/// The command line against a real store file in a temporary directory.
@Suite(.serialized) struct CommandLineTests {
    // MARK: - Items

    @Test func setGetUpdateTimeAndDelete() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "Cohort A"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(project.count == 36 && project == project.lowercased())

        let payload = #"{"zeta": 1.50, "alpha": [1, 2], "mid": {}}"#
        let set = try cli.run(["set", "samplesheets", "irods/rows/a1", "-p", project, "--user", "jdoe", "--data", payload])
        #expect(set.status == 0, "\(set.stderr)")

        let get = try cli.run(["get", "samplesheets", "irods/rows/a1", "-p", project])
        #expect(get.status == 0)
        #expect(get.stdout == "{\n  \"zeta\": 1.50,\n  \"alpha\": [\n    1,\n    2\n  ],\n  \"mid\": {}\n}\n")

        let compact = try cli.run(["get", "samplesheets", "irods/rows/a1", "-p", project, "--compact"])
        #expect(compact.stdout == payload + "\n")

        let record = try cli.run(["get", "samplesheets", "irods/rows/a1", "-p", project, "--record"])
        #expect(record.status == 0)
        let keys = record.stdout.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == ["project", "app_name", "name", "date_modified", "user", "sodar_uuid", "data"])
        #expect(record.stdout.contains("\"project\": \"\(project)\""))
        #expect(record.stdout.contains("\"user\": \"jdoe\""))

        let time = try cli.run(["update-time", "samplesheets", "irods/rows/a1", "-p", project])
        let seconds = try #require(Double(time.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(abs(seconds - Date().timeIntervalSince1970) < 120)

        // The site-wide item of the same name is another item.
        let site = try cli.run(["get", "samplesheets", "irods/rows/a1"])
        #expect(site.status != 0)
        #expect(site.stderr.contains("No cached item \"samplesheets:irods/rows/a1\""))

        #expect(try cli.run(["delete", "samplesheets", "irods/rows/a1", "-p", project]).status == 0)
        #expect(try cli.run(["delete", "samplesheets", "irods/rows/a1", "-p", project]).status == 0)
        #expect(try cli.run(["get", "samplesheets", "irods/rows/a1", "-p", project]).status != 0)
    }

    @Test func setReadsStdinAndKeepsBytes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let payload = "[1e2, \"\\u00e9\", {\"b\": 1, \"a\": 2}]"
        #expect(try cli.run(["set", "otherapp", "x"], stdin: payload).status == 0)
        #expect(try cli.run(["get", "otherapp", "x", "--compact"]).stdout == payload + "\n")
    }

    @Test func listsItemsAsTextAndJSON() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "P1"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "samplesheets", "b", "-p", project, "--data", "{}"])
        try cli.run(["set", "otherapp", "a", "-p", project, "--data", "[]"])
        try cli.run(["set", "samplesheets", "site-item", "--data", "{\"k\": 1}"])

        let all = try cli.run(["ls"])
        #expect(all.status == 0)
        #expect(all.stdout.split(separator: "\n").count == 3)

        let siteOnly = try cli.run(["ls", "--site", "--json"])
        #expect(siteOnly.stdout.contains("\"project\": null"))
        #expect(siteOnly.stdout.contains("\"size\": 8"))
        #expect(!siteOnly.stdout.contains(project))

        let byApp = try cli.run(["ls", "-p", project, "-a", "otherapp", "--json"])
        #expect(byApp.stdout.contains("\"name\": \"a\""))
        #expect(!byApp.stdout.contains("\"name\": \"b\""))
    }

    @Test func projectsListAndTree() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let category = try cli.run(["project", "add", "Cancer", "--type", "CATEGORY"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let fixed = "e9701604-4ccc-426c-a67c-864c15aff6e2"
        let added = try cli.run(["project", "add", "Liver", "--parent", category, "--uuid", fixed.uppercased(), "--description", "d"])
        #expect(added.stdout == fixed + "\n")
        let list = try cli.run(["project", "list"])
        #expect(list.stdout.contains("\(fixed)\tPROJECT\tCancer / Liver"))
        let json = try cli.run(["project", "list", "--json"])
        #expect(json.stdout.contains("\"parent\": \"\(category)\""))
        let notCategory = try cli.run(["project", "add", "Child", "--parent", fixed])
        #expect(notCategory.status != 0)
    }

    @Test func everyCommandHasHelp() throws {
        let commands: [[String]] = [
            [], ["browse"], ["demo"], ["synccache"], ["deletecache"], ["project"], ["project", "add"],
            ["project", "set"], ["project", "list"], ["project", "import"], ["set"], ["get"], ["update-time"],
            ["delete"], ["ls"], ["apps"],
        ]
        for command in commands {
            let result = try CLI.run(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE: sodarcache"), "\(command): \(result.stdout)")
        }
    }

    @Test func globalOptionsMayComeBeforeTheCommand() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let added = try CLI.run(["--db", cli.db, "--config", cli.config, "project", "add", "Early"])
        #expect(added.status == 0, "\(added.stderr)")
        let listed = try CLI.run(["--db=\(cli.db)", "--config", cli.config, "project", "list"])
        #expect(listed.stdout.contains("Early"))
    }

    @Test func appsListsRegisteredApps() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let apps = try cli.run(["apps"])
        #expect(apps.status == 0)
        #expect(apps.stdout.contains("filestats"))
        #expect(apps.stdout.contains("samplesheets\t"))
    }

    @Test func deleteCacheCountsAndDryRun() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "P"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for name in ["a", "b", "c"] { try cli.run(["set", "samplesheets", name, "-p", project, "--data", "{}"]) }
        try cli.run(["set", "otherapp", "z", "--data", "{}"])

        let dry = try cli.run(["deletecache", "-p", project, "--dry-run"])
        #expect(dry.stderr.contains("Would delete 3 cached data item(s)"))
        #expect(try cli.run(["ls"]).stdout.split(separator: "\n").count == 4)

        let young = try cli.run(["deletecache", "--older-than", "1h"])
        #expect(young.stderr.contains("No cached data found"))

        let byProject = try cli.run(["deletecache", "-p", project, "-a", "samplesheets"])
        #expect(byProject.stderr.contains("Deleted 3 cached data item(s) from project \"P\" (\(project))"))
        let all = try cli.run(["deletecache"])
        #expect(all.stderr.contains("Deleted 1 cached data item(s) from all projects"))
    }

    // MARK: - Errors: one line naming the bad value, non-zero exit, nothing written

    @Test func errorsNameTheBadValue() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "P"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        func expectError(_ args: [String], _ needle: String, stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try cli.run(args, stdin: stdin)
            #expect(result.status != 0, "\(args)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains(needle), "\(args): \(result.stderr)", sourceLocation: sourceLocation)
            let lines = result.stderr.split(separator: "\n").filter { !$0.isEmpty }
            #expect(lines.count == 1, "\(args): \(result.stderr)", sourceLocation: sourceLocation)
        }
        try expectError(["set", "nope", "x", "--data", "{}"], "Unknown app \"nope\"")
        try expectError(["set", "samplesheets", "x", "--data", "{}", "--data-type", "xml"], "Unsupported data type \"xml\"")
        try expectError(["set", "samplesheets", "x", "--data", "{\"a\": [1,]}"], "line 1, column")
        try expectError(["set", "samplesheets", "x", "-p", "not-a-uuid", "--data", "{}"], "Not a valid UUID: not-a-uuid")
        try expectError(["set", "samplesheets", "x", "-p", "e9701604-4ccc-426c-a67c-864c15aff6e2", "--data", "{}"],
                        "Project not found with UUID=e9701604-4ccc-426c-a67c-864c15aff6e2")
        try expectError(["get", "samplesheets", "missing", "-p", project], "No cached item \"samplesheets:missing\"")
        try expectError(["deletecache", "--older-than", "soon"], "Invalid duration \"soon\"")
        try expectError(["deletecache", "--older-than", "6M"], "Invalid duration \"6M\"")
        try expectError(["ls", "-a", "nope"], "Unknown app \"nope\"")
        try expectError(["deletecache", "-a", "nope", "--dry-run"], "Unknown app \"nope\"")
        // Nothing of the failed writes landed.
        #expect(try cli.run(["ls"]).stdout.isEmpty)
    }

    @Test func aFailedFirstCommandLeavesNoStoreBehind() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        for args in [["set", "nope", "x", "--data", "{}"], ["project", "add", "T", "--uuid", "bad"],
                     ["delete", "samplesheets", "x", "-p", "e9701604-4ccc-426c-a67c-864c15aff6e2"],
                     ["set", "samplesheets", "x", "--data", "[1,"]] {
            let result = try cli.run(args)
            #expect(result.status != 0, "\(args)")
            #expect(!FileManager.default.fileExists(atPath: cli.db), "\(args) left a store behind")
        }
        #expect(try cli.run(["project", "add", "T"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func storeErrors() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let notDB = cli.dir.appendingPathComponent("notes.txt").path
        try Data("hello, this is not sqlite\n".utf8).write(to: URL(fileURLWithPath: notDB))
        let bad = try CLI.run(["ls", "--db", notDB, "--config", cli.config])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains(notDB))
        #expect(try String(contentsOfFile: notDB, encoding: .utf8) == "hello, this is not sqlite\n")

        let missing = try CLI.run(["ls", "--db", cli.dir.appendingPathComponent("none.sqlite3").path, "--config", cli.config])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("No store at"))

        let underFile = try CLI.run(["set", "samplesheets", "x", "--data", "{}", "--db", notDB + "/c.sqlite3", "--config", cli.config])
        #expect(underFile.status != 0)
        #expect(underFile.stderr.contains("Cannot write store"))

        if geteuid() != 0 {
            let locked = cli.dir.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o500])
            let unwritable = try CLI.run(["set", "samplesheets", "x", "--data", "{}", "--db", locked.appendingPathComponent("c.sqlite3").path, "--config", cli.config])
            #expect(unwritable.status != 0)
            #expect(unwritable.stderr.contains("Cannot write store"))
        }
    }
}
