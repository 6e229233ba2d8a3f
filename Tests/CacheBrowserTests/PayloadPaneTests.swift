import CacheBrowser
import CacheBrowserRuntime
import Foundation
import JSONKit
import SodarCache
import StoreKernel
import Testing

@Suite struct PayloadPaneTests {
    /// Opens Project Alpha / samplesheets / irods/shortcuts/assay/aaaa.
    func openShortcuts(width: Int = 80, height: Int = 24) -> ScriptedBrowser {
        let browser = Fixture.browser(width: width, height: height)
        browser.press(.down, .down, .enter, .enter, .enter)
        return browser
    }

    @Test func payloadShowsTheRecordAndThePrettyColouredJSON() {
        let browser = openShortcuts()
        expectScreen(browser.screen, """
             sodarcache /srv/cac… 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Project   Cancer Research / Project Alpha
             App       samplesheets                           User      alice
             Name      irods/shortcuts/assay/aaaa
             UUID      00000000-0000-4000-8000-000000000101   Size      132 B
             Modified  2027-01-15 07:57:00 +0000 (GMT) (3m ago)
            ────────────────────────────────────────────────────────────────────────────────
            ▾ {
            ▾   "shortcuts": {
                  "results_reports": true,
                  "misc_files": false,
            ▾     "track_hubs": [
                    "/sodarZone/projects/00/hub1",
                    "/sodarZone/projects/00/hub2"
                  ]
                }
              }





            .
            Enter fold  z all  Z none  / search  n next  Esc back  ? help  q quit  y copy
            """)
        let screen = browser.screen
        #expect(screen[8, 4].style.role == .key)  // "shortcuts"
        #expect(screen[9, 26].style.role == .literal)  // true
        #expect(screen[12, 8].style.role == .string)
        // The cursor line is reversed.
        #expect(screen[7, 2].style.reverse && !screen[8, 2].style.reverse)
    }

    @Test func enterFoldsAndUnfoldsAndTheStatusShowsThePath() {
        let browser = openShortcuts()
        browser.press(.down)
        #expect(row(browser.screen, 22) == ".shortcuts")
        browser.press(.enter)
        #expect(row(browser.screen, 8) == #"▸   "shortcuts": {…}  3 keys"#)
        #expect(row(browser.screen, 9) == "  }")
        browser.press(.char(" "))
        #expect(row(browser.screen, 9) == #"      "results_reports": true,"#)
        // Enter inside a container folds the container around the cursor and moves there.
        browser.press(.down, .down, .down, .down)
        #expect(row(browser.screen, 22) == ".shortcuts.track_hubs[0]")
        browser.press(.enter)
        #expect(row(browser.screen, 11) == #"▸     "track_hubs": […]  2 items"#)
        #expect(row(browser.screen, 22) == ".shortcuts.track_hubs")
        #expect(row(browser.screen, 12) == "    }")
    }

    @Test func foldAllAndUnfoldAll() {
        let browser = openShortcuts()
        browser.press(.down, .down, .char("z"))
        #expect(row(browser.screen, 7) == "▸ {…}  1 key")
        #expect(row(browser.screen, 8) == "")
        // Unfolding the root shows its children still folded.
        browser.press(.enter)
        #expect(row(browser.screen, 8) == #"▸   "shortcuts": {…}  3 keys"#)
        #expect(row(browser.screen, 9) == "  }")
        browser.press(.char("Z"))
        #expect(row(browser.screen, 14) == "      ]")
    }

    @Test func movingOverFoldedNodesSkipsTheirBodies() {
        let browser = openShortcuts()
        browser.press(.down, .enter, .down)
        #expect(browser.state.payload?.cursor == 9)
        #expect(row(browser.screen, 22) == ".")
        browser.press(.up, .up)
        #expect(browser.state.payload?.cursor == 0)
        browser.press(.char("G"))
        #expect(browser.state.payload?.cursor == 9)
        browser.press(.char("g"))
        #expect(browser.state.payload?.cursor == 0)
    }

