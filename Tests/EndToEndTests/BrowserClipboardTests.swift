import Foundation
import Testing

/// Issue 10, item 2 in the real browser: `y` and `Y` reach tmux's paste buffer through OSC 52
/// (tmux with `set-clipboard on`); `--no-clipboard` and the config send nothing.
@Suite(.serialized, .enabled(if: Tmux.available)) struct BrowserClipboardTests {
    static let payload = #"{"study": {"title": "Tümor \"A\" ✓ , x", "top_header": [{"name": "Source Name"}, 2]}, "odd key": [1, 2]}"#

    /// A store with one item holding `payload`; `extraConfig` goes into its config.
    static func store(extraConfig: String = "") throws -> CLI {
        let cli = try CLI(extraConfig: extraConfig)
        let project = try cli.run(["project", "add", "Alpha Project"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "samplesheets", "sheet/a1", "-p", project, "--data", payload])
        return cli
    }

    /// The browser in tmux with `set-clipboard on`, the item's payload open.
    static func openPayload(_ cli: CLI, flags: String = "") throws -> Tmux {
        let tmux = try Tmux(binary: "browse --db '\(cli.db)' --config '\(cli.config)' \(flags)")
        try tmux.setServerOption("set-clipboard", "on")
        try tmux.descend(from: "Alpha Project", through: "samplesheets", "sheet/a1", "\"top_header\": [")
        return tmux
    }

    /// Presses Down `count` times, then waits until the status line shows `path`.
    static func moveDown(_ tmux: Tmux, _ count: Int, to path: String) throws {
        for _ in 0..<count { try tmux.send("Down") }
        try tmux.waitFor("path \(path)") { $0.split(separator: "\n").contains { $0 == path } }
    }

    /// Presses Up once, then waits until the status line shows `path`.
    static func moveUp(_ tmux: Tmux, to path: String) throws {
        try tmux.send("Up")
        try tmux.waitFor("path \(path)") { $0.split(separator: "\n").contains { $0 == path } }
    }

    @Test func yCopiesTheValueAtTheCursorIntoTmuxsPasteBuffer() throws {
        let cli = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try Self.openPayload(cli)
        #expect(tmux.pasteBuffer() == nil)
        try Self.moveDown(tmux, 2, to: ".study.title")
        try tmux.send("y")
        try tmux.waitFor(text: "Copied value of .study.title (22 bytes)")
        #expect(tmux.pasteBuffer() == #""Tümor \"A\" ✓ , x""#)
        try Self.moveDown(tmux, 1, to: ".study.top_header")
        try tmux.send("y")
        let screen = try tmux.waitFor(text: "Copied value of .study.top_header (26 bytes)")
        #expect(tmux.pasteBuffer() == #"[{"name":"Source Name"},2]"#)
        // The sequence went to the terminal, not onto the screen.
        #expect(!screen.contains("52;"))
        #expect(screen.split(separator: "\n").first?.hasPrefix(" sodarcache ") == true)
        #expect(screen.contains(#"    "title": "Tümor \"A\" ✓ , x","#))
        try tmux.quit()
    }

    @Test func capitalYCopiesThePathAsTheStatusLineShowsIt() throws {
        let cli = try Self.store()
        defer { cli.cleanUp() }
        let tmux = try Self.openPayload(cli)
        try Self.moveDown(tmux, 4, to: ".study.top_header[0]")
        try tmux.send("Y")
        try tmux.waitFor(text: "Copied path .study.top_header[0] (20 bytes)")
        #expect(tmux.pasteBuffer() == ".study.top_header[0]")
        try tmux.send("G")
        try Self.moveUp(tmux, to: #".["odd key"]"#)
        try tmux.send("Y")
        try tmux.waitFor(text: "Copied path .[\"odd key\"]")
        #expect(tmux.pasteBuffer() == #".["odd key"]"#)
        try tmux.quit()
    }

    @Test func noClipboardFlagOrConfigSendsNothing() throws {
        for (extraConfig, flags) in [("", "--no-clipboard"), ("\n[browser]\nclipboard = false\n", "")] {
            let cli = try Self.store(extraConfig: extraConfig)
            defer { cli.cleanUp() }
            let tmux = try Self.openPayload(cli, flags: flags)
            try tmux.setPasteBuffer("before")
            try Self.moveDown(tmux, 2, to: ".study.title")
            try tmux.send("y")
            try tmux.waitFor(text: "The clipboard is off (--no-clipboard or [browser] clipboard = false); e writes")
            try Self.moveDown(tmux, 1, to: ".study.top_header")
            try tmux.send("Y")
            try tmux.waitFor(text: "The clipboard is off")
            // Time for an OSC 52 sequence, had one been sent, to reach tmux.
            usleep(300_000)
            #expect(tmux.pasteBuffer() == "before", "\(flags)\(extraConfig)")
            try tmux.quit()
        }
    }
}
