import Foundation
import Testing

/// The real browser in tmux on a SODAR site's PostgreSQL database, with SODAR writing to it.
@Suite(.serialized, .enabled(if: Tmux.available && TestDatabase.available)) struct PostgresBrowserTests {
    static func browse(_ cli: CLI, _ db: TestDatabase, extra: String = "") throws -> Tmux {
        try Tmux(binary: "browse --db '\(db.uri)' --config '\(cli.config)' \(extra)")
    }

    /// An item as SODAR's own API writes it (a web worker or a Celery task).
    static func sodarWrites(_ db: TestDatabase, name: String, data: String) throws {
        try db.sql("""
            INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
            VALUES ('samplesheets', '\(name)', now(), gen_random_uuid(), '\(data)'::jsonb, 2, 1)
            """)
    }

    @Test func browsesSODARsCacheSeesSODARWriteAndDeletes() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1", data: #"{"paths": {"/sodarZone/a": {"file_count": 12}}}"#)
        // A password in the URI (the test server trusts local users, so any one works): the
        // header shows the URI without it.
        let withPassword = db.uri.replacingOccurrences(of: "postgresql:///", with: "postgresql://postgres:Hunter2Secret@/")
        let tmux = try Tmux(binary: "browse --db '\(withPassword)' --config '\(cli.config)'", cols: 160)
        let first = try tmux.descend(from: "Liver", through: "samplesheets", "irods/rows/a1")
        #expect(first.contains("postgresql://postgres@/sc_e2e_"))
        #expect(!first.contains("Hunter2Secret"))
        #expect(first.contains("1 project · 1 category"))
        // Another writer (SODAR) adds an item: it shows within 2 s, with no key pressed.
        let started = Date()
        try Self.sodarWrites(db, name: "irods/rows/b2", data: #"{"paths": {}}"#)
        try tmux.waitFor(text: "irods/rows/b2", timeout: 5)
        #expect(Date().timeIntervalSince(started) < 2.5)
        // Open it: the payload, pretty-printed.
        try tmux.send("Enter")
        try tmux.waitFor(text: "\"file_count\": 12")
        try tmux.send("Escape")
        try tmux.waitFor(text: "irods/rows/b2")
        // Delete the selected item (a1, the first): gone from SODAR's table.
        try tmux.send("d")
        try tmux.waitFor(text: "Delete 1 item?")
        try tmux.send("y")
        try tmux.waitFor(text: "Deleted 1 item")
        #expect(try db.sql("SELECT string_agg(name, ',') FROM sodarcache_jsoncacheitem") == "irods/rows/b2")
        try tmux.quit()
    }

    /// On a SODAR site the trash is in this host's local store: `u` puts the row back as it was.
    @Test func uPutsBackARowDeletedFromSODARsTable() throws {
        let local = NSTemporaryDirectory() + "sodarcache-site-trash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: local) }
        let cli = try CLI(apps: ["samplesheets"], extraConfig: "[trash]\nlocal_store = \"\(local)\"\n")
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1", data: #"{"paths": {"/sodarZone/a": {"file_count": 12}}}"#)
        let row = "SELECT sodar_uuid::text || ' ' || data::text || ' ' || date_modified::text || ' ' || user_id FROM sodarcache_jsoncacheitem"
        let before = try db.sql(row)
        let tmux = try Self.browse(cli, db)
        try tmux.descend(from: "Liver", through: "samplesheets", "irods/rows/a1")
        try tmux.send("d")
        try tmux.waitFor(text: "Undo with u until")
        try tmux.send("y")
        try tmux.waitFor(text: "Deleted 1 item, u undoes it")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "0")
        try tmux.send("u")
        try tmux.waitFor(text: "Restored 1 item (delete 1)")
        #expect(try db.sql(row) == before)
        try tmux.send("u")
        try tmux.waitFor(text: "Nothing to undo in this session")
        // The audit pane reads this host's local store: the delete and the restore, this session's.
        try tmux.send("L")
        let audit = try tmux.waitFor("the audit trail read") { $0.contains("The store's recent entries: ") && !$0.contains("reading…") }
        let rows = audit.split(separator: "\n").map(String.init)
        let session = try #require(rows.firstIndex { $0.contains("This session: 2 changes") }, "\(audit)")
        #expect(rows[session + 1].contains(" browse ") && rows[session + 1].contains(" restore "))
        #expect(rows[session + 2].contains(" browse ") && rows[session + 2].contains(" delete "))
        try tmux.send("Escape")
        try tmux.quit()
    }

    @Test func aSODARCategoryShowsItsSubtreeTotalsAndFolds() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1", data: #"{"n": 1}"#)
        let tmux = try Self.browse(cli, db)
        let first = try tmux.waitFor("the category's total") { $0.contains("▾ Cancer/") && $0.contains("Liver") }
        let categoryRow = try #require(first.split(separator: "\n").first { $0.contains("Cancer/") })
        #expect(categoryRow.contains("1    8B"))
        // SODAR writes two more items: the category's total follows, with no key pressed.
        try Self.sodarWrites(db, name: "irods/rows/b2", data: #"{"n": 2}"#)
        try Self.sodarWrites(db, name: "irods/rows/c3", data: #"{"n": 3}"#)
        try tmux.waitFor("the new total", timeout: 5) { screen in
            screen.split(separator: "\n").contains { $0.contains("Cancer/") && $0.contains("3   24B") }
        }
        try tmux.send("Space")
        try tmux.waitFor("folded") { $0.contains("▸ Cancer/") && !$0.contains("Liver") }
        try tmux.quit()
    }

    @Test func theServerGoingAwayShowsAnErrorAndRReconnects() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1", data: "{}")
        let tmux = try Self.browse(cli, db)
        try tmux.waitFor(text: "Liver")
        // The server cuts every sodarcache session (as a restart does).
        try db.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sodarcache' AND datname = current_database()")
        try tmux.send("r")
        try tmux.send("Down")
        try tmux.send("Enter")
        let screen = try tmux.waitFor("the items after reconnecting", timeout: 10) { $0.contains("samplesheets") }
        #expect(screen.contains("Liver"))
        try tmux.quit()
    }

    @Test func aReadOnlyRoleBrowsesAndCannotDelete() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1", data: "{}")
        let role = "sc_ro_" + UUID().uuidString.prefix(8).lowercased()
        try db.sql("CREATE ROLE \(role) LOGIN; GRANT SELECT ON sodarcache_jsoncacheitem, projectroles_project, users_user TO \(role)")
        defer { _ = try? db.sql("DROP OWNED BY \(role); DROP ROLE \(role)") }
        let reader = db.uri.replacingOccurrences(of: "user=postgres", with: "user=\(role)")
        let tmux = try Tmux(binary: "browse --read-only --db '\(reader)' --config '\(cli.config)'")
        try tmux.descend(from: "Liver", through: "samplesheets")
        try tmux.send("d")
        try tmux.waitFor(text: "read-only")
        #expect(try CLI.run(["get", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver, "--db", reader, "--config", cli.config]).status == 0)
        let write = try CLI.run(["delete", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver, "--db", reader, "--config", cli.config])
        #expect(write.status == 1)
        // Refused before trying, naming the privilege it lacks.
        #expect(write.stderr.contains("has no DELETE on public.sodarcache_jsoncacheitem"), "\(write.stderr)")
        #expect(write.stderr.split(separator: "\n").count == 1)
        try tmux.quit()
    }
}

