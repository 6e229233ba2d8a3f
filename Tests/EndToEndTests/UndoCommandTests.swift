import Foundation
import Testing

/// The trash, the history and the audit trail from the command line, as an admin uses them.
@Suite struct UndoCommandTests {
    @Test func aDeleteSaysHowToUndoItAndTrashRestoreBringsTheItemBackAsItWas() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        try cli.run(["set", "samplesheets", "a", "--data", #"{"x": 1}"#, "--user", "jdoe"])
        let before = try cli.run(["get", "samplesheets", "a", "--record"]).stdout
        let deleted = try cli.run(["delete", "samplesheets", "a"])
        #expect(deleted.status == 0)
        #expect(deleted.stderr.contains("Kept in the trash until "))
        #expect(deleted.stderr.contains("`sodarcache trash restore 1` puts it back"))
        let listed = try cli.run(["trash"])
        #expect(listed.stdout.hasPrefix("ID\tDELETED\tBY\tCOMMAND\tITEMS\tBYTES\tWHAT\n1\t"))
        #expect(listed.stdout.contains("\tdelete\t1\t8\tsamplesheets\n"))
        let json = try cli.run(["trash", "--json"]).stdout
        #expect(json.contains(#""command": "delete""#) && json.contains(#""items": 1"#))
        #expect(try cli.run(["trash", "show", "1"]).stdout.contains("(site-wide)\tsamplesheets\ta\t"))

        let restored = try cli.run(["trash", "restore", "--last"])
        #expect(restored.status == 0)
        #expect(restored.stderr == "Restored 1 item\n")
        // UUID, user and update time as they were.
        #expect(try cli.run(["get", "samplesheets", "a", "--record"]).stdout == before)
        #expect(try cli.run(["trash"]).stderr == "The trash is empty\n")
    }

    @Test func aRestoreKeepsAnItemWrittenSinceAndBadIDsAreOneLine() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        try cli.run(["set", "samplesheets", "a", "--data", "[1]"])
        try cli.run(["deletecache", "-a", "samplesheets"])
        try cli.run(["set", "samplesheets", "a", "--data", "[2]"])
        let restored = try cli.run(["trash", "restore", "1"])
        #expect(restored.status == 1)
        #expect(restored.stderr.contains("Skipped samplesheets:a (site-wide): an item of that name was written since"))
        #expect(try cli.run(["get", "samplesheets", "a", "--compact"]).stdout == "[2]\n")
        let unknown = try cli.run(["trash", "restore", "42"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "Error: No delete 42 in the trash (sodarcache trash lists them)\n")
        #expect(try cli.run(["trash", "restore"]).status == 64)
        #expect(try cli.run(["trash", "purge", "--older-than", "7x"]).status == 64)
        let purged = try cli.run(["trash", "purge"])
        #expect(purged.stderr == "Purged 1 delete (1 item)\n")
    }

    @Test func noTrashDeletesForGood() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        try cli.run(["set", "samplesheets", "a", "--data", "[1]"])
        let deleted = try cli.run(["--no-trash", "delete", "samplesheets", "a"])
        #expect(deleted.status == 0)
        #expect(!deleted.stderr.contains("trash"))
        #expect(try cli.run(["trash"]).stderr == "The trash is empty\n")
    }

