import Foundation
import Testing

/// Issue 20, point 3: the real browser lists an item's versions (`H`) and diffs one against the
/// current payload (`Enter`), jumping between its changes (`]`).
@Suite(.serialized, .enabled(if: Tmux.available)) struct BrowserVersionTests {
    @Test func hListsTheVersionsEnterDiffsOneAndBracketJumpsToTheNextChange() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "Alpha"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for data in [#"{"rows": [1, 2, 3], "title": "Liver", "x": 1}"#, #"{"rows": [1, 9, 2, 3], "title": "Liver cohort", "x": 1}"#] {
            #expect(try cli.run(["set", "samplesheets", "study", "-p", project, "--data", data, "--user", "jdoe"]).status == 0)
        }
        let tmux = try BrowserActionTests.browse(cli)
        try BrowserActionTests.openItems(tmux)
        _ = try tmux.waitFor(text: "study")
        try tmux.send("H")
        let list = try tmux.waitFor(text: "revision 1")
        #expect(list.contains("Versions · samplesheets · study"))
        #expect(list.contains(" current "))
        try tmux.send("Enter")
        let diff = try tmux.waitFor(text: "2 changes: 1 changed, 1 added, 0 removed")
        #expect(diff.contains("+     9,"), "\(diff)")
        #expect(diff.contains("Change 1/2 .rows[1]"), "\(diff)")
        try tmux.send("]")
        let next = try tmux.waitFor(text: "Change 2 of 2: .title")
        #expect(next.contains(#"-   "title": "Liver","#), "\(next)")
        #expect(next.contains(#"+   "title": "Liver cohort","#), "\(next)")
        try tmux.send("Escape")
        _ = try tmux.waitFor(text: "Enter diff")
        try tmux.send("Escape")
        _ = try tmux.waitFor(text: "Enter open")
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
    }
}
