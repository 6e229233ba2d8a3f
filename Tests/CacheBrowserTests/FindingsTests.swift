import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheMemory
import StoreKernel
import Testing

/// The doctor's findings in the browser (`!`): the same pass as `sodarcache doctor`, a view of
/// its own, and a jump from each finding to its project, app and item.
@Suite struct FindingsTests {
    /// The fixture's store with a cleared payload in Project Alpha; the doctor registers every
    /// app but the germline study app (its item is an orphan) and expects two site-wide items.
    static func store(extra: [CacheItem] = []) throws -> MemoryCacheStore {
        let store = MemoryCacheStore(registeredApps: [])
        _ = try store.importProjects([Fixture.cancer, Fixture.alpha, Fixture.beta, Fixture.germline, Fixture.tokyo, Fixture.zeta])
        let cleared = CacheItem(
            uuid: Fixture.uuid(150), project: Fixture.alpha.uuid, appName: "samplesheets", name: "sheet/cleared", user: nil,
            data: Data("{}".utf8), dateModified: Fixture.now.addingTimeInterval(-3600))
        store.restore(Fixture.entries.map(\.0) + [cleared] + extra)
        return store
    }

    static let settings = DoctorSettings(
        staleAfter: 30 * 86400, expectations: [DoctorExpectation(app: "sodarcache", names: ["site/settings", "site/zones"], siteWide: true)])

    static func browser(
        _ store: MemoryCacheStore, width: Int = 100, height: Int = 20, pageSize: Int? = nil,
        settings: DoctorSettings = FindingsTests.settings,
        registered: Set<String>? = ["samplesheets", "samplesheets.assayapps.cytof", "sodarcache"]
    ) -> ScriptedBrowser {
        var options = BrowserOptions(storePath: "/srv/cache.db", staleAfter: 7 * 86400)
        options.doctorSettings = settings
        options.registeredApps = registered
        return ScriptedBrowser(
            source: store, options: options, now: Fixture.now, width: width, height: height, timeZone: Fixture.utc,
            pageSize: pageSize)
    }

