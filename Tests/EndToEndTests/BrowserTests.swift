import Foundation
import Testing

/// The real browser in tmux (issue 4): browse to an item, fold, search, escaping, quitting.
@Suite(.serialized, .enabled(if: Tmux.available)) struct BrowserTests {
    /// A store with one project and one item whose payload we know.
    static func store() throws -> (CLI, String) {
        let cli = try CLI()
        let project = try cli.run(["project", "add", "Alpha Project"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let payload = #"{"zeta": 1.50, "paths": {"/sodarZone/a": {"file_count": 12, "total_size": 73400320}, "/sodarZone/b": null}, "nested": {"needle": [true, false]}}"#
        try cli.run(["set", "samplesheets", "irods/rows/a1", "-p", project, "--user", "jdoe", "--data", payload])
        return (cli, project)
    }

    func open(_ cli: CLI, extra: String = "", cols: Int = 100) throws -> Tmux {
        try Tmux(command: "LANG=C.UTF-8 \(extra) '\(CLI.binary)' browse --db '\(cli.db)' --config '\(cli.config)'; echo EXITED:$?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; sleep 30", cols: cols)
    }

    /// From the project tree to the item's payload (project -> apps -> items -> payload).
    func openItem(_ tmux: Tmux) throws {
        try tmux.descend(from: "Alpha Project", through: "samplesheets", "irods/rows/a1", "\"zeta\": 1.50")
    }

    @Test func categoriesShowSubtreeTotalsFoldAndOrderBySize() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        func uuid(_ args: [String]) throws -> String {
            try cli.run(["project", "add"] + args).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let category = try uuid(["Cohorts", "--type", "CATEGORY"])
        let small = try uuid(["Aardvark", "--parent", category])
        let big = try uuid(["Zebra", "--parent", category])
        try cli.run(["set", "samplesheets", "a", "-p", small, "--data", "[1]"])
        try cli.run(["set", "samplesheets", "b", "-p", big, "--data", "\"" + String(repeating: "x", count: 3000) + "\""])
        try cli.run(["set", "samplesheets", "c", "-p", big, "--data", "[2]"])
        // 120 columns: the size bars show where the names keep their room (from 112).
        let tmux = try open(cli, cols: 120)
        // The category's row: its subtree's 3 items and 2.9K (3,008 bytes), with a bar.
        let first = try tmux.waitFor(text: "Aardvark")
        let categoryRow = try #require(first.split(separator: "\n").first { $0.contains("Cohorts/") })
        #expect(categoryRow.contains("▾ Cohorts/"))
        #expect(categoryRow.contains("3  2.9K █"))
        // Sibling order by size: Zebra (the larger) first.
        try tmux.send("o")
        try tmux.waitFor("Zebra above Aardvark") { screen in
            guard screen.contains("↓size"), let zebra = screen.range(of: "Zebra"), let aardvark = screen.range(of: "Aardvark")
            else { return false }
            return zebra.lowerBound < aardvark.lowerBound
        }
        // Fold the category: its projects go; the row keeps its totals.
        try tmux.send("Space")
        let folded = try tmux.waitFor("the category folded") { $0.contains("▸ Cohorts/") && !$0.contains("Zebra") }
        #expect(folded.contains("Folded Cohorts (2 projects beneath)"))
        try tmux.send("Z")
        try tmux.waitFor(text: "Zebra")
        try tmux.quit()
    }

    @Test func browsesToAnItemAndFoldsIt() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try open(cli)
        try openItem(tmux)
        let screen = try tmux.waitFor(text: "\"file_count\": 12")
        #expect(screen.contains("\"/sodarZone/b\": null"))
        #expect(screen.contains("jdoe"))
        // Fold the `paths` object: its members disappear, the rest stays.
        try tmux.send("Down", "Down")
        try tmux.send("Enter")
        // Poll for the whole folded screen: a capture may catch a frame half drawn.
        let folded = try tmux.waitFor("paths folded") {
            $0.contains("\"paths\": {…}") && !$0.contains("\"file_count\"") && $0.contains("\"nested\"")
        }
        #expect(folded.contains("\"zeta\": 1.50"))
        try tmux.send("Enter")
        try tmux.waitFor(text: "\"file_count\": 12")
        try tmux.quit()
    }

    @Test func searchFindsAKeyAndShowsItsPath() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try open(cli)
        try openItem(tmux)
        try tmux.send("/")
        try tmux.send("needle", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor(text: ".nested.needle")
        try tmux.quit()
    }

    @Test func controlCharactersAreShownEscaped() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "Evil \u{1B}]0;owned\u{07}Title"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "samplesheets", "name\u{1B}[2Jx", "-p", project, "--data",
                     "{\"k\u{9B}1\": \"\\u001b[31mred\", \"bidi\": \"a\u{202E}b\"}"])
        let tmux = try open(cli)
        let list = try tmux.waitFor(text: "Evil \\u001b]0;owned\\u0007Title")
        #expect(!list.contains("\u{1B}"))
        try tmux.send("Down")
        try tmux.send("Enter")
        try tmux.waitFor(text: "samplesheets")
        try tmux.send("Enter")
        try tmux.waitFor(text: "name\\u001b[2Jx")
        try tmux.send("Enter")
        let payload = try tmux.waitFor(text: "\"k\\u009b1\"")
        #expect(payload.contains("\"a\\u202eb\""))
        #expect(payload.contains("\"\\u001b[31mred\""))
        let raw = try tmux.capture(escapes: true)
        #expect(!raw.contains("\u{9B}") && !raw.contains("\u{202E}") && !raw.contains("\u{1B}]0;"))
        try tmux.quit()
    }

    @Test func quittingRestoresTheTerminal() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try open(cli)
        try tmux.waitFor(text: "Alpha Project")
        try tmux.send("q")
        let after = try tmux.waitFor("exit and stty report") { $0.contains("EXITED:0") && $0.contains("icanon") }
        #expect(after.contains(" echo"))
        #expect(!after.contains("-icanon"))
        #expect(!after.contains("Alpha Project"), "the browser's screen is gone (alternate screen left)")
    }

    @Test func dumbTerminalIsAClearError() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let result = try CLI.run(["browse", "--db", cli.db, "--config", cli.config], env: ["TERM": "dumb"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("dumb") || result.stderr.contains("terminal"))
    }

    @Test func tinyTerminalSaysSo() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try Tmux(command: "LANG=C.UTF-8 '\(CLI.binary)' browse --db '\(cli.db)' --config '\(cli.config)'", cols: 30, rows: 6)
        try tmux.waitFor(text: "too small")
        try tmux.send("q")
    }
}