/// SODAR's own sync from the browser: an app whose command writes the cache itself (as
/// `manage.py synccache -p {project_uuid}` does), run by `s`.
@Suite(.serialized, .enabled(if: Tmux.available && TestDatabase.available)) struct SelfWritingSyncTests {
    @Test func sRunsTheSitesOwnSyncAndShowsItsStderrWhenItFails() throws {
        let db = try TestDatabase(sodar: true)
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("sc-fail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        // The site's sync, standing in for manage.py: it writes through the cache API (here our
        // own CLI on the same database) and prints log lines, not JSON; it fails while `marker` exists.
        let cli = try CLI(apps: ["samplesheets"], extraConfig: """
            [apps.sodar]
            title = "SODAR's own sync"
            writes_cache = true
            command = ["/bin/sh", "-c", "if [ -e '\(marker)' ]; then echo 'irods: connection refused' >&2; exit 3; fi; echo 'Synchronizing cache'; exec '\(CLI.binary)' set samplesheets synced/by-sodar -p \\"$0\\" --db '\(db.uri)' --config \\"$1\\" --data '{\\"ok\\": true}'", "{project_uuid}", "CONFIG"]
            """)
        defer { cli.cleanUp() }
        // The command needs the config's path: written in now that the fixture knows it.
        let text = try String(contentsOfFile: cli.config, encoding: .utf8).replacingOccurrences(of: "\"CONFIG\"", with: "\"\(cli.config)\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: cli.config))
        let tmux = try Tmux(binary: "browse --db '\(db.uri)' --config '\(cli.config)'")
        try tmux.waitFor(text: "Liver")
        try tmux.send("Down", "Down")
        try tmux.send("s")
        try tmux.waitFor("the sync to end", timeout: 20) { $0.contains("Synced Cancer / Liver") }
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem WHERE name = 'synced/by-sodar'") == "1")
        try tmux.send("Enter")
        try tmux.waitFor(text: "synced/by-sodar")
        // Now the site's sync fails: the browser says so, and F shows its stderr.
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
        try tmux.send("Escape")
        try tmux.send("s")
        try tmux.waitFor("the failure", timeout: 20) { $0.contains("failed") }
        try tmux.send("F")
        try tmux.send("Enter")
        try tmux.waitFor(text: "irods: connection refused")
        try tmux.send("Escape", "Escape", "q")
        try tmux.waitFor(text: "EXITED:0")
    }
}