    @Test func searchFindsUnfoldsAndRepeats() {
        let browser = openShortcuts()
        browser.press(.char("z"), .char("/"))
        browser.type("HUB")
        #expect(row(browser.screen, 22) == "Search: HUB█")
        browser.press(.enter)
        // The match was inside folded nodes: they open to show it.
        #expect(browser.state.payload?.cursor == 4)
        #expect(row(browser.screen, 22) == "/HUB: .shortcuts.track_hubs (line 5)")
        // The first match is the folded "track_hubs" line itself: its parents open, it stays folded.
        #expect(row(browser.screen, 11) == #"▸     "track_hubs": […]  2 items"#)
        #expect(browser.screen[11, 2].style.reverse)
        browser.press(.char("n"))
        #expect(browser.state.payload?.cursor == 5)
        #expect(row(browser.screen, 11) == #"▾     "track_hubs": ["#)
        browser.press(.char("n"))
        #expect(browser.state.payload?.cursor == 6)
        browser.press(.char("n"))
        #expect(browser.state.payload?.cursor == 4)
        #expect(row(browser.screen, 22) == "/HUB: .shortcuts.track_hubs (line 5) (wrapped)")
        browser.press(.char("N"))
        #expect(browser.state.payload?.cursor == 6)
        browser.press(.char("/"))
        browser.type("no such text")
        browser.press(.enter)
        #expect(row(browser.screen, 22) == "Not found: no such text")
        #expect(browser.state.payload?.cursor == 6)
    }

