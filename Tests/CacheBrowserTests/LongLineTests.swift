import CacheBrowser
import CacheBrowserRuntime
import Foundation
import JSONKit
import SodarCache
import Testing

/// `w` wraps long payload lines under their value; without it `>`/`<` scroll them sideways.
@Suite struct LongLineTests {
    static let hub = "/sodarZone/projects/f5/f52e7d08/sample_data/study_0b5ff33c/assay_1f127a82/TrackHubs/hub1"
    static let json = #"{"path": "\#(hub)", "n": 1, "list": ["short", "a-very-long-element-that-goes-past-the-edge-of-a-sixty-column-pane"]}"#

    static func item(_ n: Int, _ name: String, _ json: String) -> CacheItem {
        CacheItem(
            uuid: Fixture.uuid(200 + n), project: nil, appName: "sodarcache", name: name, user: nil, data: Data(json.utf8),
            dateModified: Fixture.now)
    }

    /// Site-wide items -> the first one's payload, through JSONKit's real document. At 60x16 the
    /// payload takes rows 3-13 (11 rows); the status line is row 14.
    static func open(_ json: String = json, more: [CacheItem] = [], width: Int = 60, height: Int = 16) -> ScriptedBrowser {
        let source = FakeSource(projects: [], items: [item(0, "a/long", json)] + more)
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: "x.db"), now: Fixture.now, width: width, height: height,
            timeZone: Fixture.utc, buildDocument: JSONPayloadDocument.build)
        browser.press(.enter, .enter, .enter)
        return browser
    }

    static func reversed(_ screen: Screen, _ row: Int) -> Bool {
        (0..<screen.width).allSatisfy { screen[row, $0].style.reverse }
    }

    // MARK: - Wrapping

    @Test func wWrapsALongLineWithItsRowsUnderTheValue() {
        let browser = Self.open()
        // Cut: the line ends in a dim mark in the last column.
        #expect(row(browser.screen, 4) == #"    "path": "/sodarZone/projects/f5/f52e7d08/sample_data/st›"#)
        #expect(browser.screen[4, 59].style.role == .dim)
        browser.press(.char("w"))
        #expect(row(browser.screen, 4) == #"    "path": "/sodarZone/projects/f5/f52e7d08/sample_data/stu"#)
        #expect(row(browser.screen, 5) == #"            dy_0b5ff33c/assay_1f127a82/TrackHubs/hub1","#)
        #expect(browser.screen[5, 12].style.role == .string)
        #expect(row(browser.screen, 6) == #"    "n": 1,"#)
        // An array element has no key: its rows go under its own start.
        #expect(row(browser.screen, 9) == #"      "a-very-long-element-that-goes-past-the-edge-of-a-sixt"#)
        #expect(row(browser.screen, 10) == #"      y-column-pane""#)
        #expect(row(browser.screen, 14) == "Long lines wrap (w: cut them at the edge)")
        browser.press(.char("w"))
        #expect(row(browser.screen, 5) == #"    "n": 1,"#)
        #expect(row(browser.screen, 14).hasPrefix("Long lines cut at the edge"))
    }

    @Test func theCursorMovesByJSONLineAndCoversItsWholeBlock() {
        let browser = Self.open()
        browser.press(.char("w"), .down)
        var screen = browser.screen
        #expect(browser.state.payload?.cursor == 1)
        #expect(Self.reversed(screen, 4) && Self.reversed(screen, 5))
        #expect(!Self.reversed(screen, 6))
        #expect(row(screen, 14) == ".path")
        browser.press(.down)
        screen = browser.screen
        #expect(browser.state.payload?.cursor == 2)
        #expect(!Self.reversed(screen, 5) && Self.reversed(screen, 6))
        #expect(row(screen, 14) == ".n")
        browser.press(.up)
        #expect(browser.state.payload?.cursor == 1)
    }

    @Test func foldingAndSearchWorkOnWrappedLines() {
        let browser = Self.open()
        browser.press(.char("w"), .down, .down, .down, .enter)
        #expect(row(browser.screen, 7) == #"▸   "list": […]  2 items"#)
        #expect(row(browser.screen, 8) == "  }")
        browser.press(.char("/"))
        browser.type("sixty")
        browser.press(.enter)
        // The match is inside the folded list: it opens, and the cursor's two rows show.
        #expect(browser.state.payload?.cursor == 5)
        #expect(row(browser.screen, 14) == "/sixty: .list[1] (line 6)")
        #expect(row(browser.screen, 7) == #"▾   "list": ["#)
        #expect(Self.reversed(browser.screen, 9) && Self.reversed(browser.screen, 10))
        browser.press(.char("g"), .char("n"))
        #expect(browser.state.payload?.cursor == 5)
    }

    @Test func scrollingKeepsTheCursorsRowsOnScreenAndPagesCountRows() throws {
        // 20 elements of two rows each at 60 columns, after the opening bracket.
        let elements = (0..<20).map { #""element-\#($0)-\#(String(repeating: "x", count: 60))""# }
        let browser = Self.open("[" + elements.joined(separator: ",") + "]")
        browser.press(.char("w"))
        browser.press(.down, .down, .down, .down, .down, .down)
        var payload = try #require(browser.state.payload)
        // Lines 2-6 take ten rows; line 1 would make twelve.
        #expect(payload.cursor == 6)
        #expect(payload.top == 2)
        #expect(Self.reversed(browser.screen, 11) && Self.reversed(browser.screen, 12))
        #expect(row(browser.screen, 3).hasPrefix(#"    "element-1-"#))
        // A page is the lines that fill eleven rows: five of two rows.
        browser.press(.pageDown)
        payload = try #require(browser.state.payload)
        #expect(payload.cursor == 11)
        #expect(payload.top == 7)
        browser.press(.pageUp)
        #expect(browser.state.payload?.cursor == 6)
        #expect(browser.state.payload?.top == 6)
        // The last line's rows show in full at the bottom.
        browser.press(.char("G"))
        #expect(row(browser.screen, 13) == "  ]")
        #expect(row(browser.screen, 11).hasPrefix(#"    "element-19-"#))
    }

    @Test func aClickOnAWrappedRowSelectsItsLineAndTheWheelKeepsItsRowsOnScreen() {
        let elements = (0..<20).map { #""element-\#($0)-\#(String(repeating: "x", count: 60))""# }
        let browser = Self.open("[" + elements.joined(separator: ",") + "]")
        browser.press(.char("w"))
        // Screen row 6 is the second row of line 2 (rows 3: `[`, 4-5: line 1, 6-7: line 2).
        browser.send(.mouse(MouseEvent(.press, row: 6, column: 20)))
        #expect(browser.state.payload?.cursor == 2)
        browser.send(.mouse(MouseEvent(.press, row: 8, column: 20)))
        #expect(browser.state.payload?.cursor == 3)
        // Down by three lines, no further than the last lines' rows fill the pane.
        for _ in 0..<10 { browser.send(.mouse(MouseEvent(.wheelDown, row: 8, column: 20))) }
        let payload = browser.state.payload
        #expect(payload?.top == 16)
        #expect(row(browser.screen, 13) == "  ]")
        #expect(payload.map { $0.cursor >= $0.top } == true)
    }

    // MARK: - Sideways

    @Test func greaterAndLessScrollSidewaysWithAMarkAtEachEdge() {
        let browser = Self.open()
        browser.press(.char(">"))
        // Half the 58 text columns; every row says it was scrolled from the left.
        #expect(browser.state.payloadShift == 29)
        #expect(row(browser.screen, 14) == "From column 30 of the lines (< goes back)")
        #expect(row(browser.screen, 3) == "▾‹")
        #expect(row(browser.screen, 4) == #" ‹s/f5/f52e7d08/sample_data/study_0b5ff33c/assay_1f127a82/T›"#)
        #expect(browser.screen[3, 1].style.role == .dim)
        #expect(row(browser.screen, 8) == #" ‹-goes-past-the-edge-of-a-sixty-column-pane""#)
        browser.press(.char(">"))
        // No further than the longest line on screen needs: its end shows, without a mark.
        #expect(browser.state.payloadShift == 43)
        #expect(row(browser.screen, 4) == #" ‹sample_data/study_0b5ff33c/assay_1f127a82/TrackHubs/hub1","#)
        browser.press(.char(">"))
        #expect(browser.state.payloadShift == 43)
        #expect(row(browser.screen, 14) == "No line on screen goes on to the right")
        browser.press(.char("<"), .char("<"))
        #expect(browser.state.payloadShift == 0)
        #expect(row(browser.screen, 4).hasPrefix(#"    "path": "/sodarZone/"#))
        browser.press(.char("<"))
        #expect(row(browser.screen, 14) == "At the left edge")
        // Wrapping has nothing to scroll sideways.
        browser.press(.char("w"), .char(">"))
        #expect(browser.state.payloadShift == 0)
        #expect(row(browser.screen, 14).hasPrefix("Long lines wrap: nothing to scroll sideways"))
    }

    @Test func bothSettingsLastForTheSession() {
        let browser = Self.open(more: [Self.item(1, "b/other", Self.json)])
        browser.press(.char(">"), .escape, .down, .enter)
        #expect(browser.state.payload?.summary.name == "b/other")
        #expect(browser.state.payloadShift == 29)
        #expect(row(browser.screen, 4).hasPrefix(" ‹s/f5/"))
        browser.press(.char("w"), .escape, .up, .enter)
        #expect(browser.state.payload?.summary.name == "a/long")
        #expect(row(browser.screen, 5).hasPrefix("            dy_0b5ff33c"))
        browser.press(.char("r"))
        #expect(browser.state.payloadWrap)
        #expect(row(browser.screen, 5).hasPrefix("            dy_0b5ff33c"))
        browser.press(.char("w"))
        #expect(browser.state.payloadShift == 29)
    }

    @Test func aShiftKeptFromAWiderItemStopsWhereANarrowOnesLinesEnd() {
        let browser = Self.open(more: [Self.item(1, "b/short", #"{"k": "v"}"#)])
        browser.press(.char(">"), .escape, .down, .enter)
        #expect(browser.state.payload?.summary.name == "b/short")
        #expect(browser.state.payloadShift == 0)
        #expect(row(browser.screen, 4).contains(#""k": "v""#))
    }

    // MARK: - Cutting safely

    @Test func aWideCharacterOrAnEscapeIsNeverSplitByAWrap() {
        // Value text from column 10: 49 letters leave one column, too few for 東 or `\u001b`.
        let browser = Self.open(
            #"{"k": "\#(String(repeating: "a", count: 49))東京", "e": "\#(String(repeating: "b", count: 49))\u001b!"}"#)
        browser.press(.char("w"))
        let screen = browser.screen
        #expect(row(screen, 4) == #"    "k": ""# + String(repeating: "a", count: 49))
        #expect(row(screen, 5) == #"         東京","#)
        #expect(row(screen, 6) == #"    "e": ""# + String(repeating: "b", count: 49))
        #expect(row(screen, 7) == #"         \u001b!""#)
        #expect(screen[5, 9].text == "東" && screen[5, 9].width == 2)
    }

    @Test func aWideCharacterOrAnEscapeHalfScrolledOffIsNotDrawn() {
        // 東 at text columns 28-29 and 30-31: a shift of 29 covers half of the first.
        let browser = Self.open(
            #"{"k": "\#(String(repeating: "a", count: 20))東東東", "e": "\#(String(repeating: "b", count: 18))\u009bz", "#
                + #""long": "\#(String(repeating: "x", count: 100))"}"#)
        browser.press(.char(">"))
        let screen = browser.screen
        #expect(browser.state.payloadShift == 29)
        #expect(row(screen, 4) == #" ‹ 東東","#)
        #expect(screen[4, 2].width == 1 && screen[4, 3].text == "東")
        // `\u009b` at text columns 27-32: none of it shows, not `9b`.
        #expect(row(screen, 5) == #" ‹   z","#)
    }

    @Test func rawControlCharactersStayEscapedWhenWrapped() {
        // A raw C1 control (CSI) and DEL inside a string: shown as escapes, whole on one row.
        let text = "{\"k\": \"" + String(repeating: "c", count: 46) + "\u{9B}31m\u{7F}\"}"
        let browser = Self.open(text)
        browser.press(.char("w"))
        let screen = browser.screen
        #expect(row(screen, 4) == #"    "k": ""# + String(repeating: "c", count: 46))
        #expect(row(screen, 5) == #"         \u009b31m\u007f""#)
        #expect(!screen.cells.contains { $0.text.unicodeScalars.contains { Display.isUnsafe($0) } })
    }

    @Test func aHugeLineIsReadOnlyAsFarAsItShowsAndSaysItGoesOn() {
        let digits = String(repeating: "0123456789", count: 100_000)
        let browser = Self.open(#"{"blob": "\#(digits)", "n": 1}"#)
        #expect(row(browser.screen, 4) == #"    "blob": "0123456789012345678901234567890123456789012345›"#)
        browser.press(.char(">"), .char(">"))
        #expect(row(browser.screen, 4) == " ‹" + "789012345678901234567890123456789012345678901234567890123›")
        browser.press(.char("w"))
        #expect(row(browser.screen, 5) == "            " + "789012345678901234567890123456789012345678901234")
        #expect(row(browser.screen, 13) == "            " + "12345678901234567890123456789012345678901234567›")
    }

    // MARK: - Small panes

    @Test func theSmallestTerminalStillWrapsAndScrolls() {
        let browser = Self.open(#"{"path": "\#(Self.hub)", "n": 1, "big": "\#(String(repeating: "y", count: 200))"}"#, width: 40, height: 8)
        browser.press(.char("w"))
        // 8 rows: header, 5 payload rows (no record), status, hints. Rows keep 20 columns free.
        #expect(row(browser.screen, 1) == "▾ {")
        #expect(row(browser.screen, 2) == #"    "path": "/sodarZone/projects/f5/f52e"#)
        #expect(row(browser.screen, 3) == "            7d08/sample_data/study_0b5ff")
        browser.press(.down, .down)
        // The path's four rows and the cursor's line fill the pane.
        #expect(browser.state.payload?.top == 1)
        #expect(row(browser.screen, 5) == #"    "n": 1,"#)
        // A line taller than the pane starts it, and its last row says it goes on.
        browser.press(.down)
        #expect(browser.state.payload?.top == 3)
        #expect(row(browser.screen, 1).hasPrefix(#"    "big": "yyy"#))
        #expect(row(browser.screen, 5).hasSuffix("y›"))
        browser.press(.down)
        #expect(browser.state.payload?.top == 4)
        #expect(row(browser.screen, 1) == "  }")
    }

    @Test(arguments: 1...10)
    func tinyPanesLoseNothingAndNeverOverflow(width: Int) {
        let document = TreeDocument(.object([
            ("a-long-key", .string("東京\\u001b\\\"x🧬y")),
            ("n", .array([.number("12345678901234567890")])),
        ]))
        for line in 0..<document.lineCount {
            let text = PayloadText(document, line: line, folded: false)
            var placed: [PayloadText.Placed] = []
            let (rows, cut) = text.wrapped(width: width, maxRows: 100) { placed.append($0) }
            #expect(!cut && rows >= 1)
            for piece in placed {
                #expect(piece.column >= 0 && piece.column + Display.width(String(piece.text)) <= width)
            }
            // Where a wide character fits a wrapped row, every piece is there, in order.
            if width >= 4 {
                #expect(placed.map { String($0.text) }.joined() == text.runs.map(\.text).joined())
            }
            for shift in [0, 1, 3, 7] {
                var screen = Screen(width: width, height: 3)
                #expect(text.draw(row: 1, maxRows: 1, wrap: false, shift: shift, into: &screen) == 1)
                var wrappedScreen = Screen(width: width, height: 40)
                _ = text.draw(row: 0, maxRows: 40, wrap: true, shift: shift, into: &wrappedScreen)
                // No half of a wide character is left in either.
                for s in [screen, wrappedScreen] {
                    for r in 0..<s.height {
                        for c in 0..<width where s[r, c].width == 2 { #expect(c + 1 < width && s[r, c + 1].width == 0) }
                    }
                }
            }
        }
    }

    @Test func helpAndHintsOfferTheNewKeys() {
        let lines = BrowserView.helpLines(.standard)
        #expect(lines.contains { $0.hasPrefix("  w ") && $0.contains("wrap long lines") })
        #expect(lines.contains { $0.hasPrefix("  > ") && $0.contains("scroll right") })
        #expect(lines.contains { $0.hasPrefix("  < ") && $0.contains("scroll left") })
        let browser = Self.open(width: 100)
        #expect(row(browser.screen, 15).contains("w wrap"))
    }
}
