import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import Testing

@Suite struct LoadingTests {
    func manyProjects(_ count: Int) -> FakeSource {
        let projects = (0..<count).map { Project(uuid: Fixture.uuid(10_000 + $0), title: String(format: "P%05d", $0)) }
        return FakeSource(projects: projects, items: [])
    }

    @Test func listsLoadPageByPageAsTheCursorNearsTheEnd() {
        let source = manyProjects(1000)
        let browser = Fixture.browser(source: source, width: 80, height: 24)
        // The launch reads two screens of the pane (20 rows each), plus one row to know there
        // is more: never everything, and no more than the first frame needs.
        #expect(browser.state.projects.rows.count == 40)
        #expect(browser.state.projects.hasMore)
        #expect(row(browser.screen, 1).hasSuffix("1/40+ │ Apps · P00000                     0/0"))
        // The next page, of 200, as the cursor passes the first screen; no more until it nears its end.
        for _ in 0..<2 { browser.press(.pageDown) }
        #expect(browser.state.projects.rows.count == 240)
        #expect(source.largestLimit == 201)
        for _ in 0..<8 { browser.press(.pageDown) }
        #expect(browser.state.projects.rows.count == 240)
        for _ in 0..<2 { browser.press(.pageDown) }
        #expect(browser.state.projects.rows.count == 440)
        #expect(browser.state.projects.rows.map(\.project.title) == (0..<440).map { String(format: "P%05d", $0) })
        #expect(source.largestLimit == 201)
    }

    /// Issue 13, item 12: `G` went to row 200 of "400+" with 2,020 projects.
    @Test func bigGGoesToTheTrueLastProjectByOneReverseRequestAndPagingUpLoadsThePagesBefore() {
        let source = manyProjects(2020)
        let browser = Fixture.browser(source: source, width: 80, height: 24)
        browser.press(.char("G"))
        #expect(browser.state.selectedProject?.title == "P02019")
        #expect(browser.state.projects.rows.count == 200)
        #expect(source.reverseRequests == 1)
        #expect(source.largestLimit == 201)
        #expect(row(browser.screen, 1).contains("2,020/2,020 │ Apps · P02019"))
        // Paging up loads the page before, and the rows stay in order with no gap.
        for _ in 0..<15 { browser.press(.pageUp) }
        #expect(browser.state.projects.rows.map(\.project.title) == (1620..<2020).map { String(format: "P%05d", $0) })
        #expect(source.reverseRequests == 2)
        #expect(browser.state.selectedProject?.title == "P01719")
        #expect(row(browser.screen, 1).contains("1,720/2,020 │"))
        // g goes back to the true first row.
        browser.press(.char("g"))
        #expect(browser.state.selectedProject?.title == "P00000")
        // (A page of 200 from the top: only the launch reads a smaller first page.)
        #expect(row(browser.screen, 1).contains("1/200+ │"))
        // End does the same as G.
        browser.press(.end)
        #expect(browser.state.selectedProject?.title == "P02019")
    }

