import CacheBrowser
import CacheBrowserRuntime
import Foundation
import JSONKit
import SodarCache
import StoreKernel
import Testing

/// Issue 20, point 3: `H` lists an item's versions (history and trash), `Enter` diffs one
/// against the current payload, `]`/`[` jump between its changes.
@Suite struct VersionListTests {
    static let alphaShortcuts = "irods/shortcuts/assay/aaaa"

    /// The fixture's store on a clock the test sets before each write.
    static func source(clock: Locked<Date>) -> FakeSource {
        FakeSource(
            projects: [Fixture.cancer, Fixture.alpha, Fixture.beta, Fixture.germline, Fixture.tokyo, Fixture.zeta],
            items: Fixture.entries.map(\.0), clock: { clock.withLock { $0 } })
    }

    /// Writes `json` over Project Alpha's shortcuts item at `ago` seconds before the fixture's now.
    static func write(_ source: FakeSource, _ clock: Locked<Date>, _ json: String, ago: TimeInterval, user: String = "alice") throws {
        clock.withLock { $0 = Fixture.now.addingTimeInterval(-ago) }
        _ = try source.engine.setCacheItem(
            appName: "samplesheets", name: alphaShortcuts, data: Data(json.utf8), dataType: "json", project: Fixture.alpha.uuid,
            user: User(username: user))
    }

    static let first = #"{"shortcuts": {"results_reports": true, "misc_files": false, "track_hubs": ["/sodarZone/projects/00/hub1", "/sodarZone/projects/00/hub2"]}}"#
    static let second = #"{"shortcuts": {"results_reports": true, "misc_files": true, "track_hubs": ["/sodarZone/projects/00/hub1", "/sodarZone/projects/00/hub3"]}}"#

    /// Revision 1 (the fixture's payload), a delete that kept the second payload, then two writes:
    /// revision 2 and the current payload.
    static func history() throws -> FakeSource {
        let clock = Locked(Fixture.now.addingTimeInterval(-4000))
        let source = source(clock: clock)
        try write(source, clock, second, ago: 3000, user: "bob")
        clock.withLock { $0 = Fixture.now.addingTimeInterval(-2000) }
        let uuid = try #require(source.allItems.first { $0.name == alphaShortcuts }?.uuid)
        #expect(try source.engine.deleteItems(uuids: [uuid]) == 1)
        try write(source, clock, first, ago: 1500)
        try write(source, clock, second, ago: 600, user: "carol")
        return source
    }

    static func browser(_ source: FakeSource, width: Int = 100, height: Int = 24) -> ScriptedBrowser {
        let browser = Fixture.browser(source: source, width: width, height: height)
        ActionTests.alphaItems(browser)
        return browser
    }

    static func status(_ browser: ScriptedBrowser) -> String { row(browser.screen, browser.state.layout.statusRow) }

    /// The history's browser with revision 1's diff open (H, down to it, Enter).
    static func revisionOneDiff(width: Int = 100, height: Int = 24) throws -> ScriptedBrowser {
        let browser = browser(try history(), width: width, height: height)
        browser.press(.char("H"), .down, .down, .enter)
        return browser
    }

    /// Revision 1's diff at 100x24 from its first line, with `status` on the status line.
    static func revisionOneDiffScreen(status: String) -> String {
        """
         sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 680 B · 1 site-wide
         Diff     samplesheets · irods/shortcuts/assay/aaaa
         Old    - revision 1 · written 2027-01-15 07:57:00 by alice · 132 B
         New    + current · written 2027-01-15 07:50:00 by carol · 138 B
         2 changes: 2 changed, 0 added, 0 removed

        ────────────────────────────────────────────────────────────────────────────────────────────────────
          {
            "shortcuts": {
              "results_reports": true,
        -     "misc_files": false,
        +     "misc_files": true,
              "track_hubs": [
                "/sodarZone/projects/00/hub1",
        -       "/sodarZone/projects/00/hub2"
        +       "/sodarZone/projects/00/hub3"
              ]
            }
          }



        \(status)
        ] next change  [ previous  Esc back  ? help  q quit
        """
    }

    // MARK: - The list

