import Foundation
import Testing

/// `history`, `get --rev` and `diff --rev` on a SODAR site: the versions sodarcache replaced
/// there, kept in the host's local store, with a note that SODAR's other writers are not seen.
@Suite(.enabled(if: TestDatabase.available)) struct SiteHistoryCommandTests {
    static let note = "Note: a SODAR site's history holds the versions sodarcache replaced itself"

    @Test func historyGetRevAndDiffRevWorkOnASODARSiteAndSayWhatTheyCannotSee() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let liver = TestDatabase.liver
        func run(_ arguments: [String], _ payload: String? = nil) throws -> CLI.Result {
            try CLI.run(arguments + ["--db", db.uri, "--config", cli.config], stdin: payload.map { Data($0.utf8) })
        }
        for payload in [#"{"a": 1}"#, #"{"a": 1}"#, #"{"a": 2}"#] {
            #expect(try run(["set", "samplesheets", "study", "-p", liver], payload).status == 0)
        }
        let history = try run(["history", "samplesheets", "study", "-p", liver])
        #expect(history.status == 0, "\(history.stderr)")
        let lines = history.stdout.split(separator: "\n")
        // The identical rewrite kept nothing: the current item and one revision.
        #expect(lines.count == 3, "\(history.stdout)")
        #expect(lines[1].hasPrefix("current\t"))
        let rev = try #require(lines[2].split(separator: "\t").first.map(String.init))
        #expect(history.stderr.components(separatedBy: Self.note).count == 2, "\(history.stderr)")

        let old = try run(["get", "samplesheets", "study", "-p", liver, "--rev", rev, "--compact"])
        #expect(old.stdout == #"{"a": 1}"# + "\n", "\(old.stdout) \(old.stderr)")
        #expect(old.stderr.contains(Self.note))
        let diff = try run(["diff", "samplesheets", "study", "-p", liver, "--rev", rev])
        #expect(diff.status == 1, "\(diff.stdout) \(diff.stderr)")
        #expect(diff.stdout.contains("~ .a: 1 -> 2\n"), "\(diff.stdout)")
        #expect(diff.stderr.components(separatedBy: Self.note).count == 2)

        // A delete keeps the item's last version: the history outlives the item.
        #expect(try run(["delete", "samplesheets", "study", "-p", liver]).status == 0)
        let after = try run(["history", "samplesheets", "study", "-p", liver])
        #expect(after.status == 0)
        #expect(after.stdout.split(separator: "\n").count == 3, "\(after.stdout)")
        #expect(!after.stdout.contains("current"))
    }

    /// SODAR's own sync as a command app on the site: a fake `manage.py synccache` that writes
    /// SODAR's table directly, as Django does, not through sodarcache. The run's summary tells
    /// what it changed against the items just before it, and the version it replaced is kept
    /// in the local store, read back by `history` and `get --rev`.
    @Test func aCacheWritingCommandOnASODARSiteIsReportedAndItsReplacedVersionKept() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let liver = TestDatabase.liver
        let script = cli.dir.appendingPathComponent("manage.py")
        try Data("""
            #!/bin/sh
            echo 'Synchronizing cache for all projects' >&2
            /usr/bin/psql '\(db.uri)' -X -q -v ON_ERROR_STOP=1 -c "UPDATE sodarcache_jsoncacheitem SET data = '{\\"a\\": 2, \\"b\\": [1]}' WHERE name = 'study'" -c "INSERT INTO sodarcache_jsoncacheitem (date_modified, app_name, name, sodar_uuid, data, project_id) VALUES (now(), 'samplesheets', 'irods', gen_random_uuid(), '{}', 2)" || exit 1
            echo 'Cache synchronization OK' >&2
            exit 0

            """.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try Data("""
            [apps.samplesheets]
            [apps.sodar]
            command = ["\(script.path)", "synccache", "-p", "{project_uuid}"]
            writes_cache = true

            """.utf8).write(to: URL(fileURLWithPath: cli.config))
        func run(_ arguments: [String], _ payload: String? = nil) throws -> CLI.Result {
            try CLI.run(arguments + ["--db", db.uri, "--config", cli.config], stdin: payload.map { Data($0.utf8) })
        }
        #expect(try run(["set", "samplesheets", "study", "-p", liver], #"{"a": 1, "b": [1]}"#).status == 0)
        // The set itself replaced nothing: no revision yet.
        #expect(try run(["history", "samplesheets", "study", "-p", liver]).stdout.split(separator: "\n").count == 2)

        let sync = try run(["synccache", "-p", liver])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stderr.contains(#"Changes made by plugin "sodar" (against the items just before its run): 1 new, 1 changed, 0 removed: "#
            + "+samplesheets:irods ~samplesheets:study"), "\(sync.stderr)")

        let history = try run(["history", "samplesheets", "study", "-p", liver])
        #expect(history.status == 0, "\(history.stderr)")
        let lines = history.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(history.stdout)")
        let rev = try #require(lines.last?.split(separator: "\t").first.map(String.init))
        let old = try run(["get", "samplesheets", "study", "-p", liver, "--rev", rev, "--compact"])
        #expect(old.stdout == #"{"a": 1, "b": [1]}"# + "\n", "\(old.stdout) \(old.stderr)")
        #expect(try run(["get", "samplesheets", "study", "-p", liver, "--compact"]).stdout == #"{"a": 2, "b": [1]}"# + "\n")
    }
}
