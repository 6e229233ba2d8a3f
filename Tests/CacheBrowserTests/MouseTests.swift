import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import StoreKernel
import Testing

extension ScriptedBrowser {
    func click(row: Int, column: Int) {
        send(.mouse(MouseEvent(.press, row: row, column: column)))
    }

    /// Wheel notches at a cell: positive scrolls down.
    func wheel(_ notches: Int, row: Int, column: Int) {
        for _ in 0..<abs(notches) {
            send(.mouse(MouseEvent(notches > 0 ? .wheelDown : .wheelUp, row: row, column: column)))
        }
    }
}

/// Where `text` is drawn, by screen cells (a wide character takes two columns).
func cellPosition(of text: String, in screen: Screen) -> (row: Int, column: Int)? {
    let wanted = text.map(String.init)
    for r in 0..<screen.height {
        for c in 0..<max(0, screen.width - wanted.count + 1)
        where wanted.indices.allSatisfy({ screen[r, c + $0].text == wanted[$0] }) {
            return (r, c)
        }
    }
    return nil
}

/// Clicks and the wheel. At 80x16: the header on row 0, pane titles on row 1 (projects at
/// columns 0-39, the separator at 40, apps from 41), projects from row 2, the items' title
/// on row 5 and its rows from 6, the status line on row 14, the hints on row 15.
@Suite struct MouseTests {
    @Test func aClickSelectsARowAndFocusesItsPane() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.click(row: 4, column: 5)
        #expect(browser.state.pane == .projects)
        #expect(browser.state.selectedProject?.title == "Cancer Research / Project Alpha")
        #expect(browser.state.apps.rows.map(\.appName) == ["samplesheets", "samplesheets.assayapps.cytof"])
        #expect(row(browser.screen, 2).contains("│ samplesheets "))
        // The second app, in the unfocused apps pane: focus moves there, its items load.
        browser.click(row: 3, column: 44)
        #expect(browser.state.pane == .apps)
        #expect(browser.state.selectedApp?.appName == "samplesheets.assayapps.cytof")
        #expect(browser.state.items.rows.map(\.name) == ["irods/rows/cccc", "irods/rows/dddd"])
        // An item: the items pane takes the focus, drawn reversed on its title and the row.
        browser.click(row: 7, column: 60)
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedItem?.name == "irods/rows/dddd")
        let screen = browser.screen
        #expect(screen[5, 44].style.reverse)
        #expect(screen[7, 44].style.reverse)
        #expect(!screen[1, 44].style.reverse)
    }

    @Test func aClickOnTheSelectedRowOpensItFromProjectToPayload() throws {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.click(row: 4, column: 5)
        #expect(browser.state.pane == .projects)
        browser.click(row: 4, column: 5)
        #expect(browser.state.pane == .apps)
        browser.click(row: 2, column: 44)
        #expect(browser.state.pane == .items)
        browser.click(row: 6, column: 44)
        #expect(browser.state.pane == .payload)
        #expect(browser.state.payload?.summary.name == "irods/shortcuts/assay/aaaa")
        #expect(browser.screen.text.contains("\"shortcuts\": {"))
    }

    @Test func aClickOnTheSelectedCategoryFoldsAndUnfoldsItAsEnterDoes() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.click(row: 3, column: 5)
        #expect(browser.state.selectedProject?.title == "Cancer Research")
        #expect(row(browser.screen, 4).contains("Project Alpha"))
        browser.click(row: 3, column: 5)
        #expect(browser.state.pane == .projects)
        #expect(row(browser.screen, 3).contains("▸"))
        #expect(row(browser.screen, 4).contains("Germline"))
        browser.click(row: 3, column: 5)
        #expect(row(browser.screen, 3).contains("▾"))
        #expect(row(browser.screen, 4).contains("Project Alpha"))
    }

    @Test func theSelectedRowOfAnUnfocusedPaneIsFocusedFirstNotOpened() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.down, .down, .enter, .enter)
        #expect(browser.state.pane == .items)
        // Project Alpha is the projects pane's selection; a click there focuses it.
        browser.click(row: 4, column: 5)
        #expect(browser.state.pane == .projects)
        #expect(browser.state.selectedProject?.title == "Cancer Research / Project Alpha")
        #expect(browser.state.selectedItem?.name == "irods/shortcuts/assay/aaaa")
    }

    @Test func clicksOutsideAnyRowChangeNothingButTheFocus() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.down, .down)
        let before = browser.screen
        // The header, the separator, the status and hint lines.
        for (r, c) in [(0, 5), (0, 70), (4, 40), (14, 3), (15, 1), (15, 79)] {
            browser.click(row: r, column: c)
            #expect(browser.screen.text == before.text, "\(r),\(c)")
            #expect(browser.state.pane == .projects, "\(r),\(c)")
        }
        // Off the screen altogether (a report from a terminal that was just made smaller).
        browser.click(row: 40, column: 200)
        browser.click(row: -1, column: -1)
        #expect(browser.screen.text == before.text)
        #expect(browser.state.pane == .projects)
        // Below the last project: the pane keeps its selection.
        browser.click(row: 12, column: 5)
        #expect(browser.state.selectedProject?.title == "Cancer Research / Project Alpha")
        #expect(browser.state.pane == .projects)
        // A pane's title or its empty rows focus it and select nothing.
        browser.click(row: 5, column: 50)
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedItem?.name == "irods/shortcuts/assay/aaaa")
        browser.click(row: 12, column: 50)
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedItem?.name == "irods/shortcuts/assay/aaaa")
        browser.click(row: 1, column: 3)
        #expect(browser.state.pane == .projects)
        #expect(browser.state.selectedProject?.title == "Cancer Research / Project Alpha")
    }

    @Test func inThePayloadAClickMovesTheCursorAndAClickOnTheCursorLineFolds() throws {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.down, .down, .enter, .enter, .enter)
        #expect(browser.state.pane == .payload)
        // The record takes rows 1 and 2; the JSON starts on row 3.
        #expect(row(browser.screen, 3) == "▾ {")
        #expect(row(browser.screen, 4).hasPrefix("▾   \"shortcuts\": {"))
        browser.click(row: 4, column: 30)
        #expect(browser.state.payload?.cursor == 1)
        #expect(browser.screen[4, 10].style.reverse)
        #expect(browser.state.payload?.isFolded(1) == false)
        browser.click(row: 4, column: 30)
        #expect(browser.state.payload?.isFolded(1) == true)
        #expect(row(browser.screen, 4).hasPrefix("▸   \"shortcuts\": {…}  3 keys"))
        browser.click(row: 4, column: 2)
        #expect(browser.state.payload?.isFolded(1) == false)
        // The record above and the empty rows below the document: nothing.
        let before = browser.screen
        browser.click(row: 1, column: 10)
        browser.click(row: 2, column: 10)
        browser.click(row: 13, column: 10)
        #expect(browser.screen.text == before.text)
        #expect(browser.state.payload?.cursor == 1)
        #expect(browser.state.pane == .payload)
    }

    @Test func theWheelScrollsTheUnfocusedPaneUnderThePointerAndLoadsMorePages() {
        let projects = (0..<1000).map { Project(uuid: Fixture.uuid(10_000 + $0), title: String(format: "P%05d", $0)) }
        let source = FakeSource(projects: projects, items: [])
        let browser = Fixture.browser(source: source, width: 80, height: 24)
        browser.press(.tab)
        #expect(browser.state.pane == .apps)
        // Three rows a notch: rows and selection move together, the focus stays in apps.
        browser.wheel(2, row: 10, column: 5)
        #expect(browser.state.pane == .apps)
        #expect(browser.state.projects.cursor == 6)
        #expect(browser.state.projects.top == 6)
        #expect(row(browser.screen, 2).contains(" P00006 "))
        #expect(row(browser.screen, 1).contains("7/40+"))
        // Near the end of the loaded page the next one is asked for, by keyset, as the keys do.
        browser.wheel(58, row: 10, column: 5)
        #expect(browser.state.projects.cursor == 180)
        #expect(browser.state.projects.rows.count == 240)
        #expect(browser.state.projects.rows.map(\.project.title) == (0..<240).map { String(format: "P%05d", $0) })
        #expect(source.largestLimit == 201)
        browser.wheel(-3, row: 10, column: 5)
        #expect(browser.state.projects.cursor == 171)
        #expect(browser.state.selectedProject?.title == "P00171")
        #expect(browser.state.pane == .apps)
        // At the first row the selection stops; the title and the separator do not scroll.
        browser.wheel(-100, row: 2, column: 5)
        #expect(browser.state.projects.cursor == 0)
        browser.wheel(3, row: 5, column: 40)
        browser.wheel(3, row: 0, column: 5)
        #expect(browser.state.projects.cursor == 0)
    }

    @Test func theWheelOverTheItemsMovesTheirSelectionAndStopsAtTheEnd() {
        let items = (0..<30).map { i in
            CacheItem(
                uuid: Fixture.uuid(20_000 + i), project: Fixture.zeta.uuid, appName: "app", name: String(format: "item%02d", i),
                user: nil, data: Data("{}".utf8), dateModified: Fixture.now)
        }
        let source = FakeSource(projects: [Fixture.zeta], items: items)
        let browser = Fixture.browser(source: source, width: 80, height: 16)
        #expect(browser.state.pane == .projects)
        // Items show rows 6 to 13: eight rows of thirty.
        browser.wheel(1, row: 8, column: 50)
        #expect(browser.state.selectedItem?.name == "item03")
        #expect(browser.state.items.top == 3)
        #expect(browser.state.pane == .projects)
        browser.wheel(20, row: 8, column: 50)
        #expect(browser.state.selectedItem?.name == "item29")
        #expect(browser.state.items.top == 22)
        #expect(row(browser.screen, 13).contains("item29"))
    }

    @Test func theWheelScrollsThePayload() throws {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.down, .down, .enter, .down, .enter, .enter)
        #expect(browser.state.pane == .payload)
        let lines = try #require(browser.state.payload?.document?.lineCount)
        // Eleven lines show (rows 3 to 13); the view stops at the last screenful.
        browser.wheel(1, row: 10, column: 10)
        #expect(browser.state.payload?.cursor == 3)
        #expect(browser.state.payload?.top == min(3, lines - 11))
        browser.wheel(50, row: 10, column: 10)
        #expect(browser.state.payload?.cursor == lines - 1)
        browser.wheel(-50, row: 10, column: 10)
        #expect(browser.state.payload?.cursor == 0)
        #expect(browser.state.payload?.top == 0)
    }

    // MARK: - Dialogs

    @Test func aClickOnNoDeclinesAndAClickElsewhereDoesNothing() throws {
        let source = Fixture.source()
        let (browser, _) = ActionTests.browser(source: source)
        ActionTests.alphaItems(browser)
        browser.press(.char("d"))
        let dialog = browser.screen
        let no = try #require(cellPosition(of: "[ No ]", in: dialog))
        let yes = try #require(cellPosition(of: "[ Yes ]", in: dialog))
        #expect(no.row == yes.row)
        // The gap between the buttons, the cell just before No and after Yes, the question,
        // the border, and the panes around the box: the dialog stays, nothing is deleted.
        for (r, c) in [
            (no.row, no.column + 6), (no.row, no.column - 1), (yes.row, yes.column + 7), (yes.row - 3, yes.column),
            (no.row + 2, no.column), (2, 2), (0, 0),
        ] {
            browser.click(row: r, column: c)
            #expect(browser.state.overlay != nil, "\(r),\(c)")
        }
        browser.wheel(3, row: no.row, column: no.column)
        #expect(browser.screen.text == dialog.text)
        browser.click(row: no.row, column: no.column + 5)
        #expect(browser.state.overlay == nil)
        #expect(browser.state.message == StatusMessage("Nothing deleted"))
        #expect(source.allItems.count == 7)
    }

    @Test func aClickOnYesAnswersYes() throws {
        let source = Fixture.source()
        let (browser, _) = ActionTests.browser(source: source)
        ActionTests.alphaItems(browser)
        browser.press(.char("d"))
        let yes = try #require(cellPosition(of: "[ Yes ]", in: browser.screen))
        browser.click(row: yes.row, column: yes.column)
        #expect(browser.state.overlay == nil)
        #expect(!source.allItems.contains { $0.name == "irods/shortcuts/assay/aaaa" })
        #expect(browser.state.message?.text.hasPrefix("Deleted 1 item") == true)
        // The keys still answer: Esc on the next question.
        browser.press(.char("d"), .escape)
        #expect(source.allItems.count == 6)
    }

    @Test func theButtonsAreHitWhereTheyAreDrawnOnASmallTerminal() throws {
        let source = Fixture.source()
        let (browser, _) = ActionTests.browser(source: source, width: 40, height: 10)
        ActionTests.alphaItems(browser)
        browser.press(.char("d"))
        let yes = try #require(cellPosition(of: "[ Yes ]", in: browser.screen))
        browser.click(row: yes.row, column: yes.column + 6)
        #expect(source.allItems.count == 6)
    }

    @Test func aClickPicksASyncFailureAndASecondShowsItsDetails() throws {
        var (state, _) = ActionTests.syncing()
        for app in ["alpha", "beta", "gamma"] {
            _ = state.update(.syncEvent(.failed(app: app, project: Fixture.alpha, failure: SyncFailure(message: "\(app) broke"))))
        }
        _ = state.update(.syncEnded(SyncSummary()))
        _ = state.update(.key(.char("F")))
        let gamma = try #require(cellPosition(of: "gamma ·", in: BrowserView.render(state)))
        _ = state.update(.mouse(MouseEvent(.press, row: gamma.row, column: gamma.column)))
        #expect(state.overlay == .failures(cursor: 2, detail: false))
        // The border and the title are not failures.
        _ = state.update(.mouse(MouseEvent(.press, row: gamma.row, column: gamma.column - 3)))
        _ = state.update(.mouse(MouseEvent(.press, row: gamma.row - 3, column: gamma.column)))
        #expect(state.overlay == .failures(cursor: 2, detail: false))
        _ = state.update(.mouse(MouseEvent(.wheelUp, row: 0, column: 0)))
        #expect(state.overlay == .failures(cursor: 1, detail: false))
        let beta = try #require(cellPosition(of: "beta ·", in: BrowserView.render(state)))
        _ = state.update(.mouse(MouseEvent(.press, row: beta.row, column: beta.column + 20)))
        #expect(state.overlay == .failures(cursor: 1, detail: true))
        #expect(BrowserView.render(state).text.contains("beta broke"))
        _ = state.update(.mouse(MouseEvent(.wheelDown, row: 0, column: 0)))
        #expect(state.overlay == .failures(cursor: 2, detail: true))
    }

    // MARK: - Help, resize, small terminals

    @Test func helpSaysHowToSelectTextAndTurnTheMouseOff() {
        let browser = Fixture.browser(width: 80, height: 80)
        browser.press(.char("?"))
        let text = browser.screen.text
        #expect(text.contains("Shift-drag"))
        #expect(text.contains("select text"))
        #expect(text.contains("--no-mouse"))
        #expect(text.contains("scroll the pane under the pointer"))
        // Every mouse line fits an 80-column terminal: none is cut.
        #expect(text.contains("move the cursor there; on the cursor line: fold"))
        #expect(text.contains("mouse off (config: [browser] mouse = false)"))
        let off = ScriptedBrowser(
            source: Fixture.source(), options: BrowserOptions(storePath: "/srv/cache.db", mouse: false), now: Fixture.now,
            width: 80, height: 80, timeZone: Fixture.utc, buildDocument: Fixture.builder)
        off.press(.char("?"))
        #expect(off.screen.text.contains("off (--no-mouse, or mouse = false under [browser] in the config)"))
        #expect(!off.screen.text.contains("Shift-drag"))
    }

    @Test func theWheelScrollsTheHelpAndAClickClosesIt() {
        let browser = Fixture.browser(width: 80, height: 12)
        browser.press(.char("?"))
        browser.wheel(2, row: 5, column: 40)
        #expect(browser.state.overlay == .help(scroll: 6))
        browser.wheel(-1, row: 5, column: 40)
        #expect(browser.state.overlay == .help(scroll: 3))
        browser.click(row: 5, column: 40)
        #expect(browser.state.overlay == nil)
        #expect(browser.state.projects.cursor == 0)
    }

    @Test func afterAResizeClicksHitTheNewLayout() {
        let browser = Fixture.browser(width: 80, height: 16)
        // At 80 columns column 45 is in the apps pane; at 100 the projects pane is 50 wide.
        browser.send(.resize(width: 100, height: 16))
        browser.click(row: 4, column: 45)
        #expect(browser.state.pane == .projects)
        #expect(browser.state.selectedProject?.title == "Cancer Research / Project Alpha")
        // Shorter: the items pane starts higher (row 4 at 12 rows).
        browser.send(.resize(width: 80, height: 12))
        browser.click(row: 5, column: 50)
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedItem?.name == "irods/shortcuts/assay/aaaa")
    }

    @Test func aTooSmallTerminalIgnoresTheMouse() {
        let browser = Fixture.browser(width: 30, height: 6)
        browser.click(row: 2, column: 2)
        browser.wheel(3, row: 2, column: 2)
        #expect(browser.state.projects.cursor == 0)
        #expect(browser.screen.text.hasPrefix("terminal too small"))
    }

    @Test func aPromptIgnoresTheMouseUntilItIsAnswered() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.char("/"))
        browser.click(row: 4, column: 5)
        browser.wheel(1, row: 4, column: 5)
        #expect(browser.state.prompt != nil)
        #expect(browser.state.projects.cursor == 0)
    }
}

