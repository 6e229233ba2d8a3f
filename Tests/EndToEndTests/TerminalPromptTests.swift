import Foundation
import Testing

/// Issue 13: what the commands say on a real terminal (in tmux).
@Suite(.serialized, .enabled(if: Tmux.available, "needs tmux")) struct TerminalPromptTests {
    @Test func setOnATerminalSaysItReadsStdinUntilCtrlD() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let tmux = try Tmux(binary: "set samplesheets x --db '\(cli.db)' --config '\(cli.config)'", environment: "")
        try tmux.waitFor(text: "Reading the JSON payload from stdin until Ctrl-D")
        try tmux.send(#"{"a": 1}"#, literal: true)
        try tmux.send("Enter")
        try tmux.send("C-d")
        try tmux.waitFor(text: "EXITED:0")
        #expect(try cli.run(["get", "samplesheets", "x"]).stdout == "{\n  \"a\": 1\n}\n")
    }

    @Test func demoOnADumbTerminalWritesNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let tmux = try Tmux(binary: "demo --db '\(cli.db)'", environment: "TERM=dumb")
        let screen = try tmux.waitFor(text: "EXITED:")
        #expect(screen.contains("TERM=dumb cannot draw the browser"))
        #expect(screen.contains("EXITED:1"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
        #expect(!FileManager.default.fileExists(atPath: cli.db + ".demo"))
    }
}
