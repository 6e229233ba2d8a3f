import CacheBrowser
import Foundation
import SodarCache
import Testing

@Suite struct ListPaneTests {
    @Test func projectTreeShowsCategoriesCountsAgesAndStaleMarks() {
        let browser = Fixture.browser(width: 80, height: 16)
        expectScreen(browser.screen, """
             sodarcache /srv/cac… 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Projects                           1/7 │ Apps · (site-wide)                1/1
               (site-wide)             1            │ sodarcache                 1  10m ago
             ▾ Cancer Research/        5  593B   3m │
                 Project Alpha         4  461B   3m │
            !    Project Beta          1  132B  40d │ Items                             1/1
             ▾ Germline/               1   65B  45s │ site/settings       10m ago      16 B
                 東京 Family Study     1   65B  45s │
               Zeta Lab                0            │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane
            """)
        // The project list is focused: its title and the cursor row are drawn reversed.
        let screen = browser.screen
        #expect(screen[1, 1].style.reverse)
        #expect(screen[2, 3].style.reverse)
        #expect(!screen[4, 3].style.reverse)
        #expect(screen[5, 0].style.role == .stale)
    }

    @Test func selectingAProjectShowsItsAppsAndTheFirstAppsItems() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.down, .down, .enter)
        #expect(browser.state.pane == .apps)
        expectScreen(browser.screen, """
             sodarcache /srv/cac… 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Projects                           3/7 │ Apps · Project Alpha · Cancer Re… 1/2
               (site-wide)             1            │ samplesheets               2   3m ago
             ▾ Cancer Research/        5  593B   3m │ samplesheets…pps.cytof     2   2d ago
                 Project Alpha         4  461B   3m │
            !    Project Beta          1  132B  40d │ Items                             1/2
             ▾ Germline/               1   65B  45s │ irods/shor…ay/aaaa   3m ago     132 B
                 東京 Family Study     1   65B  45s │ sheet/tabl…dy/ssss   2h ago      27 B
               Zeta Lab                0            │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane
            """)
    }

    @Test func itemsOfAnAppShowAgeSizeUserAndStaleMarks() {
        // The user column from a 52-column pane (120 columns; at 100 the tree's names take the room).
        let browser = Fixture.browser(width: 120, height: 16)
        browser.press(.down, .down, .enter, .down, .enter)
        #expect(browser.state.pane == .items)
        let screen = browser.screen
        #expect(row(screen, 5).hasSuffix("│ Items                                                     1/2"))
        #expect(row(screen, 6).hasSuffix("│ irods/rows/cccc                   2d ago     151 B alice"))
        #expect(row(screen, 7).hasSuffix("│!irods/rows/dddd                  10d ago     151 B -"))
        // The stale item's age is coloured as stale too, not only marked.
        #expect(screen[7, 57].text == "!")
        #expect(screen[7, 57].style.role == .stale)
        let age = (58..<118).first { screen[7, $0].text == "1" && screen[7, $0 + 1].text == "0" }
        #expect(age.map { screen[7, $0].style.role } == .stale)
        #expect(age.map { screen[6, $0 + 1].style.role } == .dim)
    }

    @Test func staleThresholdComesFromTheOptions() {
        let browser = Fixture.browser(width: 100, height: 16, staleAfter: 86400)
        browser.press(.down, .down, .enter, .down, .enter)
        #expect(row(browser.screen, 6).contains("│!irods/rows/cccc"))
        #expect(row(browser.screen, 4).hasPrefix("     Project Alpha"))
    }

    @Test func controlCharactersInNamesAreShownEscaped() {
        let browser = Fixture.browser(width: 100, height: 16)
        browser.press(.char("G"), .up, .enter, .enter)
        let screen = browser.screen
        #expect(row(screen, 6).contains(#"irods/\u001b"#) && row(screen, 6).contains(#"red\u0007"#))
        #expect(!screen.cells.contains { $0.text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
    }

    @Test func wideCharactersKeepColumnsAligned() {
        let browser = Fixture.browser(width: 80, height: 16)
        let screen = browser.screen
        // Every project row has its separator at the same column, whatever the title's script.
        for r in 2...8 {
            #expect(screen[r, 40].text == "│", "row \(r)")
        }
        // 東 takes two cells: the second is a continuation cell.
        let tokyo = (0..<40).first { screen[7, $0].text == "東" }
        #expect(tokyo != nil)
        if let tokyo { #expect(screen[7, tokyo].width == 2 && screen[7, tokyo + 1].width == 0) }
    }

    @Test func filterAsksTheStoreAndShowsOnlyMatches() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.char("/"))
        browser.type("beta")
        #expect(row(browser.screen, 14) == "Filter projects: beta█")
        browser.press(.enter)
        let screen = browser.screen
        #expect(row(screen, 1).hasPrefix(" Projects /beta                     1/1 │"))
        #expect(row(screen, 2).hasPrefix("!    Project Beta"))
        #expect(!screen.text.contains("Alpha"))
        #expect(row(screen, 14) == #"Projects matching "beta""#)
        // An empty filter clears it.
        browser.press(.char("/"), .ctrl("u"), .enter)
        #expect(browser.screen.text.contains("Project Alpha"))
    }

    @Test func filterInTheAppsPaneNarrowsTheApps() {
        let browser = Fixture.browser(width: 80, height: 16)
        // Project Alpha's apps: samplesheets and samplesheets.assayapps.cytof.
        browser.press(.down, .down, .enter)
        #expect(browser.state.pane == .apps)
        #expect(browser.state.apps.rows.count == 2)
        browser.press(.char("/"))
        browser.type("cyt")
        #expect(row(browser.screen, 14) == "Filter apps: cyt█")
        browser.press(.enter)
        #expect(browser.state.apps.rows.map(\.appName) == ["samplesheets.assayapps.cytof"])
        #expect(row(browser.screen, 14) == #"Apps matching "cyt""#)
        // The project's own name after the filter; no room for its parents.
        #expect(row(browser.screen, 1).hasSuffix("│ Apps /cyt · Project Alpha         1/1"))
        // The items follow the one app left.
        #expect(browser.state.items.rows.map(\.name) == ["irods/rows/cccc", "irods/rows/dddd"])
        // Another project starts unfiltered.
        browser.press(.escape, .down)
        #expect(browser.state.apps.filter == nil)
    }

    @Test func escapeCancelsAPromptWithoutChangingAnything() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.char("/"))
        browser.type("zzz")
        browser.press(.escape)
        #expect(browser.state.prompt == nil)
        #expect(browser.state.projects.filter == nil)
        #expect(browser.screen.text.contains("Project Alpha"))
    }

    @Test func sortCyclesNameUpdatedSize() {
        let browser = Fixture.browser(width: 100, height: 16)
        browser.press(.down, .down, .enter, .enter)
        #expect(browser.state.items.rows.map(\.name) == ["irods/shortcuts/assay/aaaa", "sheet/tables/study/ssss"])
        browser.press(.char("o"))
        #expect(browser.state.itemSort == .updated)
        #expect(row(browser.screen, 14) == "Items sorted by updated")
        #expect(row(browser.screen, 5).contains("│ Items ↓updated"))
        browser.press(.char("o"))
        #expect(browser.state.items.rows.map(\.name) == ["irods/shortcuts/assay/aaaa", "sheet/tables/study/ssss"])
        browser.press(.char("o"))
        #expect(browser.state.itemSort == .name)
    }

    @Test func itemSortBySizeAndUpdatedOrdersRows() {
        let now = Fixture.now
        let project = Project(uuid: Fixture.uuid(9), title: "P")
        let items = [("a", 10, 300.0), ("b", 3000, 100.0), ("c", 500, 200.0)].enumerated().map { i, row in
            CacheItem(
                uuid: Fixture.uuid(500 + i), project: project.uuid, appName: "samplesheets", name: row.0, user: nil,
                data: Data(("[" + String(repeating: "1,", count: row.1 / 2) + "1]").utf8),
                dateModified: now.addingTimeInterval(-row.2))
        }
        let browser = Fixture.browser(source: FakeSource(projects: [project], items: items))
        browser.press(.enter, .enter)
        #expect(browser.state.items.rows.map(\.name) == ["a", "b", "c"])
        browser.press(.char("o"))
        #expect(browser.state.items.rows.map(\.name) == ["b", "c", "a"])
        browser.press(.char("o"))
        #expect(browser.state.items.rows.map(\.name) == ["b", "c", "a"])
        #expect(browser.state.items.rows.map(\.size) == [3003, 503, 13])
    }

    @Test func tabCyclesPanesAndEscapeGoesBack() {
        let browser = Fixture.browser()
        browser.press(.tab)
        #expect(browser.state.pane == .apps)
        browser.press(.tab)
        #expect(browser.state.pane == .items)
        browser.press(.tab)
        #expect(browser.state.pane == .projects)
        browser.press(.down, .down, .enter, .enter, .enter)
        #expect(browser.state.pane == .payload)
        browser.press(.escape)
        #expect(browser.state.pane == .items)
        browser.press(.char("h"), .left)
        #expect(browser.state.pane == .projects)
    }

    @Test func aTooSmallTerminalShowsOneLineNotice() {
        let browser = Fixture.browser(width: 39, height: 20)
        expectScreen(browser.screen, "terminal too small (need 40x8)" + String(repeating: "\n", count: 19))
        browser.send(.resize(width: 80, height: 7))
        #expect(browser.screen.text.hasPrefix("terminal too small"))
        browser.send(.resize(width: 12, height: 3))
        #expect(row(browser.screen, 0) == "terminal to…")
        browser.send(.resize(width: 80, height: 16))
        #expect(row(browser.screen, 1).hasPrefix(" Projects"))
    }

    @Test func resizingKeepsTheCursorOnScreen() {
        let projects = (0..<60).map { Project(uuid: Fixture.uuid(1000 + $0), title: String(format: "P%02d", $0)) }
        let browser = Fixture.browser(source: FakeSource(projects: projects, items: []), width: 80, height: 40)
        browser.press(.char("G"))
        browser.send(.resize(width: 80, height: 10))
        let screen = browser.screen
        #expect(screen.text.contains("P59"))
        #expect(browser.state.projects.cursor == 59)
    }
}
