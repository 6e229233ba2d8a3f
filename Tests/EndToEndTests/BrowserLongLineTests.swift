import Foundation
import Testing

/// A payload line wider than the terminal, in the real browser: `w` wraps it, `>` scrolls to its end.
@Suite(.serialized, .enabled(if: Tmux.available)) struct BrowserLongLineTests {
    static let url = "https://sodar.example.org/irods/" + String(repeating: "x", count: 150) + "/END-OF-URL"

    @Test func wWrapsTheLineAndGreaterThanShowsItsEnd() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "Alpha"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let payload = #"{"hub": {"url": "\#(Self.url)", "files": 3}}"#
        #expect(try cli.run(["set", "samplesheets", "track_hubs", "-p", project, "--data", payload]).status == 0)
        let tmux = try BrowserActionTests.browse(cli)
        try BrowserActionTests.openItems(tmux)
        _ = try tmux.waitFor(text: "track_hubs")
        try tmux.send("Enter")
        // Cut at the edge: the end of the URL is not on screen, the mark is.
        let cut = try tmux.waitFor(text: #""url": "https://sodar.example.org/irods/xxx"#)
        #expect(!cut.contains("END-OF-URL"))
        #expect(cut.split(separator: "\n").contains { $0.hasPrefix(#"      "url": "#) && $0.hasSuffix("x›") })
        try tmux.send("w")
        // Wrapped: the continuation rows start under the value, after `"url": `.
        let wrapped = try tmux.waitFor(text: "END-OF-URL")
        let rows = wrapped.split(separator: "\n", omittingEmptySubsequences: false)
        let first = try #require(rows.firstIndex { $0.hasPrefix(#"      "url": ""#) })
        #expect(rows[first + 1].hasPrefix(String(repeating: " ", count: 13) + "xxx"))
        #expect(rows[first + 2].hasPrefix(String(repeating: " ", count: 13)) && rows[first + 2].hasSuffix(#"/END-OF-URL","#))
        #expect(rows[first + 3] == #"      "files": 3"#)
        // Cut again, then scrolled sideways to the end of the line.
        try tmux.send("w")
        try tmux.waitFor("the line cut again") { !$0.contains("END-OF-URL") }
        try tmux.send(">", ">", ">")
        let scrolled = try tmux.waitFor(text: #"/END-OF-URL","#)
        #expect(scrolled.split(separator: "\n").contains { $0.hasPrefix(" ‹") && $0.hasSuffix(#"/END-OF-URL","#) })
        try tmux.send("<", "<", "<")
        _ = try tmux.waitFor(text: #""url": "https://sodar"#)
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
    }
}