    /// After `G`, another process writing (a cron sync) must not pull the cursor back to the
    /// first page: the refresh loads around the selected rows.
    @Test func aLiveRefreshAfterBigGKeepsTheSelectedProjectAndItem() {
        let projects = (0..<2020).map { Project(uuid: Fixture.uuid(10_000 + $0), title: String(format: "P%05d", $0)) }
        let last = projects[2019]
        let items = (0..<450).map { i in
            CacheItem(
                uuid: Fixture.uuid(20_000 + i), project: last.uuid, appName: "app", name: String(format: "item%04d", i),
                user: nil, data: Data("{}".utf8), dateModified: Fixture.now)
        }
        let site = CacheItem(
            uuid: Fixture.uuid(30_000), project: nil, appName: "app", name: "site", user: nil, data: Data("{}".utf8),
            dateModified: Fixture.now)
        let source = FakeSource(projects: projects, items: items + [site])
        let browser = Fixture.browser(source: source, width: 100, height: 30)
        browser.storeChanged(token: 0)
        #expect(browser.state.selectedProject == .site)
        browser.press(.char("G"), .enter, .enter, .char("G"))
        #expect(browser.state.selectedProject?.title == "P02019")
        #expect(browser.state.selectedItem?.name == "item0449")
        source.put(
            CacheItem(
                uuid: Fixture.uuid(40_000), project: projects[5].uuid, appName: "app", name: "new", user: nil,
                data: Data("{}".utf8), dateModified: Fixture.now))
        browser.storeChanged(token: 1)
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedProject?.title == "P02019")
        #expect(browser.state.selectedItem?.name == "item0449")
        // Paging all the way up reaches the site-wide row again, rows in order.
        browser.press(.escape, .escape)
        for _ in 0..<100 { browser.press(.pageUp) }
        #expect(browser.state.selectedProject == .site)
        #expect(!browser.state.projects.hasPrevious)
        #expect(browser.state.projects.rows.map(\.project.title) == (0..<2020).map { String(format: "P%05d", $0) })
    }

    @Test func bigGGoesToTheLastItemInEverySortAndTheLastApp() {
        let project = Project(uuid: Fixture.uuid(9), title: "Big")
        var items: [CacheItem] = []
        for i in 0..<450 {
            items.append(
                CacheItem(
                    uuid: Fixture.uuid(20_000 + i), project: project.uuid, appName: "app", name: String(format: "item%04d", i),
                    user: nil, data: Data("{}".utf8), dateModified: Fixture.now.addingTimeInterval(Double(-i))))
        }
        for a in 0..<230 {
            items.append(
                CacheItem(
                    uuid: Fixture.uuid(30_000 + a), project: project.uuid, appName: String(format: "z%03d", a), name: "x",
                    user: nil, data: Data("{}".utf8), dateModified: Fixture.now))
        }
        let source = FakeSource(projects: [project], items: items)
        let browser = Fixture.browser(source: source, width: 100, height: 30)
        browser.press(.enter)
        #expect(browser.state.apps.hasMore)
        browser.press(.char("G"))
        #expect(browser.state.selectedApp?.appName == "z229")
        browser.press(.char("g"))
        #expect(browser.state.selectedApp?.appName == "app")
        browser.press(.enter, .char("G"))
        #expect(browser.state.selectedItem?.name == "item0449")
        #expect(row(browser.screen, browser.state.layout.itemsTop).contains("450/450"))
        browser.press(.char("o"))  // updated, newest first: the oldest is last
        browser.press(.char("G"))
        #expect(browser.state.selectedItem?.name == "item0449")
        // Size: all equal, then by UUID, largest first (as every store orders ties): the
        // smallest UUID is last.
        browser.press(.char("o"), .char("G"))
        #expect(browser.state.selectedItem?.name == "item0000")
        for _ in 0..<260 { browser.press(.up) }
        #expect(browser.state.selectedItem?.name == "item0260")
    }

    @Test func storeErrorsGoToTheStatusLineAndTheBrowserKeepsWorking() {
        let source = Fixture.source()
        let browser = Fixture.browser(source: source, width: 80, height: 16)
        source.failure = .storeBusy(location: "/srv/cache.db")
        browser.press(.down, .down)
        #expect(row(browser.screen, 14) == "Store /srv/cache.db is locked by another writer; try again")
        #expect(browser.screen[14, 0].style.role == .error)
        #expect(!browser.state.apps.loading)
        source.failure = nil
        browser.press(.char("r"))
        #expect(row(browser.screen, 14) == "Reloaded")
        #expect(browser.screen.text.contains("ps.cytof"))
    }

    @Test func aStoreGoneUnderneathIsReportedAndWhatWasShownStays() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.down, .down)
        let before = browser.screen.text
        browser.send(.storeUnavailable(message: CacheError.storeReplaced(location: "/srv/cache.db").description))
        #expect(row(browser.screen, 14) == "Store file /srv/cache.db was deleted or replaced (restart to reopen it)")
        #expect(browser.screen[14, 0].style.role == .error)
        #expect(browser.screen.text.contains("ps.cytof"))
        #expect(before.contains("ps.cytof"))
    }

    @Test func aCorruptStoreAtStartShowsTheErrorNotACrash() {
        let source = Fixture.source()
        source.failure = .storeNotDatabase(location: "/srv/cache.db")
        let browser = Fixture.browser(source: source, width: 80, height: 16)
        #expect(row(browser.screen, 14) == "Not a sodarcache store (not a SQLite database): /srv/cache.db")
        browser.press(.down, .enter, .tab, .char("o"), .char("r"))
        #expect(browser.state.quitting == false)
    }

    @Test func reloadKeepsTheCursorOnTheSameRows() {
        let browser = Fixture.browser(width: 80, height: 16)
        browser.press(.down, .down, .enter, .down, .enter, .down)
        #expect(browser.state.selectedItem?.name == "irods/rows/dddd")
        browser.press(.char("r"))
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedProject?.title == "Cancer Research / Project Alpha")
        #expect(browser.state.selectedApp?.appName == "samplesheets.assayapps.cytof")
        #expect(browser.state.selectedItem?.name == "irods/rows/dddd")
    }

    @Test func reloadAfterTheItemWasDeletedKeepsTheApp() {
        let source = Fixture.source()
        let browser = Fixture.browser(source: source, width: 80, height: 16)
        browser.press(.down, .down, .enter, .down, .enter, .down)
        source.remove(uuid: Fixture.uuid(104))
        browser.press(.char("r"))
        #expect(browser.state.selectedApp?.appName == "samplesheets.assayapps.cytof")
        #expect(browser.state.items.rows.map(\.name) == ["irods/rows/cccc"])
        #expect(browser.state.selectedItem?.name == "irods/rows/cccc")
    }

    @Test func quitKeysEndTheLoop() {
        for key in [Key.char("q"), .ctrl("c")] {
            let browser = Fixture.browser()
            browser.press(key)
            #expect(browser.state.quitting)
        }
        // In a prompt, q is text.
        let browser = Fixture.browser()
        browser.press(.char("/"), .char("q"))
        #expect(!browser.state.quitting)
        #expect(browser.state.prompt?.text == "q")
    }

    @Test func helpOverlayListsEveryBinding() {
        // Tall enough for every line of the help (70 of them with P, C, L and H).
        let browser = Fixture.browser(width: 80, height: 74)
        browser.press(.char("?"))
        let text = browser.screen.text
        for binding in KeyMap.standard.bindings {
            #expect(text.contains(binding.intent.summary.prefix(30)), "\(binding.intent)")
            for key in binding.keys { #expect(text.contains(key.label)) }
        }
        // Any key closes it; the key is not acted on.
        browser.press(.char("j"))
        #expect(browser.state.overlay == .help(scroll: 1))
        browser.press(.escape)
        #expect(browser.state.overlay == nil)
        #expect(browser.state.projects.cursor == 0)
    }

    @Test func helpOverlayScrollsWhenTheTerminalIsShort() {
        let browser = Fixture.browser(width: 80, height: 12)
        browser.press(.char("?"))
        #expect(browser.screen.text.contains("j/k scroll"))
        #expect(browser.screen.text.contains("move up"))
        for _ in 0..<40 { browser.press(.char("j")) }
        #expect(browser.screen.text.contains("quit") || browser.screen.text.contains("previous match"))
        #expect(!browser.screen.text.contains("move up"))
    }

    @Test func benchmarkHookRendersFrames() {
        let result = BrowserBenchmark.renderFrames(
            source: manyProjects(500), options: BrowserOptions(storePath: "x"), frames: 50, width: 100, height: 30,
            buildDocument: Fixture.builder)
        #expect(result.frames.count == 50)
        #expect(result.filled.count == 50)
        #expect(zip(result.frames, result.filled).allSatisfy { $0 <= $1 })
        #expect(result.summary.contains("50 keys -> frame"))
        #expect(result.summary.contains("filled-in frame"))
    }
}

