import Foundation
import Testing

/// Issue 13 in the real browser: saving never destroys a store or a file unasked, keys do
/// nothing while the terminal is too small, `r` reopens a replaced store, `G` reaches the end.
@Suite(.serialized, .enabled(if: Tmux.available)) struct BrowserSafetyTests {
    static func browse(_ cli: CLI, cols: Int = 100, rows: Int = 30) throws -> Tmux {
        try Tmux(binary: "--db '\(cli.db)' --config '\(cli.config)'", cols: cols, rows: rows)
    }

    static func itemCount(_ cli: CLI) throws -> Int {
        try cli.run(["ls", "--json"]).stdout.components(separatedBy: "\"app_name\"").count - 1
    }

    @Test func savingRefusesTheOpenStoreAndAsksBeforeReplacingAFile() throws {
        let (cli, _) = try BrowserTests.store()
        defer { cli.cleanUp() }
        let tmux = try Self.browse(cli)
        try BrowserTests().openItem(tmux)
        // The open store: refused, and the store still works afterwards.
        try tmux.send("e")
        try tmux.waitFor(text: "Write JSON to file")
        try tmux.send(cli.db, literal: true)
        try tmux.send("Enter")
        try tmux.waitFor(text: "Not written: refused: it is the open store")
        #expect(try Self.itemCount(cli) == 1)
        // An existing file: asked, No by default.
        let precious = cli.dir.appendingPathComponent("precious.txt").path
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: precious))
        func saveOverPrecious() throws {
            try tmux.send("e")
            try tmux.send(precious, literal: true)
            try tmux.send("Enter")
            try tmux.waitFor(text: "Replace the file?")
        }
        try saveOverPrecious()
        try tmux.send("Enter")
        try tmux.waitFor(text: "Nothing written:")
        #expect(try String(contentsOfFile: precious, encoding: .utf8) == "precious\n")
        // Yes replaces it.
        try saveOverPrecious()
        try tmux.send("y")
        try tmux.waitFor(text: "Wrote ")
        #expect(try String(contentsOfFile: precious, encoding: .utf8).contains("\"zeta\": 1.50"))
        try tmux.quit()
    }

    @Test func keysDoNothingWhileTheTerminalIsTooSmall() throws {
        let (cli, _) = try BrowserTests.store()
        defer { cli.cleanUp() }
        let tmux = try Self.browse(cli, cols: 30, rows: 8)
        try tmux.waitFor(text: "terminal too small")
        // Time for the lists to load, unseen.
        usleep(500_000)
        for key in ["Down", "D", "y", "Enter", "Enter", "e", "d", "y", "x", "y", "S"] { try tmux.send(key) }
        usleep(500_000)
        #expect(try Self.itemCount(cli) == 1)
        try tmux.quit()
    }

    @Test func rReopensAStoreWhoseFileWasReplaced() throws {
        let (cli, _) = try BrowserTests.store()
        defer { cli.cleanUp() }
        let backup = try CLI()
        defer { backup.cleanUp() }
        #expect(try backup.run(["project", "add", "Restored Lab"]).status == 0)
        let tmux = try Self.browse(cli)
        try tmux.waitFor(text: "Alpha Project")
        #expect(rename(backup.db, cli.db) == 0)
        try tmux.waitFor(text: "r reopens it")
        try tmux.send("r")
        try tmux.waitFor(text: "Reopened ")
        let screen = try tmux.waitFor(text: "Restored Lab")
        #expect(!screen.contains("Alpha Project"))
        try tmux.quit()
        #expect(try cli.run(["project", "list"]).stdout.contains("Restored Lab"))
    }

    @Test func bigGGoesToTheLastOf2020Projects() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let records = (0..<2020).map { i in
            "{\"sodar_uuid\": \"00000000-0000-4000-8000-\(String(format: "%012d", i + 1))\", \"title\": \"P\(String(format: "%05d", i))\", \"type\": \"PROJECT\"}"
        }
        let file = cli.dir.appendingPathComponent("projects.json")
        try Data(("[" + records.joined(separator: ",") + "]").utf8).write(to: file)
        #expect(try cli.run(["project", "import", file.path]).status == 0)
        let tmux = try Self.browse(cli)
        // The launch reads two screens of the pane (26 rows at 30 lines); `Home` a page of 200.
        try tmux.waitFor(text: "1/52+")
        try tmux.send("G")
        try tmux.waitFor(text: "2,020/2,020 │ Apps · P02019")
        try tmux.send("PPage")
        try tmux.waitFor(text: "1,994/2,020 │ Apps · P01993")
        try tmux.send("Home")
        try tmux.waitFor(text: "1/200+ │ Apps · P00000")
        try tmux.send("End")
        try tmux.waitFor(text: "2,020/2,020 │ Apps · P02019")
        try tmux.quit()
    }
}