    @Test func longPayloadsScrollWithTheCursor() {
        let long = TestJSON.array((0..<100).map { .number(String($0)) })
        let (item, json) = Fixture.item(50, nil, "sodarcache", "long", age: 10, json: long)
        let source = FakeSource(projects: [], items: [item])
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: "x.db"), now: Fixture.now, width: 60, height: 12,
            timeZone: Fixture.utc, buildDocument: { _ in TreeDocument(json) })
        browser.press(.enter, .enter, .enter)
        #expect(browser.state.pane == .payload)
        // 12 rows: header, 2 record rows, 7 payload rows, status, hints.
        #expect(row(browser.screen, 3) == "▾ [")
        browser.press(.pageDown)
        #expect(browser.state.payload?.cursor == 7)
        #expect(row(browser.screen, 9).hasPrefix("    6,"))
        browser.press(.char("G"))
        #expect(row(browser.screen, 9) == "  ]")
        #expect(row(browser.screen, 3) == "    94,")
    }

    @Test func wideAndControlCharactersInPayloadsStayInTheirColumns() {
        let browser = Fixture.browser(width: 80, height: 24)
        browser.press(.char("G"), .up, .enter, .enter, .enter)
        let screen = browser.screen
        #expect(row(screen, 3) == #" Name      irods/\u001b[31mred\u0007"#)
        #expect(row(screen, 9) == #"      "山田 太郎": "/sodarZone/bam/yamada.bam","#)
        #expect(row(screen, 10) == #"      "🧬": null"#)
        // After the wide key the value starts where the widths say it does.
        #expect(screen[9, 20].text == "/")
    }

    @Test func anItemDeletedMeanwhileSaysSo() {
        let source = Fixture.source()
        let browser = Fixture.browser(source: source)
        browser.press(.down, .down, .enter, .enter)
        source.remove(uuid: Fixture.uuid(101))
        browser.press(.enter)
        #expect(browser.screen.text.contains("This item is gone (deleted since the list was loaded)"))
        #expect(browser.state.pane == .payload)
    }

    @Test func invalidJSONShowsTheErrorInsteadOfAPayload() {
        let (item, _) = Fixture.item(60, nil, "sodarcache", "broken", age: 10)
        let source = FakeSource(projects: [], items: [item])
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: "x.db"), now: Fixture.now, timeZone: Fixture.utc,
            buildDocument: { _ in throw JSONError(line: 1, column: 7, message: "expected a value") })
        browser.press(.enter, .enter, .enter)
        #expect(browser.screen.text.contains("Invalid JSON: line 1, column 7: expected a value"))
    }

    @Test func aSlowPayloadShowsASpinnerUntilItArrives() {
        var state = BrowserState(options: BrowserOptions(storePath: "x.db"), now: Fixture.now, timeZone: Fixture.utc)
        let summary = ItemSummary(
            uuid: Fixture.uuid(1), project: nil, appName: "a", name: "big", user: nil, dateModified: Fixture.now,
            size: 50 << 20)
        state.pane = .items
        state.items.rows = [summary]
        state.items.loaded = true
        let effects = state.update(.key(.enter))
        guard case .loadPayload(let generation, let uuid)? = effects.first else {
            Issue.record("expected a payload load, got \(effects)")
            return
        }
        #expect(uuid == summary.uuid)
        #expect(BrowserView.render(state).text.contains("preparing the payload (50.0 MiB)…"))
        _ = state.update(.tick(Fixture.now.addingTimeInterval(0.1)))
        #expect(row(BrowserView.render(state), 22).hasSuffix("loading"))
        let item = CacheItem(
            uuid: summary.uuid, project: nil, appName: "a", name: "big", user: nil, data: Data("[1]".utf8),
            dateModified: Fixture.now)
        // A stale answer (an older generation) is ignored.
        _ = state.update(
            .payloadLoaded(generation: generation - 1, item: item, projectTitle: nil, document: TreeDocument(.array([]))))
        #expect(state.payload?.loading == true)
        _ = state.update(
            .payloadLoaded(
                generation: generation, item: item, projectTitle: "(site-wide)",
                document: TreeDocument(.array([.number("1")]))))
        #expect(row(BrowserView.render(state), 7) == "▾ [")
    }

    @Test func saveWritesPrettyJSONToAFile() throws {
        let browser = openShortcuts()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("browser-save-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        browser.press(.char("e"))
        #expect(row(browser.screen, 22) == "Write JSON to file (empty: stdout after exit): █")
        browser.type(path)
        browser.press(.enter)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\"track_hubs\""))
        #expect(written.hasSuffix("\n"))
        #expect(row(browser.screen, 22).hasPrefix("Wrote "))
        #expect(browser.state.stdoutAfterExit == nil)
    }

    @Test func saveWithAnEmptyNameKeepsTheJSONForStdoutAfterExit() {
        let browser = openShortcuts()
        browser.press(.char("e"), .enter)
        let text = browser.state.stdoutAfterExit.map { String(decoding: $0, as: UTF8.self) }
        #expect(text?.contains("/sodarZone/projects/00/hub2") == true)
        #expect(row(browser.screen, 22).hasPrefix("The JSON ("))
    }

    @Test func saveToAnUnwritablePathReportsIt() {
        let browser = openShortcuts()
        browser.press(.char("e"))
        browser.type("/nonexistent-dir/x.json")
        browser.press(.enter)
        #expect(row(browser.screen, 22).hasPrefix("Not written: cannot create a file in /nonexistent-dir"))
    }
}

@Suite struct JSONDocumentAdapterTests {
    /// JSONKit's document and the test's own printer give the same screens, folded and not.
    @Test(arguments: Fixture.entries.indices)
    func realAndReferenceDocumentsRenderTheSame(index: Int) {
        var item = Fixture.entries[index].0
        item.project = nil
        let real = Fixture.browser(source: FakeSource(projects: [], items: [item]), builder: Fixture.builder)
        let reference = Fixture.browser(source: FakeSource(projects: [], items: [item]), builder: Fixture.treeBuilder)
        for browser in [real, reference] { browser.press(.enter, .enter, .enter) }
        #expect(real.state.pane == .payload)
        #expect(real.state.payload?.document != nil)
        let keys: [Key] = [
            .down, .enter, .down, .down, .enter, .char("z"), .enter, .down, .enter, .char("G"), .up, .enter, .char("Z"),
            .char("G"), .up, .up, .enter,
        ]
        #expect(real.screen.text == reference.screen.text)
        for key in keys {
            real.press(key)
            reference.press(key)
            #expect(real.screen.text == reference.screen.text, "after \(key)")
            #expect(real.state.payload?.cursor == reference.state.payload?.cursor)
        }
    }
}