    @Test func hListsTheCurrentVersionThenRevisionsAndTrashedCopiesNewestFirst() throws {
        let browser = Self.browser(try Self.history())
        browser.press(.char("H"))
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 680 B · 1 site-wide
             Versions · samplesheets · irods/shortcuts/assay/aaaa                                           2/4
             current      2027-01-15 07:50:00  carol         138 B  (10m ago)
             revision 2   2027-01-15 07:35:00  alice         139 B  replaced 2027-01-15 07:50:00
             trash 1      2027-01-15 07:10:00  bob           138 B  deleted 2027-01-15 07:26:40 by jdoe (delete)
             revision 1   2027-01-15 07:57:00  alice         132 B  replaced 2027-01-15 07:10:00

















            Enter diff  Esc back  r reload  ? help  q quit
            """)
    }
}

extension VersionListTests {
    // MARK: - The diff

    @Test func enterDiffsTheVersionAgainstTheCurrentPayloadWithFoldedContext() throws {
        let browser = try Self.revisionOneDiff()
        expectScreen(browser.screen, Self.revisionOneDiffScreen(status: "Change 1/2 .shortcuts.misc_files"))
        browser.press(.char("]"))
        expectScreen(browser.screen, Self.revisionOneDiffScreen(status: "Change 2 of 2: .shortcuts.track_hubs[1]"))
        browser.press(.char("]"))
        #expect(Self.status(browser) == "No change below")
        browser.press(.char("["))
        #expect(Self.status(browser) == "Change 1 of 2: .shortcuts.misc_files")
        browser.press(.char("["))
        #expect(Self.status(browser) == "No change above")
        browser.press(.escape)
        #expect(row(browser.screen, 1).hasPrefix(" Versions · samplesheets"))
        browser.press(.escape)
        #expect(browser.state.versions == nil)
        #expect(browser.state.pane == .items)
    }

    @Test func aVersionEqualToTheCurrentOneSaysSo() throws {
        let browser = try Self.revisionOneDiff()
        // Trash 1 kept the second payload, which the current one holds again.
        browser.press(.escape, .up, .enter)
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 680 B · 1 site-wide
             Diff     samplesheets · irods/shortcuts/assay/aaaa
             Old    - trash 1 · written 2027-01-15 07:10:00 by bob · 138 B
             New    + current · written 2027-01-15 07:50:00 by carol · 138 B
             The two are equal: no change

            ────────────────────────────────────────────────────────────────────────────────────────────────────
              The two are equal: no change















            ] next change  [ previous  Esc back  ? help  q quit
            """)
    }

    @Test func fromThePayloadHListsAndEscGoesBackToIt() throws {
        let browser = Self.browser(try Self.history())
        browser.press(.enter)
        #expect(browser.state.pane == .payload)
        browser.press(.char("H"))
        #expect(row(browser.screen, 1).hasPrefix(" Versions · samplesheets · irods/shortcuts/assay/aaaa"))
        browser.press(.char("h"))
        #expect(browser.state.versions == nil)
        #expect(browser.state.pane == .payload)
        #expect(row(browser.screen, 1).hasPrefix(" Project"))
    }

    // MARK: - Nothing to list

    @Test func aStoreWithoutHistoryOrTrashSaysSoInsteadOfAnEmptyList() throws {
        let source = Fixture.source()
        source.keepsVersions = false
        let browser = Self.browser(source)
        browser.press(.char("H"))
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Versions · samplesheets · irods/shortcuts/assay/aaaa                                           1/1
             current      2027-01-15 07:57:00  alice         132 B  (3m ago)

              This store keeps no history of items (a SODAR site keeps it only with a local store)
              This store keeps no trash: deleted copies cannot be listed

















            Enter diff  Esc back  r reload  ? help  q quit
            """)
        browser.press(.enter)
        #expect(Self.status(browser) == "This is the current version: pick an earlier one to compare with it")
    }

    @Test func historyOffAndNoVersionsYetAreSaid() throws {
        let source = Fixture.source()
        let browser = Self.browser(source)
        browser.press(.char("H"))
        #expect(browser.screen.text.contains("No earlier versions kept: an overwrite with other data keeps the one it replaces"))
        browser.press(.escape)
        try source.engine.applyHistoryPolicy(HistoryPolicy(versions: 5, perApp: ["samplesheets": 0], maxBytes: 1 << 20))
        browser.press(.char("H"))
        #expect(browser.screen.text.contains("History is off for samplesheets ([history] versions = 0): overwrites keep no versions"))
    }

    // MARK: - Untrusted text, small terminals

    @Test func escapeSequencesInKeysAndValuesAreShownEscaped() throws {
        let clock = Locked(Fixture.now.addingTimeInterval(-4000))
        let source = Self.source(clock: clock)
        try Self.write(source, clock, #"{"\u001b]52;c;aGk=\u0007": "\u001b[2J old \u009b31m", "k": [1]}"#, ago: 3000)
        try Self.write(source, clock, #"{"\u001b]52;c;aGk=\u0007": "\u001b[2J new \u009b31m", "k": [1, "\u001b[31m"]}"#, ago: 1000)
        let browser = Self.browser(source)
        browser.press(.char("H"), .enter)
        expectScreen(browser.screen, #"""
             sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 619 B · 1 site-wide
             Diff     samplesheets · irods/shortcuts/assay/aaaa
             Old    - revision 2 · written 2027-01-15 07:10:00 by alice · 63 B
             New    + current · written 2027-01-15 07:43:20 by alice · 77 B
             2 changes: 1 changed, 1 added, 0 removed

            ────────────────────────────────────────────────────────────────────────────────────────────────────
              {
            -   "\u001b]52;c;aGk=\u0007": "\u001b[2J old \u009b31m",
            +   "\u001b]52;c;aGk=\u0007": "\u001b[2J new \u009b31m",
                "k": [
                  1,
            +     "\u001b[31m"
                ]
              }







            Change 1/2 .["\u001b]52;c;aGk=\u0007"]
            ] next change  [ previous  Esc back  ? help  q quit
            """#)
        for cell in browser.screen.cells {
            #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
    }

    @Test func aTinyTerminalShowsTheChangesWithoutTheRecord() throws {
        let browser = try Self.revisionOneDiff(width: 40, height: 10)
        expectScreen(browser.screen, """
             sodarcache 4 projects · 2 categories ·…
            -revision 1 +current · 2 changes: 2 cha…
            ────────────────────────────────────────
                  "results_reports": true,
            -     "misc_files": false,
            +     "misc_files": true,
                  "track_hubs": [
                    "/sodarZone/projects/00/hub1",
            Change 1/2 .shortcuts.misc_files
            ] next change  [ previous  Esc back
            """)
        browser.press(.char("]"))
        #expect(Self.status(browser).hasPrefix("Change 2 of 2"))
        browser.send(.resize(width: 30, height: 6))
        #expect(browser.screen.text.hasPrefix("terminal too small"))
    }

    @Test func escOnADiffStillComparingStopsIt() throws {
        let browser = Self.browser(try Self.history())
        browser.press(.char("H"), .down, .down)
        var state = browser.state
        guard case .loadDiff(let request)? = state.update(.key(.enter)).first else {
            Issue.record("no diff asked for")
            return
        }
        #expect(state.versions?.diff?.loading == true)
        #expect(state.update(.key(.escape)) == [.cancelDiff])
        #expect(state.versions?.diff == nil)
        // Its answer, had it come, is dropped; a diff that has answered has nothing to stop.
        _ = state.update(.diffFailed(generation: request.generation, message: "late"))
        #expect(state.versions?.diff == nil)
        browser.press(.enter)
        #expect(browser.state.versions?.diff?.loading == false)
        var answered = browser.state
        #expect(answered.update(.key(.escape)) == [])
    }

    // MARK: - Long lines

    /// A 100-column string that did not change, beside a number that did, in a 60x14 terminal.
    static func longLineDiff() throws -> ScriptedBrowser {
        let clock = Locked(Fixture.now.addingTimeInterval(-4000))
        let source = Self.source(clock: clock)
        let digits = String(repeating: "0123456789", count: 10)
        try Self.write(source, clock, #"{"note": "\#(digits)", "n": 1}"#, ago: 3000)
        try Self.write(source, clock, #"{"note": "\#(digits)", "n": 2}"#, ago: 1000)
        let browser = Self.browser(source, width: 60, height: 14)
        browser.press(.char("H"), .enter)
        return browser
    }

    @Test func longLinesScrollSidewaysWithThePayloadsKeys() throws {
        let browser = try Self.longLineDiff()
        // Cut at the edge, a dim `›` there as in the payload.
        expectScreen(browser.screen, """
             sodarcache 4 projects · 2 categories · 7 items · 662 B · 1…
            -revision 2 +current · 1 change: 1 changed, 0 added, 0 remo…
            ────────────────────────────────────────────────────────────
              {
                "note": "0123456789012345678901234567890123456789012345›
            -   "n": 1
            +   "n": 2
              }




            Change 1/1 .n
            ] next change  [ previous  Esc back  ? help  q quit
            """)
        // Half the text's width (29 of 58 columns) to the right, a dim `‹` on every row.
        browser.press(.char(">"))
        expectScreen(browser.screen, """
             sodarcache 4 projects · 2 categories · 7 items · 662 B · 1…
            -revision 2 +current · 1 change: 1 changed, 0 added, 0 remo…
            ────────────────────────────────────────────────────────────
             ‹
             ‹890123456789012345678901234567890123456789012345678901234›
            -‹
            +‹
             ‹




            From column 30 of the lines (< goes back)
            ] next change  [ previous  Esc back  ? help  q quit
            """)
        // Half the text's width a step, no further than the longest line on screen needs.
        browser.press(.char(">"))
        #expect(Self.status(browser) == "From column 56 of the lines (< goes back)")
        browser.press(.char(">"))
        #expect(Self.status(browser) == "No line on screen goes on to the right")
        browser.press(.char("<"))
        #expect(Self.status(browser) == "From column 27 of the lines (< goes back)")
        browser.press(.char("<"))
        #expect(Self.status(browser) == "At the left edge")
        #expect(browser.state.versions?.diff?.shift == 0)
        browser.press(.char("<"))
        #expect(Self.status(browser) == "At the left edge")
        // A diff opened again starts at the left.
        browser.press(.char(">"), .escape, .enter)
        #expect(browser.state.versions?.diff?.shift == 0)
    }

    // MARK: - The rows, as data

    @Test func unchangedLinesFarFromAChangeAreFoldedAndTheFoldSaysHowMany() throws {
        let old = Data(#"{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9, "j": 10}"#.utf8)
        let new = Data(#"{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 60, "g": 7, "h": 8, "i": 9, "j": 10}"#.utf8)
        let lines = try DiffLines.build(old: old, new: new, context: 2)
        #expect(lines.rows.map(\.text) == [
            "⋯ 4 unchanged lines", #"  "d": 4,"#, #"  "e": 5,"#, #"  "f": 6,"#, #"  "f": 60,"#, #"  "g": 7,"#, #"  "h": 8,"#,
            "⋯ 3 unchanged lines",
        ])
        #expect(lines.changeStarts == [3])
        #expect(lines.paths == [".f"])
        #expect(lines.summary == "1 change: 1 changed, 0 added, 0 removed")
    }

    @Test func anArrayComparedByPositionAndAnEqualPairAreSaid() throws {
        let old = Data("[1, 2, 3, 4]".utf8)
        let new = Data("[0, 1, 2, 3, 4, 5]".utf8)
        let bounded = try DiffLines.build(old: old, new: new, options: JSONDiffOptions(maxAlignmentWork: 0))
        #expect(bounded.paths == [".[0]", ".[1]", ".[2]", ".[3]", ".[4]", ".[5]"])
        #expect(bounded.notes == [".: compared position by position past the alignment bound (an insertion there may show as later elements changed)"])
        let found = try DiffLines.build(old: old, new: new)
        #expect(found.notes.isEmpty)
        #expect(found.paths == [".[0]", ".[5]"])
        let equal = try DiffLines.build(old: Data(#"{"a": [1, 2]}"#.utf8), new: Data(#"{ "a":[1,2] }"#.utf8))
        #expect(equal.isEqual && equal.rows.isEmpty && equal.summary == "The two are equal: no change")
    }

    // MARK: - Keys

    @Test func theKeysAreInTheHelpAndTheHintBars() throws {
        let help = BrowserView.helpLines(.standard)
        #expect(help.contains("Versions (H)") && help.contains("Diff"))
        #expect(help.filter { $0.hasPrefix("  H ") && $0.hasSuffix(" the item's versions: history and trash (Enter: diff against current)") }.count == 2)
        #expect(help.contains { $0.hasPrefix("  ] ") && $0.hasSuffix(" next change") })
        #expect(help.contains { $0.hasPrefix("  [ ") && $0.hasSuffix(" previous change") })
        let browser = Self.browser(try Self.history(), width: 120)
        browser.press(.enter)
        #expect(row(browser.screen, 23).contains("  H diff  "))
        browser.press(.char("H"))
        #expect(row(browser.screen, 23) == "Enter diff  Esc back  r reload  ? help  q quit")
        browser.press(.enter)
        #expect(row(browser.screen, 23) == "] next change  [ previous  Esc back  ? help  q quit")
    }
}
