import Foundation
import Testing

/// The mouse in the real browser in tmux. `send-keys -M` only forwards a mouse event tmux is
/// handling, so the tests type the reports a terminal would send: SGR (`ESC [ < b;x;y M`, what
/// the browser asks tmux for) and X10 (`ESC [ M` and three bytes, what ncurses decodes itself
/// under TERM=tmux-256color). Together they cover the terminal layer from the bytes on.
@Suite(.serialized, .enabled(if: Tmux.available)) struct BrowserMouseTests {
    /// Projects Alpha (two items) and Beta; returns Alpha's UUID too.
    static func store(extraConfig: String = "") throws -> (CLI, String) {
        let cli = try CLI(apps: ["samplesheets"], extraConfig: extraConfig)
        let project = try cli.run(["project", "add", "Alpha"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try cli.run(["project", "add", "Beta"])
        for name in ["first", "second"] {
            #expect(try cli.run(["set", "samplesheets", name, "-p", project, "--data", "{\"\(name)\": {\"n\": 1}}"]).status == 0)
        }
        return (cli, project)
    }

    static func browse(_ cli: CLI, flags: String = "") throws -> Tmux {
        let tmux = try Tmux(
            command: "TERM=tmux-256color LANG=C.UTF-8 '\(CLI.binary)' --db '\(cli.db)' --config '\(cli.config)' \(flags)",
            cols: 100, rows: 30)
        _ = try tmux.waitFor(text: "Alpha")
        return tmux
    }

    /// The cell (from 0) where `text` first shows, left of `before` columns (to pick a pane).
    static func cell(of text: String, in screen: String, before: Int = .max) throws -> (row: Int, column: Int) {
        for (index, line) in screen.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: text), line.distance(from: line.startIndex, to: range.lowerBound) < before {
                return (index, line.distance(from: line.startIndex, to: range.lowerBound))
            }
        }
        throw TmuxError.timeout("\"\(text)\" on screen", screen)
    }

    /// A left click as an SGR report (cells from 1 on the wire).
    static func click(_ tmux: Tmux, _ cell: (row: Int, column: Int)) throws {
        try tmux.send("\u{1B}[<0;\(cell.column + 1);\(cell.row + 1)M", literal: true)
        try tmux.send("\u{1B}[<0;\(cell.column + 1);\(cell.row + 1)m", literal: true)
    }

    @Test func clicksOpenAnItemTheWheelScrollsAndAClickAnswersTheDialog() throws {
        let (cli, alpha) = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try Self.browse(cli)
        #expect(try tmux.format("#{mouse_any_flag}") == "1")
        #expect(try tmux.format("#{mouse_sgr_flag}") == "1")
        // Alpha: a click selects it (its apps show), a second opens it, then the app twice, the item twice.
        var screen = try tmux.capture()
        try Self.click(tmux, try Self.cell(of: "Alpha", in: screen, before: 40))
        screen = try tmux.waitFor(text: "Apps · Alpha")
        try Self.click(tmux, try Self.cell(of: "Alpha", in: screen, before: 40))
        let app = try Self.cell(of: "samplesheets", in: try tmux.waitFor(text: "samplesheets"))
        try Self.click(tmux, app)
        screen = try tmux.waitFor(text: "second")
        try Self.click(tmux, try Self.cell(of: "second", in: screen))
        try tmux.waitFor("the items pane to be focused on second") { $0.contains("2/2") }
        try Self.click(tmux, try Self.cell(of: "second", in: try tmux.capture()))
        screen = try tmux.waitFor(text: "\"second\": {")
        // In the payload a click moves the cursor (the path line says where), a second folds.
        let line = try Self.cell(of: "\"n\": 1", in: screen)
        try Self.click(tmux, line)
        try tmux.waitFor(text: ".second.n")
        let opening = try Self.cell(of: "\"second\": {", in: screen)
        try Self.click(tmux, opening)
        try tmux.waitFor(text: ".second")
        try Self.click(tmux, opening)
        try tmux.waitFor(text: "{…}  1 key")
        // Back to the items, then the wheel over the projects pane (unfocused) moves its selection.
        try tmux.send("Escape")
        try tmux.waitFor(text: "Items")
        try tmux.send("\u{1B}[<65;5;10M", literal: true)
        try tmux.waitFor(text: "Apps · Beta")
        try tmux.send("\u{1B}[<64;5;10M", literal: true)
        screen = try tmux.waitFor(text: "Apps · Alpha")
        // Alpha's items again, from the first; d on the focused items pane, then a click on Yes.
        try tmux.waitFor(text: "second")
        try tmux.send("d")
        screen = try tmux.waitFor(text: "[ Yes ]")
        try Self.click(tmux, try Self.cell(of: "[ Yes ]", in: screen))
        try tmux.waitFor(text: "Deleted 1 item")
        #expect(try cli.run(["get", "samplesheets", "first", "-p", alpha]).status != 0)
        #expect(try cli.run(["get", "samplesheets", "second", "-p", alpha]).status == 0)
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
    }

    @Test func x10ReportsWorkTooAndTheMouseIsGivenBackOnExit() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try Tmux(
            command: "TERM=tmux-256color LANG=C.UTF-8 '\(CLI.binary)' --db '\(cli.db)' --config '\(cli.config)'; sleep 30",
            cols: 100, rows: 30)
        let screen = try tmux.waitFor(text: "Beta")
        let beta = try Self.cell(of: "Beta", in: screen, before: 40)
        // X10: button 0 press, then column and row, each plus 33.
        let bytes = [32, 33 + beta.column, 33 + beta.row].map { String(UnicodeScalar(UInt8($0))) }.joined()
        try tmux.send("\u{1B}[M" + bytes, literal: true)
        try tmux.waitFor(text: "Apps · Beta")
        try tmux.send("q")
        try tmux.waitFor("the browser to give the mouse back") { _ in (try? tmux.format("#{mouse_any_flag}")) == "0" }
        #expect(try tmux.format("#{mouse_sgr_flag}") == "0")
    }

    @Test func noMouseAndTheConfigKeyLeaveTheTerminalsSelectionAlone() throws {
        let (cli, _) = try Self.store()
        defer { cli.cleanUp() }
        let flagged = try Self.browse(cli, flags: "--no-mouse")
        #expect(try flagged.format("#{mouse_any_flag}") == "0")
        #expect(try flagged.format("#{mouse_sgr_flag}") == "0")
        try flagged.send("?", "Space", "Space", "Space")
        try flagged.waitFor(text: "off (--no-mouse")
        try flagged.send("q", "q")
        try flagged.waitFor("the browser to exit") { _ in !flagged.isRunning }

        let (configured, _) = try Self.store(extraConfig: "[browser]\nmouse = false\n")
        defer { configured.cleanUp() }
        let tmux = try Self.browse(configured)
        #expect(try tmux.format("#{mouse_any_flag}") == "0")
        #expect(try tmux.format("#{mouse_sgr_flag}") == "0")
        try tmux.send("q")
    }

    @Test func aWrongMouseValueInTheConfigIsOneLineWithFileAndLine() throws {
        let cli = try CLI(apps: [], extraConfig: "[browser]\nmouse = \"yes\"\n")
        defer { cli.cleanUp() }
        let result = try cli.run(["apps"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("config.toml:2: browser.mouse: expected true or false, got \"yes\""))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