    @Test func bangShowsEveryFindingMostSevereFirst() throws {
        let browser = Self.browser(try Self.store())
        browser.press(.char("!"))
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                 4 projects · 2 categories · 8 items · 676 B · 1 site-wide
             Projects                                     1/7 │ Apps · (site-wide)                          1/1
               (site-wide)                       1            │ sodarcache                     1   16B  10m ago
             ▾ Cancer Research/                  6  595B   3m │
                 Project Alpha                   5  463B   3m │
            !    Project Beta                    1  132B  40d │
             ┌─ Doctor: CRITICAL (Enter: go there, r: again, Esc: close) ─────────────────────────────────────┐
             │ stale 1 · cleared 1 · orphans 1 · missing 1 in 8 items; stale: last written over 30d ago, ove… │
             │ critical missing        1  (site-wide) · sodarcache  site/zones                                │
             │ warning  stale          1  Project Beta · samplesheets  oldest 40d ago: irods/shortcuts/assay… │
             │ warning  cleared        1  Project Alpha · samplesheets  sheet/cleared                         │
             │ warning  orphans        1  東京 Family Study · samplesheets.studyapps.germline  app not regis… │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane  / filter  o sort
            """)
        // The cursor's row is drawn reversed; the critical one in the error colour.
        #expect(browser.screen[8, 3].style.reverse)
        #expect(browser.screen[8, 3].style.role == .error)
        #expect(browser.screen[9, 3].style.role == .stale)
        #expect(!browser.screen[9, 3].style.reverse)
        guard case .findings(let cursor)? = browser.state.overlay else {
            Issue.record("no findings view")
            return
        }
        #expect(cursor == 0)
        #expect(browser.state.checkup?.report?.status == .critical)
    }

    @Test func enterGoesToTheFindingsProjectAppAndItem() throws {
        let browser = Self.browser(try Self.store())
        browser.press(.char("!"), .down, .enter)
        #expect(browser.state.overlay == nil)
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedProject?.uuid == Fixture.beta.uuid)
        #expect(browser.state.selectedApp?.appName == "samplesheets")
        #expect(browser.state.selectedItem?.uuid == Fixture.uuid(105))
        #expect(browser.state.message?.text == "1 item (stale items) of samplesheets in Cancer Research / Project Beta")
        // The site-wide finding: the site row, its app; the names missing are no item, so the
        // project list keeps the focus.
        browser.press(.char("!"), .enter)
        #expect(browser.state.selectedProject == .site)
        #expect(browser.state.selectedApp?.appName == "sodarcache")
        #expect(browser.state.pane == .projects)
        // The orphan, from the payload view: the view goes, the item's list is shown.
        browser.press(.char("!"), .end, .enter)
        #expect(browser.state.selectedProject?.uuid == Fixture.tokyo.uuid)
        #expect(browser.state.selectedItem?.uuid == Fixture.uuid(106))
        browser.press(.enter)
        #expect(browser.state.pane == .payload)
        browser.press(.char("!"), .down, .down, .enter)
        #expect(browser.state.pane == .items)
        #expect(browser.state.payload == nil)
        #expect(browser.state.selectedItem?.name == "sheet/cleared")
    }

    @Test func aFindingInAFoldedCategoryOrBehindAFilterIsShownAnyway() throws {
        let browser = Self.browser(try Self.store())
        browser.press(.char("z"))
        #expect(browser.state.projectEntryCount == 4)
        browser.press(.char("/"))
        browser.type("Zeta")
        browser.press(.enter)
        browser.press(.char("!"), .down, .enter)
        #expect(browser.state.projects.filter == nil)
        #expect(browser.state.selectedProject?.uuid == Fixture.beta.uuid)
        #expect(browser.state.selectedItem?.uuid == Fixture.uuid(105))
        // Only the category above it opened.
        #expect(browser.state.foldAllProjects && browser.state.projectFolds == [Fixture.cancer.uuid])
    }

    @Test func anItemBeyondTheFirstPageOfItsAppIsSelected() throws {
        // 30 fresh items of Zeta sort before the stale one, which pages of 8 do not reach.
        let fresh = (0..<30).map { i in
            CacheItem(
                uuid: Fixture.uuid(300 + i), project: Fixture.zeta.uuid, appName: "samplesheets", name: String(format: "a/%02d", i),
                user: nil, data: Data("[1]".utf8), dateModified: Fixture.now)
        }
        let stale = CacheItem(
            uuid: Fixture.uuid(400), project: Fixture.zeta.uuid, appName: "samplesheets", name: "z/stale", user: nil,
            data: Data("[2]".utf8), dateModified: Fixture.now.addingTimeInterval(-90 * 86400))
        let browser = Self.browser(try Self.store(extra: fresh + [stale]), pageSize: 8)
        browser.press(.char("!"))
        let index = try #require(browser.state.checkup?.report?.findings.firstIndex { $0.project?.uuid == Fixture.zeta.uuid })
        for _ in 0..<index { browser.press(.down) }
        browser.press(.enter)
        #expect(browser.state.selectedProject?.uuid == Fixture.zeta.uuid)
        #expect(browser.state.selectedItem?.uuid == Fixture.uuid(400))
        #expect(browser.state.items.hasPrevious)
    }

    @Test func aClickSelectsAFindingAndASecondGoesThere() throws {
        let browser = Self.browser(try Self.store())
        browser.press(.char("!"))
        browser.send(.mouse(MouseEvent(.press, row: 10, column: 40)))
        guard case .findings(let cursor)? = browser.state.overlay else {
            Issue.record("the click closed the view")
            return
        }
        #expect(cursor == 2)
        browser.send(.mouse(MouseEvent(.press, row: 10, column: 40)))
        #expect(browser.state.overlay == nil)
        #expect(browser.state.selectedItem?.name == "sheet/cleared")
    }

    @Test func nothingFoundAndNoConfigAreSaid() throws {
        let clean = MemoryCacheStore(registeredApps: [])
        _ = try clean.importProjects([Fixture.zeta])
        let browser = Self.browser(clean, width: 130, height: 12, settings: DoctorSettings(), registered: nil)
        browser.press(.char("!"))
        #expect(row(browser.screen, 5).contains("nothing found in 0 items"), "\(browser.screen.text)")
        #expect(row(browser.screen, 5).contains("not checked: orphans, missing"))
        #expect(browser.state.checkup?.report?.notChecked[.orphans] != nil)
        // r runs it again; Esc closes; Enter with nothing found does nothing.
        browser.press(.enter)
        #expect(browser.state.overlay != nil)
        browser.press(.escape)
        #expect(browser.state.overlay == nil)
    }

    @Test func aStoreTheDoctorCannotReadSaysSo() {
        // The browser tests' source reads lists only.
        let browser = Fixture.browser(width: 80, height: 12)
        browser.press(.char("!"))
        #expect(row(browser.screen, 5).contains("Could not check the store: the doctor cannot read this store"))
        #expect(browser.state.checkup?.running == false)
    }

    @Test func theHelpListsTheKey() {
        let lines = BrowserView.helpLines(.standard)
        #expect(lines.contains { $0.hasPrefix("  !") && $0.contains("the doctor's findings") })
    }

    @Test func anAnswerToAnOlderRunIsDropped() throws {
        let store = try Self.store()
        var state = BrowserState(options: BrowserOptions(storePath: "/srv/cache.db"), now: Fixture.now, width: 100, height: 20)
        let first = state.update(.key(.char("!")))
        guard case .runDoctor(let request)? = first.first else {
            Issue.record("! asked for no run: \(first)")
            return
        }
        _ = state.update(.key(.char("r")))
        let report = try Doctor.examine(store, settings: Self.settings, registeredApps: nil, now: Fixture.now)
        _ = state.update(.doctorFinished(generation: request.generation, report: report))
        #expect(state.checkup?.report == nil && state.checkup?.running == true)
        // Closed before the answer came: the status line says what was found.
        _ = state.update(.key(.escape))
        _ = state.update(.doctorFinished(generation: state.checkup?.generation ?? 0, report: report))
        #expect(state.message?.text == "Doctor: CRITICAL, stale 1 · cleared 1 · missing 1 (! shows them)")
    }
}
