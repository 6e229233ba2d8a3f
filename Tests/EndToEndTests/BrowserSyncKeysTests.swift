import Foundation
import Testing

/// `P` (a sync preview), `C` (the last sync's changes) and `L` (the audit pane) in the real
/// browser in tmux, on a SQLite store.
@Suite(.serialized, .enabled(if: Tmux.available)) struct BrowserSyncKeysTests {
    /// Project "Liver" with three items of the command app `alpha`, whose next output keeps one,
    /// edits one, drops one and adds one; and an app whose command writes the cache itself.
    static func store() throws -> (CLI, String) {
        let cli = try CLI(apps: [])
        return (cli, try SyncDryRunCommandTests.liver(cli))
    }

    static func browse(_ cli: CLI) throws -> Tmux {
        let tmux = try Tmux(
            command: "LANG=C.UTF-8 '\(CLI.binary)' browse --db '\(cli.db)' --config '\(cli.config)'", cols: 100, rows: 30)
        _ = try tmux.waitFor(text: "Liver")
        return tmux
    }

    @Test func pPreviewsTheSyncWritesNothingAndEnterOpensAChangedItem() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let listing = try cli.run(["ls", "--json"]).stdout
        let tmux = try Self.browse(cli)
        try tmux.send("P")
        let screen = try tmux.waitFor(text: "~ edited: .title, .rows[2]", timeout: 20)
        #expect(screen.contains("Sync preview: Liver"))
        #expect(screen.contains("alpha: 1 new, 1 changed, 1 unchanged, 1 no longer written"))
        #expect(screen.contains("+ fresh\\u001b]0;x"))
        #expect(screen.contains("! gone (no longer written: stays as it is)"))
        #expect(screen.contains("broken: failed: "))
        #expect(screen.contains("sodar: not run: its command writes the cache itself"))
        #expect(!(try tmux.capture(escapes: true)).contains("\u{1B}]0;x"))
        // Nothing written: the items and their times as they were.
        #expect(try cli.run(["ls", "--json"]).stdout == listing)
        // Enter on the changed item opens it as it is in the store.
        let rows = screen.split(separator: "\n").map(String.init)
        let top = try #require(rows.firstIndex { $0.contains("Project \"Liver\"") })
        let target = try #require(rows.firstIndex { $0.contains("~ edited") })
        for _ in 0..<(target - top) { try tmux.send("Down") }
        try tmux.send("Enter")
        let payload = try tmux.waitFor(text: "\"title\": \"x\"")
        #expect(!payload.contains("Sync preview"))
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
    }

    @Test func sThenCListsTheChangesAndLShowsThisSessionsEntriesFirst() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try Self.browse(cli)
        try tmux.send("C")
        _ = try tmux.waitFor(text: "No sync in this session yet (s, S)")
        try tmux.send("s")
        _ = try tmux.waitFor(text: "(C: 1 new, 1 changed, 1 unchanged", timeout: 20)
        try tmux.send("C")
        let changes = try tmux.waitFor(text: "Last sync: Liver")
        #expect(changes.contains("~ edited: .title, .rows[2]"))
        try tmux.send("Escape")
        try tmux.send("L")
        let audit = try tmux.waitFor("the audit trail read") { $0.contains("The store's recent entries: ") && !$0.contains("reading…") }
        // The session's entries (the sync's writes) above the `set`s and `project add` before it.
        let rows = audit.split(separator: "\n").map(String.init)
        let session = try #require(rows.firstIndex { $0.contains("This session: ") })
        let recent = try #require(rows.firstIndex { $0.contains("The store's recent entries: ") })
        #expect(recent > session + 1)
        let ours = rows[(session + 1)..<recent]
        #expect(ours.allSatisfy { $0.contains("browse") })
        #expect(ours.contains { $0.contains("wrote ") })
        // The sync itself, as `synccache` records its runs: its outcome and its failed unit.
        #expect(ours.contains { $0.contains(" sync ") && $0.contains("1 failed  project ") })
        // A failure by its kind ("command exited with status 3"), never its command line.
        #expect(ours.contains { $0.contains(" sync ") && $0.contains("failed: command…  app broken in") })
        #expect(ours.contains { $0.contains(" sync-app ") && $0.contains(" ok ") && $0.contains("alpha") })
        let set = try #require(rows.firstIndex { $0.contains(" set ") && $0.contains("alpha:edited in project") }, "the pane:\n\(audit)")
        #expect(set > recent)
        // Enter on a `set` of one item goes to it.
        for _ in 0..<(set - session) { try tmux.send("Down") }
        try tmux.send("Enter")
        try tmux.waitFor("the item selected") { $0.contains("alpha:edited in Liver") && !$0.contains("Audit log") }
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
    }

    /// The demo records its writes and its browser's as `demo`'s: the audit pane counts the
    /// session's delete as this session's (it counted none while the browser looked for `browse`).
    @Test func theDemosDeleteIsThisSessionsInTheAuditPane() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let demo = cli.dir.appendingPathComponent("demo.sqlite3").path
        let tmux = try Tmux(command: "LANG=C.UTF-8 '\(CLI.binary)' demo --db '\(demo)'", cols: 100, rows: 30)
        _ = try tmux.waitFor(text: "Cancer Research")
        try tmux.send("Tab")
        try tmux.send("Tab")
        try tmux.send("d")
        _ = try tmux.waitFor(text: "Delete 1 item?")
        try tmux.send("y")
        _ = try tmux.waitFor(text: "Deleted 1 item")
        try tmux.send("L")
        let audit = try tmux.waitFor("the audit trail read") { $0.contains("The store's recent entries: ") && !$0.contains("reading…") }
        let rows = audit.split(separator: "\n").map(String.init)
        let session = try #require(rows.firstIndex { $0.contains("This session: 1 change") }, "\(audit)")
        #expect(rows[session + 1].contains(" demo ") && rows[session + 1].contains(" delete "), "\(audit)")
        try tmux.send("Escape")
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
    }
}