extension MouseTests {
    /// Random clicks, notches and keys on a paged store: every cursor stays on a row of its
    /// list and on screen, whatever is open.
    @Test func randomClicksAndNotchesKeepEveryCursorOnARow() {
        var generator = SplitMix64(seed: 7)
        let projects = (0..<60).map { Project(uuid: Fixture.uuid(10_000 + $0), title: String(format: "P%05d", $0)) }
        let items = (0..<90).map { i in
            CacheItem(
                uuid: Fixture.uuid(20_000 + i), project: projects[i % 3].uuid, appName: "app\(i % 4)",
                name: String(format: "item%02d", i), user: nil, data: Data("{\"a\": [1, {\"b\": \(i)}]}".utf8),
                dateModified: Fixture.now)
        }
        let source = FakeSource(projects: projects, items: items)
        // With sync and delete, so that questions come up and clicks answer them.
        let (browser, _) = ActionTests.browser(source: source, width: 80, height: 20)
        let actions: [MouseEvent.Action] = [.press, .press, .press, .wheelUp, .wheelDown]
        var seen: Set<String> = []
        for step in 0..<3000 {
            let roll = Int(generator.next() % 100)
            if roll < 4 {
                browser.press([Key.escape, .char("d"), .char("?"), .char("D")][roll])
            } else if roll == 4 {
                browser.send(.resize(width: 30 + Int(generator.next() % 80), height: 6 + Int(generator.next() % 30)))
            } else {
                let action = actions[Int(generator.next() % UInt64(actions.count))]
                // Few distinct cells, so that a click often lands on the row clicked before (and opens
                // it); now and then anywhere, off the screen too.
                let anywhere = generator.next() % 10 == 0
                let row = anywhere ? Int(generator.next() % 40) - 2 : 1 + Int(generator.next() % 12)
                let column = anywhere ? Int(generator.next() % 120) - 2 : [5, 45, 70][Int(generator.next() % 3)]
                browser.send(.mouse(MouseEvent(action, row: row, column: column)))
            }
            let state = browser.state
            let layout = state.layout
            if state.pane == .payload, state.payload?.document != nil { seen.insert("payload") }
            if case .confirm? = state.overlay { seen.insert("question") }
            if case .help? = state.overlay { seen.insert("help") }
            if state.payload?.foldExceptions.isEmpty == false { seen.insert("fold") }
            for (name, cursor, top, count, pane) in [
                ("projects", state.projects.cursor, state.projects.top, state.projectEntryCount, BrowserPane.projects),
                ("apps", state.apps.cursor, state.apps.top, state.apps.rows.count, .apps),
                ("items", state.items.cursor, state.items.top, state.items.rows.count, .items),
            ] {
                #expect(cursor >= 0 && (count == 0 ? cursor == 0 : cursor < count), "\(step): \(name) \(cursor)/\(count)")
                #expect(top <= cursor && cursor < top + layout.visibleRows(pane), "\(step): \(name) \(top) \(cursor)")
            }
            if let payload = state.payload, let document = payload.document {
                #expect(payload.cursor >= 0 && payload.cursor < document.lineCount, "\(step): payload \(payload.cursor)")
                #expect(payload.visibleLines(count: layout.visibleRows(.payload)).contains(payload.cursor), "\(step)")
            }
        }
        // The walk reached what it is meant to test.
        #expect(seen == ["payload", "question", "help", "fold"])
    }
}
