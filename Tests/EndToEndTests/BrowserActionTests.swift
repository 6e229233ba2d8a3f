import Foundation
import Testing

/// Sync and delete from the real browser in tmux, and live refresh from a second process.
@Suite(.serialized, .enabled(if: Tmux.available)) struct BrowserActionTests {
    /// A store with one project ("Alpha") and a command app `check` that writes `status`.
    static func store() throws -> (CLI, String) {
        let cli = try CLI(
            apps: ["samplesheets"],
            extraConfig: """
                [apps.check]
                title = "Check"
                command = ["/bin/sh", "-c", "printf '{\\"checked\\": \\"%s\\"}' \\"$(date +%s%N)\\""]
                item = "status"

                """)
        let project = try cli.run(["project", "add", "Alpha"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (cli, project)
    }

    /// The browser on the store, `extra` options added, once project "Alpha" shows.
    static func browse(_ cli: CLI, extra: String = "") throws -> Tmux {
        let tmux = try Tmux(
            command: "LANG=C.UTF-8 '\(CLI.binary)' --db '\(cli.db)' --config '\(cli.config)' \(extra)", cols: 100, rows: 30)
        _ = try tmux.waitFor(text: "Alpha")
        return tmux
    }

    /// Project -> apps -> items, each step once the list it needs has loaded.
    static func openItems(_ tmux: Tmux) throws {
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "samplesheets")
        try tmux.send("Enter")
    }

    @Test func sSyncsTheProjectAndTheUpdateTimeChanges() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "check", "status", "-p", project, "--data", "{\"checked\": \"never\"}"]).status == 0)
        let before = try cli.run(["update-time", "check", "status", "-p", project]).stdout
        let tmux = try Self.browse(cli)
        // The item row ages by five seconds or more before the sync, so a younger age after it
        // is news (a loaded machine may take a second or two to show it).
        try tmux.waitFor("the item to age", timeout: 20) {
            $0.range(of: #"status +([5-9]|[0-9]{2,})s ago"#, options: .regularExpression) != nil
        }
        try tmux.send("s")
        _ = try tmux.waitFor(text: "Synced Alpha:", timeout: 15)
        try tmux.waitFor("the item to show as new", timeout: 5) {
            $0.range(of: #"status +(now|[1-4]s ago)"#, options: .regularExpression) != nil
        }
        let after = try cli.run(["update-time", "check", "status", "-p", project]).stdout
        #expect(Double(after.trimmingCharacters(in: .whitespacesAndNewlines))! > Double(before.trimmingCharacters(in: .whitespacesAndNewlines))!)
        #expect(!(try cli.run(["get", "check", "status", "-p", project]).stdout.contains("never")))
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
    }

    @Test func dThenYDeletesTheItem() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "samplesheets", "doomed", "-p", project, "--data", "{\"a\": 1}"]).status == 0)
        #expect(try cli.run(["set", "samplesheets", "kept", "-p", project, "--data", "{\"b\": 2}"]).status == 0)
        let tmux = try Self.browse(cli)
        try Self.openItems(tmux)
        _ = try tmux.waitFor(text: "doomed")
        try tmux.send("d")
        _ = try tmux.waitFor(text: "Delete 1 item?")
        try tmux.send("y")
        _ = try tmux.waitFor(text: "Deleted 1 item")
        try tmux.waitFor("the row to go") { screen in
            !screen.split(separator: "\n").dropLast(2).contains { $0.contains("doomed") }
        }
        #expect(try cli.run(["get", "samplesheets", "doomed", "-p", project]).status != 0)
        #expect(try cli.run(["get", "samplesheets", "kept", "-p", project]).status == 0)
        try tmux.send("q")
    }

    @Test func uAfterDAndYPutsTheItemBackAsItWas() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "samplesheets", "doomed", "-p", project, "--data", "{\"a\": [1, 2.50]}"]).status == 0)
        let before = try cli.run(["get", "samplesheets", "doomed", "-p", project])
        let time = try cli.run(["update-time", "samplesheets", "doomed", "-p", project]).stdout
        let tmux = try Self.browse(cli)
        try Self.openItems(tmux)
        _ = try tmux.waitFor(text: "doomed")
        try tmux.send("d")
        // Two weeks from now (the default [trash] keep), in local time.
        let dialog = try tmux.waitFor(text: "Undo with u until")
        #expect(dialog.contains("(or sodarcache trash restore)."))
        try tmux.send("y")
        _ = try tmux.waitFor(text: "Deleted 1 item, u undoes it")
        #expect(try cli.run(["get", "samplesheets", "doomed", "-p", project]).status != 0)
        // Kept in the trash, recorded as made by the browser.
        let listed = try cli.run(["trash", "list"]).stdout.split(separator: "\n")
        #expect(listed.count == 2 && listed[1].hasPrefix("1\t") && listed[1].contains("\tbrowse\t1\t"), "\(listed)")
        try tmux.send("u")
        _ = try tmux.waitFor(text: "Restored 1 item (delete 1)")
        _ = try tmux.waitFor(text: "doomed")
        let after = try cli.run(["get", "samplesheets", "doomed", "-p", project])
        #expect(after.status == 0)
        #expect(after.stdout == before.stdout)
        #expect(try cli.run(["update-time", "samplesheets", "doomed", "-p", project]).stdout == time)
        // Nothing left to undo; restored whole, the delete left the trash.
        try tmux.send("u")
        _ = try tmux.waitFor(text: "Nothing to undo in this session")
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
        #expect(try cli.run(["trash", "list"]).stderr.contains("The trash is empty"))
    }

    @Test func withNoTrashTheDialogSaysTheDeleteIsForGood() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "samplesheets", "doomed", "-p", project, "--data", "{\"a\": 1}"]).status == 0)
        let tmux = try Self.browse(cli, extra: "--no-trash")
        try Self.openItems(tmux)
        _ = try tmux.waitFor(text: "doomed")
        try tmux.send("d")
        _ = try tmux.waitFor(text: "This cannot be undone: the trash is off (--no-trash).")
        try tmux.send("y")
        _ = try tmux.waitFor(text: "Deleted 1 item (item samplesheets: doomed")
        try tmux.send("u")
        _ = try tmux.waitFor(text: "Nothing to undo: deletes are for good, the trash is off (--no-trash)")
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
        #expect(try cli.run(["get", "samplesheets", "doomed", "-p", project]).status != 0)
        #expect(try cli.run(["trash", "list"]).stderr.contains("The trash is empty"))
    }

    @Test func aSecondProcessWritingShowsUpWithinTwoSeconds() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "samplesheets", "first", "-p", project, "--data", "{\"a\": 1}"]).status == 0)
        let tmux = try Self.browse(cli)
        try Self.openItems(tmux)
        _ = try tmux.waitFor(text: "first")
        let written = Date()
        #expect(try cli.run(["set", "samplesheets", "arrived-later", "-p", project, "--data", "{\"b\": 2}"]).status == 0)
        // The requirement is 2 s (the browser polls every 0.5 s); a loaded CI machine gets slack.
        let screen = try tmux.waitFor(text: "arrived-later", timeout: 6)
        let delay = Date().timeIntervalSince(written)
        #expect(delay < 3, "the new item took \(delay) s to show")
        // The focus stayed in the items list, on the item it was on.
        #expect(screen.contains("Items"))
        try tmux.send("q")
    }

    @Test func aDeleteWhileAnotherWriterHoldsTheLockWaitsInsteadOfFailing() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "samplesheets", "contested", "-p", project, "--data", "{\"a\": 1}"]).status == 0)
        let tmux = try Self.browse(cli)
        try Self.openItems(tmux)
        _ = try tmux.waitFor(text: "contested")
        // Another process holds the write lock for longer than the store's 5 s busy timeout.
        let holder = try LockHolder(db: cli.db, releaseAfter: 6.5)
        try tmux.send("d")
        _ = try tmux.waitFor(text: "Delete 1 item?")
        try tmux.send("y")
        let screen = try tmux.waitFor("the delete to land", timeout: 20) { $0.contains("Deleted 1 item") || $0.contains("locked") }
        #expect(screen.contains("Deleted 1 item"), "\(screen)")
        holder.waitUntilReleased()
        #expect(try cli.run(["get", "samplesheets", "contested", "-p", project]).status != 0)
        try tmux.send("q")
    }
}