/// At launch the lists are read in parallel where the totals allow: the site row, first when
/// there are site-wide items, has its apps asked for with the totals, beside the first page of
/// projects (which the terminal app reads on another lane).
@Suite struct LaunchReadAheadTests {
    static func apps(_ effects: [BrowserEffect]) -> [PageRequest] {
        effects.compactMap { effect in
            guard case .loadPage(_, let request, _) = effect, request.pane == .apps else { return nil }
            return request
        }
    }

    static func answer(_ effect: BrowserEffect, from source: FakeSource) -> [BrowserMessage] {
        EffectRunner.perform(effect, source: source, buildDocument: Fixture.builder)
    }

    @Test func theSiteRowsAppsAreAskedForWithTheTotalsAndKeptByTheFirstProjectPage() throws {
        let source = Fixture.source()
        var state = BrowserState(options: BrowserOptions(storePath: "/srv/cache.db"), now: Fixture.now, timeZone: Fixture.utc)
        let started = state.start()
        #expect(started.count == 2)
        let totals = try #require(Self.answer(started[0], from: source).first)
        let withTotals = state.update(totals)
        #expect(Self.apps(withTotals) == [.apps(project: nil, filter: nil, .after(nil))])
        #expect(state.appsOwner == .site)
        let projects = try #require(Self.answer(started[1], from: source).first)
        #expect(Self.apps(state.update(projects)).isEmpty)
        #expect(state.selectedProject == .site)
        // The apps arrive and ask for their first app's items, as after any selection.
        let apps = try #require(Self.answer(withTotals[0], from: source).first)
        let items = state.update(apps)
        #expect(items.contains { if case .loadPage(_, .items(nil, "sodarcache", _, _, _), _) = $0 { return true } else { return false } })
    }

    @Test func withoutSiteWideItemsTheFirstProjectPageChoosesWhoseAppsToRead() throws {
        let source = FakeSource(
            projects: [Fixture.cancer, Fixture.alpha, Fixture.beta, Fixture.germline, Fixture.tokyo, Fixture.zeta],
            items: Fixture.entries.map(\.0).filter { $0.project != nil })
        var state = BrowserState(options: BrowserOptions(storePath: "/srv/cache.db"), now: Fixture.now, timeZone: Fixture.utc)
        let started = state.start()
        let totals = try #require(Self.answer(started[0], from: source).first)
        #expect(Self.apps(state.update(totals)).isEmpty)
        #expect(state.appsOwner == nil)
        let projects = try #require(Self.answer(started[1], from: source).first)
        #expect(Self.apps(state.update(projects)) == [.apps(project: Fixture.cancer.uuid, filter: nil, .after(nil))])
    }
}