    @Test func historyListsVersionsAndGetRevPrintsOne() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        for value in ["[1]", "[1]", "[2]", "[3]"] { try cli.run(["set", "samplesheets", "a", "--data", value, "--user", "jdoe"]) }
        let history = try cli.run(["history", "samplesheets", "a"]).stdout.split(separator: "\n")
        #expect(history.count == 4)
        #expect(history.first == "REV\tWRITTEN\tUSER\tBYTES")
        #expect(history[1].hasPrefix("current\t") && history[2].hasPrefix("2\t") && history[3].hasPrefix("1\t"))
        #expect(try cli.run(["get", "samplesheets", "a", "--rev", "1", "--compact"]).stdout == "[1]\n")
        #expect(try cli.run(["get", "samplesheets", "a", "--rev", "2", "--compact"]).stdout == "[2]\n")
        let missing = try cli.run(["get", "samplesheets", "a", "--rev", "9"])
        #expect(missing.status == 1 && missing.stderr.contains("No revision 9 of samplesheets:a"))
        #expect(try cli.run(["history", "samplesheets", "a", "--json"]).stdout.contains(#"{"rev": 1, "#))
    }

    @Test func theLogRecordsWhoChangedWhatAndFailures() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        try cli.run(["set", "samplesheets", "a", "--data", "[1]"])
        try cli.run(["delete", "samplesheets", "a"])
        // A write that fails after the store was opened (an unknown project) is recorded too.
        #expect(try cli.run(["set", "samplesheets", "b", "--data", "[1]", "-p", "9b1c2f0e-0000-4000-8000-000000000000"]).status != 0)
        let log = try cli.run(["log"]).stdout.split(separator: "\n")
        #expect(log.first == "TIME\tBY\tCOMMAND\tACTION\tWHAT\tOUTCOME")
        #expect(log.contains { $0.contains("\tset\twrite\tset\tfailed: ") })
        #expect(log.contains { $0.contains("\tdelete\tdelete\tdeleted 1 item (samplesheets:a site-wide) (trash 1)\tok") })
        #expect(log.contains { $0.contains("\tset\twrite\tsamplesheets:a site-wide\tok") })
        #expect(try cli.run(["log", "--since", "1h", "-n", "1"]).stdout.split(separator: "\n").count == 2)
        #expect(try cli.run(["log", "--json"]).stdout.contains(#""action": "delete""#))
    }

    /// A write command checks its arguments before it changes anything: the config's history
    /// policy (which trims versions and adds an audit entry) is applied only by one that goes on
    /// to write.
    @Test func aRefusedWriteLeavesTheHistoryPolicyAndTheAuditTrailAsTheyWere() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        for value in ["[1]", "[2]", "[3]"] { try cli.run(["set", "samplesheets", "a", "--data", value]) }
        let history = try cli.run(["history", "samplesheets", "a"]).stdout
        #expect(history.split(separator: "\n").count == 4, "\(history)")
        try Data("\n[history]\nversions = 0\n".utf8).append(toFile: cli.config)
        let before = try cli.run(["log", "--json"]).stdout.split(separator: "\n")

        let unknown = "9b1c2f0e-0000-4000-8000-000000000000"
        for args in [["set", "samplesheets", "b", "--data", "[1]", "-p", unknown], ["set", "samplesheets", "b", "--data", "{"],
                     ["set", "nosuchapp", "b", "--data", "[1]"], ["trash", "restore", "999"], ["synccache", "-p", unknown],
                     ["synccache", "-a", "nosuchapp"]] {
            let refused = try cli.run(args)
            #expect(refused.status != 0, "\(args)")
            #expect(refused.stderr.hasPrefix("Error: ") && refused.stderr.split(separator: "\n").count == 1, "\(args): \(refused.stderr)")
        }
        #expect(try cli.run(["history", "samplesheets", "a"]).stdout == history)
        let after = try cli.run(["log", "--json"]).stdout.split(separator: "\n")
        // Only the refusals were recorded, each a failure; no policy change.
        let added = after.dropLast(before.count)
        #expect(Array(after.suffix(before.count)) == before)
        #expect(added.count == 6 && added.allSatisfy { $0.contains(#""outcome": "failed: "#) }, "\(added)")

        // A write that goes ahead applies the policy first: the earlier versions go.
        #expect(try cli.run(["set", "samplesheets", "b", "--data", "[1]"]).status == 0)
        #expect(try cli.run(["history", "samplesheets", "a"]).stdout.split(separator: "\n").count == 2)
        #expect(try cli.run(["log", "--json"]).stdout.contains(#""action": "history""#))
    }

    /// Runs `args` on a terminal (script(1) gives it one), with the CLI's store and config.
    static func onATerminal(_ cli: CLI, _ args: [String]) throws -> CLI.Result {
        let command = ([CLI.binary] + args + ["--db", cli.db, "--config", cli.config]).joined(separator: " ")
        return try CLI.run(["-c", "script -qec '\(command)' /dev/null"], shell: true)
    }

    /// `--json` listings carry the store's text (names, users, titles): on a terminal, C1
    /// controls and bidi overrides in it are written as escapes (the same JSON), as `get`
    /// writes payloads; piped, the JSON is as it was.
    @Test func jsonListingsEscapeC1AndBidiCharactersOnATerminal() throws {
        let odd = "odd\u{9B}31m\u{202E}app"
        let cli = try CLI(apps: ["samplesheets", odd], extraConfig: """
            [profiles.odd]
            db = "/nonexistent/odd.sqlite3"
            title = "Title \\u009b2J \\u202e"

            """)
        defer { cli.cleanUp() }
        let user = "u\u{9B}x\u{202E}y"
        try cli.run(["set", "samplesheets", "a", "--data", "[1]", "--user", user])
        try cli.run(["set", "samplesheets", "a", "--data", "[2]", "--user", user])
        try cli.run(["set", odd, "n\u{9B}\u{202E}", "--data", "[1]"])
        #expect(try cli.run(["delete", odd, "n\u{9B}\u{202E}"]).status == 0)
        func raw(_ text: String) -> Bool { text.unicodeScalars.contains("\u{9B}") || text.unicodeScalars.contains("\u{202E}") }
        for args in [["log", "--json"], ["trash", "--json"], ["history", "samplesheets", "a", "--json"], ["profiles", "--json"]] {
            let piped = try cli.run(args)
            #expect(raw(piped.stdout), "\(args): \(piped.stdout.debugDescription)")
            let tty = try Self.onATerminal(cli, args)
            #expect(!tty.stdout.isEmpty && !raw(tty.stdout), "\(args): \(tty.stdout.debugDescription)")
            #expect(tty.stdout.contains(#"\u009b"#) && tty.stdout.contains(#"\u202e"#), "\(args): \(tty.stdout.debugDescription)")
        }
    }

    @Test func diffComparesTheItemWithARevisionOrATrashedCopyAsTheOldSide() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        try cli.run(["set", "samplesheets", "a", "--data", #"{"rows": [1, 2, 3], "t": "x"}"#])
        try cli.run(["set", "samplesheets", "a", "--data", #"{"rows": [1, 9, 2, 3], "t": "y"}"#])
        let rev = try cli.run(["diff", "samplesheets", "a", "--rev", "1"])
        #expect(rev.status == 1)
        #expect(rev.stdout.hasPrefix("--- samplesheets a (site-wide) at revision 1\n+++ samplesheets a (site-wide)\n"))
        #expect(rev.stdout.contains("+ .rows[1]: 9\n"))
        #expect(rev.stdout.contains(#"~ .t: "x" -> "y""#))
        try cli.run(["delete", "samplesheets", "a"])
        try cli.run(["set", "samplesheets", "a", "--data", #"{"rows": [1, 9, 2, 3], "t": "y"}"#])
        let trashed = try cli.run(["diff", "samplesheets", "a", "--trash", "1"])
        #expect(trashed.status == 0, "\(trashed.stdout)")
        let missing = try cli.run(["diff", "samplesheets", "a", "--trash", "7"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "Error: No delete 7 in the trash (sodarcache trash lists them)\n")
        #expect(try cli.run(["diff", "samplesheets", "a", "--rev", "1", "--trash", "1"]).status == 64)
    }

    @Test func metricsReadTheAppsLastSyncsFromTheAuditTrail() throws {
        let cli = try CLI(apps: ["samplesheets"], extraConfig: """
            [apps.bad]
            command = ["/bin/false"]

            """)
        defer { cli.cleanUp() }
        #expect(try cli.run(["project", "add", "P"]).status == 0)
        for _ in 0..<2 { try cli.run(["synccache"]) }
        let metrics = try cli.run(["metrics", "--no-doctor"]).stdout
        #expect(metrics.contains("sodarcache_sync_failures_since_success{app=\"bad\"} 2\n"))
        #expect(metrics.contains("sodarcache_sync_last_success_timestamp_seconds{app=\"filestats\"} "))
        #expect(!metrics.contains("sodarcache_sync_last_success_timestamp_seconds{app=\"bad\"}"))
    }
}
