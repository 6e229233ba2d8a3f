import Foundation
import Testing

/// Issue 21, point 4: named stores in the config, picked with --profile or $SODARCACHE_PROFILE,
/// each with its own safety.
@Suite(.serialized) struct ProfileTests {
    /// A config with two profiles over SQLite files in the test's folder: `prod` (read-only,
    /// red), `test` (asks before deleting, with an app of its own); `samplesheets` at the top level.
    static func cli(extra: String = "") throws -> CLI {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-e2e-\(UUID().uuidString)").path
        return try CLI(apps: ["samplesheets"], extraConfig: """
            [profiles.prod]
            db = "\(dir)-prod.sqlite3"
            title = "Production"
            read_only = true
            color = "red"

            [profiles.test]
            db = "\(dir)-test.sqlite3"
            title = "Test site"
            confirm = true

            [profiles.test.apps.extra]
            title = "Only on the test site"

            \(extra)
            """)
    }

    /// The profile's store file, from the config.
    static func store(_ cli: CLI, _ profile: String) throws -> String {
        let text = try String(contentsOfFile: cli.config, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "[profiles.\(profile)]"))
        let db = try #require(lines[start...].first { $0.hasPrefix("db = ") })
        return String(db.dropFirst(6).dropLast())
    }

    /// Runs with the config but no --db.
    func run(_ cli: CLI, _ args: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(args + ["--config", cli.config], stdin: stdin.map { Data($0.utf8) }, env: env)
    }

    func removeStores(_ cli: CLI) {
        for profile in ["prod", "test"] {
            if let path = try? Self.store(cli, profile) {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
    }

    @Test func aProfilePicksItsStoreAndItsOwnApps() throws {
        let cli = try Self.cli()
        defer { cli.cleanUp(); removeStores(cli) }
        let testDB = try Self.store(cli, "test")
        // The profile's own app is registered for it only.
        #expect(try run(cli, ["--profile", "test", "set", "extra", "a", "--data", "{}"]).status == 0)
        #expect(try run(cli, ["set", "--profile", "test", "samplesheets", "b", "--data", "{}"]).status == 0)
        let listed = try CLI.run(["ls", "--db", testDB, "--config", cli.config])
        #expect(listed.stdout.contains("extra\ta") && listed.stdout.contains("samplesheets\tb"), "\(listed.stdout)")
        let elsewhere = try cli.run(["set", "extra", "a", "--data", "{}"])
        #expect(elsewhere.status != 0 && elsewhere.stderr.contains("extra"), "\(elsewhere.stderr)")
        // $SODARCACHE_PROFILE picks it too; --db beats it, as --db beats $SODARCACHE_DB.
        let viaEnv = try run(cli, ["ls"], env: ["SODARCACHE_PROFILE": "test"])
        #expect(viaEnv.stdout.contains("extra\ta"))
        #expect(try cli.run(["set", "samplesheets", "mine", "--data", "{}"]).status == 0)
        let dbWins = try cli.run(["ls"], env: ["SODARCACHE_PROFILE": "test"])
        #expect(dbWins.status == 0 && dbWins.stdout.contains("mine") && !dbWins.stdout.contains("extra"), "\(dbWins.stdout)")
        // --db with --profile names two stores: a usage mistake.
        let both = try cli.run(["ls", "--profile", "test"])
        #expect(both.status == 64)
        #expect(both.stderr == "Error: --db and --profile test both name a store: give one of them\n")
        let unknown = try run(cli, ["ls", "--profile", "staging"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr == "Error: --profile staging: no profile \"staging\" in \(cli.config) (profiles: prod, test)\n")
        let unknownEnv = try run(cli, ["ls"], env: ["SODARCACHE_PROFILE": "staging"])
        #expect(unknownEnv.status == 64 && unknownEnv.stderr.contains("SODARCACHE_PROFILE=staging: no profile"))
        let noConfig = try CLI.run(["ls", "--profile", "test", "--config", cli.dir.path + "/none.toml"])
        #expect(noConfig.status == 1 && noConfig.stderr.contains("none.toml: no such file"), "\(noConfig.stderr)")
    }

    @Test func aReadOnlyProfileRefusesEveryWriteAndDeleteWhateverTheStoreAllows() throws {
        let cli = try Self.cli()
        defer { cli.cleanUp(); removeStores(cli) }
        let prodDB = try Self.store(cli, "prod")
        // Written without the profile: the file itself is writable.
        #expect(try CLI.run(["set", "samplesheets", "x", "--data", "{}", "--db", prodDB, "--config", cli.config]).status == 0)
        let writes: [[String]] = [
            ["set", "samplesheets", "y", "--data", "{}"], ["delete", "samplesheets", "x"], ["deletecache"], ["synccache"],
            ["project", "add", "P"], ["trash", "purge"], ["vacuum"], ["migrate"],
        ]
        for args in writes {
            let refused = try run(cli, ["--profile", "prod"] + args)
            #expect(refused.status == 1, "\(args)")
            #expect(refused.stderr.contains("profile prod is read-only (read_only = true in \(cli.config))"), "\(args): \(refused.stderr)")
        }
        let read = try run(cli, ["--profile", "prod", "ls"])
        #expect(read.status == 0 && read.stdout.contains("samplesheets\tx"))
        #expect(try run(cli, ["--profile", "prod", "get", "samplesheets", "x"]).stdout == "{}\n")
    }

    @Test func aConfirmProfileNeedsYesForEveryDeleteWhereNothingCanAnswer() throws {
        let cli = try Self.cli()
        defer { cli.cleanUp(); removeStores(cli) }
        let test = ["--profile", "test"]
        for name in ["a", "b", "c"] { #expect(try run(cli, test + ["set", "samplesheets", name, "--data", "{}"]).status == 0) }
        let project = try run(cli, test + ["project", "add", "Liver"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try run(cli, test + ["set", "samplesheets", "p", "-p", project, "--data", "{}"]).status == 0)
        func count() throws -> Int { try run(cli, test + ["ls"]).stdout.split(separator: "\n").count }
        #expect(try count() == 4)
        let deletes: [[String]] = [
            ["delete", "samplesheets", "a"], ["deletecache", "--site"], ["project", "delete", project, "--with-items"],
        ]
        for args in deletes {
            let refused = try run(cli, test + args, stdin: "y\n")
            #expect(refused.status == 64, "\(args)")
            #expect(refused.stderr.contains("asks before it deletes from Test site (confirm = true in profile test): run it in a terminal, or give --yes; nothing was deleted"), "\(args): \(refused.stderr)")
        }
        #expect(try count() == 4)
        // Writes, reads and a dry run do not ask.
        #expect(try run(cli, test + ["deletecache", "--dry-run"]).status == 0)
        #expect(try run(cli, test + ["set", "samplesheets", "a", "--data", "[1]"]).status == 0)
        // Nothing to delete: nothing to ask (silent, as in SODAR).
        #expect(try run(cli, test + ["delete", "samplesheets", "none"]).status == 0)
        // --yes answers.
        #expect(try run(cli, test + ["--yes", "delete", "samplesheets", "a"]).status == 0)
        #expect(try count() == 3)
        #expect(try run(cli, test + ["deletecache", "--site", "--yes"]).status == 0)
        #expect(try count() == 1)
        #expect(try run(cli, test + ["project", "delete", project, "--with-items", "--yes"]).status == 0)
        #expect(try count() == 0)
        let purge = try run(cli, test + ["trash", "purge"])
        #expect(purge.status == 64 && purge.stderr.contains("nothing was purged"), "\(purge.stderr)")
        #expect(try run(cli, test + ["trash", "purge", "--yes"]).status == 0)
        #expect(try run(cli, test + ["trash", "list"]).stderr.contains("The trash is empty"))
    }

    @Test(.enabled(if: Tmux.available, "needs tmux")) func onATerminalTheQuestionNamesTheStoreAndOnlyYesDeletes() throws {
        let cli = try Self.cli()
        defer { cli.cleanUp(); removeStores(cli) }
        for name in ["a", "b"] { #expect(try run(cli, ["--profile", "test", "set", "samplesheets", name, "--data", "{}"]).status == 0) }
        let command = "--profile test deletecache --config '\(cli.config)'"
        let no = try Tmux(binary: command, environment: "")
        try no.waitFor(text: "Delete 2 items from Test site? [y/N]")
        try no.send("n", "Enter")
        let kept = try no.waitFor(text: "EXITED:")
        #expect(kept.contains("Nothing was deleted") && kept.contains("EXITED:1"), "\(kept)")
        #expect(try run(cli, ["--profile", "test", "ls"]).stdout.split(separator: "\n").count == 2)
        let yes = try Tmux(binary: command, environment: "")
        try yes.waitFor(text: "Delete 2 items from Test site? [y/N]")
        try yes.send("y", "Enter")
        try yes.waitFor(text: "EXITED:0")
        #expect(try run(cli, ["--profile", "test", "ls"]).stdout.isEmpty)
    }

    /// `doctor` reports on the store the profile names, in its text, its JSON and its
    /// UNKNOWN line: never the default store the settings named before the profile applied.
    @Test func doctorNamesTheProfilesStore() throws {
        let cli = try Self.cli()
        defer { cli.cleanUp(); removeStores(cli) }
        let testDB = try Self.store(cli, "test")
        let prodDB = try Self.store(cli, "prod")
        let defaultDB = CLI.dataHome + "/sodarcache/cache.sqlite3"
        #expect(try run(cli, ["--profile", "test", "set", "samplesheets", "a", "--data", "{}"]).status == 0)
        let env = ["SODARCACHE_PROFILE": "test"]
        let text = try run(cli, ["doctor"], env: env)
        // Checked (0: nothing found, 1: warnings), not unknown.
        #expect(text.status == 0 || text.status == 1, "\(text.stderr)")
        #expect(text.stdout.contains("Store \(testDB): "), "\(text.stdout)")
        #expect(!text.stdout.contains(defaultDB), "\(text.stdout)")
        let json = try run(cli, ["doctor", "--json"], env: env)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(object["store"] as? String == testDB)
        // A profile's store that is not there: unknown, naming that store.
        let missing = try run(cli, ["doctor", "--json", "--profile", "prod"])
        #expect(missing.status == 3)
        let unknown = try #require(try JSONSerialization.jsonObject(with: missing.stdoutData) as? [String: Any])
        #expect(unknown["store"] as? String == prodDB, "\(missing.stdout)")
        #expect((unknown["error"] as? String)?.contains(prodDB) == true, "\(missing.stdout)")
        let line = try run(cli, ["doctor"], env: ["SODARCACHE_PROFILE": "prod"])
        #expect(line.stdout.hasPrefix("DOCTOR UNKNOWN - could not check: No store at \(prodDB)"), "\(line.stdout)")
        #expect(!line.stdout.contains(defaultDB))
    }

    @Test func profilesListsEachStoreWithoutItsPasswordAndWhetherItCanBeReached() throws {
        let cli = try Self.cli(extra: """
            [profiles.site]
            db = "postgresql://sodar:Hunter2Secret@/sodar?host=/nonexistent-sodarcache-socket-dir&target_session_attrs=read-write"
            title = "SODAR"
            """)
        defer { cli.cleanUp(); removeStores(cli) }
        chmod(cli.config, 0o600)
        #expect(try CLI.run(["set", "samplesheets", "x", "--data", "{}", "--db", try Self.store(cli, "prod"), "--config", cli.config]).status == 0)
        let listed = try run(cli, ["profiles"], env: ["SODARCACHE_PROFILE": "prod"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(!listed.stdout.contains("Hunter2Secret"))
        let lines = listed.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(listed.stdout)")
        #expect(lines[0] == " \tNAME\tTITLE\tSTORE\tFLAGS\tSTATUS")
        #expect(lines[1] == "*\tprod\tProduction\t\(try Self.store(cli, "prod"))\tread-only\tok")
        #expect(lines[2].hasPrefix(" \tsite\tSODAR\tpostgresql://sodar@/sodar?host=/nonexistent-sodarcache-socket-dir&target_session_attrs=read-write\t-\tunreachable: Cannot reach store "))
        #expect(lines[3] == " \ttest\tTest site\t\(try Self.store(cli, "test"))\tconfirm\tunreachable: No store at \(try Self.store(cli, "test")) (a new one is created by the first write)")
        let json = try run(cli, ["profiles", "--json"])
        let objects = try json.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["name"] as? String } == ["prod", "site", "test"])
        #expect(objects.map { $0["reachable"] as? Bool } == [true, false, false])
        #expect(!json.stdout.contains("Hunter2Secret"))
    }

    @Test func aConfigThatHoldsAPasswordIsRefusedUnlessOnlyItsOwnerMayReadIt() throws {
        let cli = try Self.cli(extra: """
            [profiles.site]
            db = "postgresql://sodar:Hunter2Secret@db.example.org/sodar"
            """)
        defer { cli.cleanUp(); removeStores(cli) }
        chmod(cli.config, 0o644)
        for args in [["ls"], ["profiles"], ["--profile", "test", "ls"]] {
            let refused = try run(cli, args)
            #expect(refused.status == 1, "\(args)")
            #expect(refused.stderr.hasPrefix("Error: \(cli.config):"), "\(refused.stderr)")
            #expect(refused.stderr.contains("profiles.site.db: holds a password, and the file's mode 0644 lets others read it; chmod 600 \(cli.config)"))
            #expect(!refused.stderr.contains("Hunter2Secret"))
        }
        chmod(cli.config, 0o600)
        #expect(try run(cli, ["--profile", "test", "apps"]).status == 0)
    }

    @Test(.enabled(if: Tmux.available, "needs tmux")) func theBrowsersHeaderShowsTheProfilesTitleInItsColour() throws {
        let cli = try Self.cli()
        defer { cli.cleanUp(); removeStores(cli) }
        #expect(try CLI.run(["set", "samplesheets", "x", "--data", "{}", "--db", try Self.store(cli, "prod"), "--config", cli.config]).status == 0)
        // The test runner may set NO_COLOR itself.
        let browse = "--profile prod --config '\(cli.config)'"
        let tmux = try Tmux(binary: browse, environment: "env -u NO_COLOR LANG=C.UTF-8", cols: 120)
        let screen = try tmux.waitFor(text: "site-wide")
        #expect(screen.hasPrefix(" sodarcache · Production [read only] "), "\(screen)")
        // White on red: the whole bar.
        let coloured = try tmux.capture(escapes: true)
        #expect(coloured.components(separatedBy: "\n")[0].contains("\u{1B}[37m\u{1B}[41m"), "\(coloured.prefix(200))")
        try tmux.send("Down", "Enter", "Enter", "d")
        try tmux.waitFor(text: "(profile prod is read-only)")
        try tmux.quit()
        // NO_COLOR: no colour at all, the title still says which store.
        let plain = try Tmux(binary: browse, environment: "NO_COLOR=1 LANG=C.UTF-8", cols: 120)
        try plain.waitFor(text: "site-wide")
        let escapes = try plain.capture(escapes: true).components(separatedBy: "\n")[0]
        #expect(escapes.contains("Production") && !escapes.contains("[41m"), "\(escapes)")
    }
}
