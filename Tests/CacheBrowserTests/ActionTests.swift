import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheSync
import Testing

/// Sync and delete from the browser: dialogs, marks, progress, failures, live refresh.
@Suite struct ActionTests {
    static func browser(
        source: FakeSource, width: Int = 100, height: Int = 20, readOnly: Bool = false
    ) -> (ScriptedBrowser, FakeActions) {
        let actions = FakeActions(source: source)
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: "/srv/cache.db", readOnly: readOnly), now: Fixture.now,
            width: width, height: height, timeZone: Fixture.utc, actions: actions, buildDocument: Fixture.builder)
        return (browser, actions)
    }

    /// Project Alpha's first app's items, the cursor on irods/shortcuts/assay/aaaa.
    static func alphaItems(_ browser: ScriptedBrowser) {
        browser.press(.down, .down, .enter, .enter)
        #expect(browser.state.pane == .items)
    }

    // MARK: - Delete dialogs

    @Test func deleteAsksFirstAndEnterOnTheDefaultNoDeletesNothing() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        Self.alphaItems(browser)
        browser.press(.char("d"))
        let text = browser.screen.text
        #expect(text.contains("Delete 1 item?"))
        #expect(text.contains("Delete item samplesheets: irods/shortcuts/assay/aaaa in"))
        #expect(text.contains("Cancer Research / Project Alpha?"))
        #expect(text.contains("1 item will be removed from the store."))
        // No is the highlighted answer.
        let screen = browser.screen
        let noRow = (0..<screen.height).first { row(screen, $0).contains("[ No ]") }!
        let noColumn = Array(row(screen, noRow)).firstIndex(of: "[")!
        #expect(screen[noRow, noColumn].style.reverse)
        browser.press(.enter)
        #expect(browser.state.overlay == nil)
        #expect(browser.state.message == StatusMessage("Nothing deleted"))
        #expect(source.allItems.count == 7)
    }

    @Test func yConfirmsAndTheListAndTotalsUpdate() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        Self.alphaItems(browser)
        browser.press(.char("d"), .char("y"))
        #expect(!source.allItems.contains { $0.name == "irods/shortcuts/assay/aaaa" })
        #expect(browser.state.message?.text.hasPrefix("Deleted 1 item (item samplesheets: irods/shortcuts/assay/aaaa") == true)
        let screen = browser.screen
        #expect(!(1..<screen.height - 2).contains { row(screen, $0).contains("irods/shortcuts/assay/aaaa") })
        #expect(screen.text.contains("6 items"))
        // The cursor stays in place: the neighbour is selected now.
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
    }

    @Test func arrowsChooseYesAndEnterThenConfirms() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        Self.alphaItems(browser)
        browser.press(.char("d"), .right, .enter)
        #expect(source.allItems.count == 6)
    }

    @Test func marksAreShownAndDeletedTogetherInOneGo() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        Self.alphaItems(browser)
        browser.press(.char(" "), .char(" "))
        #expect(browser.state.marks.count == 2)
        let screen = browser.screen
        #expect(screen.text.contains("Items · 2 marked"))
        let marked = (0..<screen.height).filter { row(screen, $0).contains("│*") }
        #expect(marked.count == 2)
        browser.press(.char("d"))
        #expect(browser.screen.text.contains("Delete 2 marked items?"))
        browser.press(.char("y"))
        #expect(source.allItems.count == 5)
        #expect(browser.state.marks.isEmpty)
        #expect(browser.state.message?.text == "Deleted 2 items (2 marked items)")
    }

    @Test func aMarkedStaleItemStillShowsItIsStaleWithoutColour() {
        let (browser, _) = Self.browser(source: Fixture.source())
        // Project Alpha's cytof app: irods/rows/cccc (2 days) and irods/rows/dddd (10 days, stale).
        browser.press(.down, .down, .enter, .down, .enter, .down)
        #expect(browser.state.selectedItem?.name == "irods/rows/dddd")
        browser.press(.char(" "))
        let line = (0..<browser.screen.height).map { row(browser.screen, $0) }.first { $0.contains("irods/rows/dddd") }
        #expect(line?.contains("│*irods/rows/dddd") == true)
        #expect(line?.contains("! 10d ago") == true, "\(line ?? "")")
    }

    @Test func uClearsMarks() {
        let (browser, _) = Self.browser(source: Fixture.source())
        Self.alphaItems(browser)
        browser.press(.char(" "), .char("U"))
        #expect(browser.state.marks.isEmpty)
        #expect(browser.state.message == StatusMessage("Cleared 1 mark"))
        #expect(!browser.screen.text.contains("marked"))
    }

    @Test func capitalDInTheProjectListDeletesTheProjectsItemsAfterCounting() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        browser.press(.down, .down)
        browser.press(.char("D"))
        #expect(browser.screen.text.contains("Delete all items of Cancer Research / Project Alpha?"))
        #expect(browser.screen.text.contains("4 items will be removed"))
        browser.press(.char("y"))
        #expect(!source.allItems.contains { $0.project == Fixture.alpha.uuid })
        #expect(source.allItems.count == 3)
    }

    @Test func xDeletesOnlyTheStaleItemsOfTheFocusedApp() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        browser.press(.down, .down, .enter, .down)
        #expect(browser.state.selectedApp?.appName == "samplesheets.assayapps.cytof")
        browser.press(.char("x"))
        #expect(browser.screen.text.contains("Delete the stale items (older than 7d) of app"))
        #expect(browser.screen.text.contains("samplesheets.assayapps.cytof in Cancer Research / Project"))
        #expect(browser.screen.text.contains("1 item will be removed"))
        browser.press(.char("y"))
        #expect(!source.allItems.contains { $0.name == "irods/rows/dddd" })
        #expect(source.allItems.contains { $0.name == "irods/rows/cccc" })
    }

    @Test func nothingStaleSaysSoWithoutADialog() {
        let (browser, _) = Self.browser(source: Fixture.source())
        browser.press(.down, .down, .enter)
        browser.press(.char("x"))
        #expect(browser.state.overlay == nil)
        #expect(browser.state.message?.text.hasPrefix("Nothing to delete") == true)
    }

    @Test func readOnlyRefusesSyncAndDeleteWithTheReason() {
        let source = Fixture.source()
        let (browser, actions) = Self.browser(source: source, readOnly: true)
        Self.alphaItems(browser)
        browser.press(.char("d"))
        #expect(browser.state.overlay == nil)
        #expect(browser.state.message == StatusMessage("Read-only: delete the item (or the marked items) is disabled (--read-only)", isError: true))
        browser.press(.char("s"))
        #expect(browser.state.message?.text.hasPrefix("Read-only: sync the selected project") == true)
        #expect(browser.screen.text.contains("--read-only"))
        #expect(actions.requests.isEmpty)
        #expect(source.allItems.count == 7)
    }

    // MARK: - Sync

    /// A state with a sync of Project Alpha started (its effect not run).
    static func syncing() -> (BrowserState, [BrowserEffect]) {
        let (browser, _) = browser(source: Fixture.source())
        browser.press(.down, .down)
        var state = browser.state
        let effects = state.update(.key(.char("s")))
        return (state, effects)
    }

    @Test func sSyncsTheSelectedProjectAndShowsProgress() {
        var (state, effects) = Self.syncing()
        #expect(effects == [.sync(SyncRequest(project: Fixture.alpha.uuid))])
        _ = state.update(.syncEvent(.planned(total: 3)))
        _ = state.update(.syncEvent(.started(app: "filestats", project: Fixture.alpha)))
        _ = state.update(.syncEvent(.finished(app: "filestats", project: Fixture.alpha, itemsWritten: 2)))
        _ = state.update(.syncEvent(.started(app: "projectcheck", project: Fixture.alpha)))
        _ = state.update(.tick(Fixture.now.addingTimeInterval(75)))
        let screen = BrowserView.render(state)
        let progress = row(screen, state.height - 3)
        #expect(progress.contains("Syncing Cancer Research / Project Alpha: 1/3 · projectcheck · 1:15 · c cancels"))
        // The UI stays usable: moving works while the sync runs.
        _ = state.update(.key(.down))
        #expect(state.projects.cursor == 3)
    }

    @Test func sWhileASyncRunsSaysSo() {
        var (state, _) = Self.syncing()
        let again = state.update(.key(.char("S")))
        #expect(again.isEmpty)
        #expect(state.message?.text == "A sync is already running (Cancer Research / Project Alpha); c cancels it")
    }

    @Test func inTheItemsSOnlySyncsThatApp() {
        let (browser, actions) = Self.browser(source: Fixture.source())
        Self.alphaItems(browser)
        browser.press(.char("s"))
        #expect(actions.requests == [SyncRequest(project: Fixture.alpha.uuid, app: "samplesheets")])
    }

    @Test func failuresAreListedAndOpenWithTheirDetails() {
        var (state, _) = Self.syncing()
        let failure = SyncFailure(
            message: "command /bin/sh exited with status 3", command: ["/bin/sh", "-c", "exit 3"], exitStatus: 3,
            stderrLines: ["no such sample: S1", "giving up"])
        _ = state.update(.syncEvent(.planned(total: 2)))
        _ = state.update(.syncEvent(.failed(app: "projectcheck", project: Fixture.alpha, failure: failure)))
        #expect(state.progressLine?.contains("1 failed (F)") == true)
        _ = state.update(.syncEnded(SyncSummary()))
        _ = state.update(.key(.char("F")))
        var text = BrowserView.render(state).text
        #expect(text.contains("Sync failures: 1"))
        #expect(text.contains("projectcheck · Cancer Research / Project Alpha: command /bin/sh exited with status 3"))
        _ = state.update(.key(.enter))
        text = BrowserView.render(state).text
        #expect(text.contains("Command: /bin/sh -c 'exit 3'"))
        #expect(text.contains("Exit status: 3"))
        #expect(text.contains("  no such sample: S1"))
        #expect(text.contains("  giving up"))
        _ = state.update(.key(.escape))
        _ = state.update(.key(.escape))
        #expect(state.overlay == nil)
    }

    @Test func theEndOfASyncReportsCountsAndTheNewItemsAppear() {
        let source = Fixture.source()
        let (browser, actions) = Self.browser(source: source)
        let written = CacheItem(
            uuid: Fixture.uuid(900), project: Fixture.alpha.uuid, appName: "projectcheck", name: "status/last_check",
            user: nil, data: Data("{}".utf8), dateModified: Fixture.now)
        actions.syncWrites = [written]
        actions.script = [
            .planned(total: 1), .started(app: "projectcheck", project: Fixture.alpha),
            .finished(app: "projectcheck", project: Fixture.alpha, itemsWritten: 1),
        ]
        browser.press(.down, .down, .char("s"))
        #expect(browser.state.sync == nil)
        #expect(browser.state.progressLine == nil)
        #expect(browser.state.message == StatusMessage("Synced Cancer Research / Project Alpha: 1/1 ok, 1 item written"))
        #expect(browser.screen.text.contains("projectcheck"))
        #expect(browser.screen.text.contains("8 items"))
    }

    @Test func quitDuringASyncAsksAndCancelsOnYes() {
        var (state, _) = Self.syncing()
        #expect(state.update(.key(.char("q"))).isEmpty)
        #expect(BrowserView.render(state).text.contains("Cancel it and quit?"))
        _ = state.update(.key(.enter))
        #expect(!state.quitting)
        #expect(state.message == StatusMessage("Not quitting: the sync goes on"))
        _ = state.update(.key(.ctrl("c")))
        let effects = state.update(.key(.char("y")))
        #expect(state.quitting)
        #expect(effects == [.cancelSync, .quit])
    }

    @Test func escapeAtTheTopAsksToCancelAndCKeyCancelsAtOnce() {
        var (state, _) = Self.syncing()
        _ = state.update(.key(.escape))
        #expect(BrowserView.render(state).text.contains("Cancel the sync of Cancer Research / Project Alpha?"))
        #expect(state.update(.key(.char("y"))) == [.cancelSync])
        #expect(state.sync?.cancelling == true)
        #expect(state.progressLine?.contains("Cancelling sync of") == true)
        var (other, _) = Self.syncing()
        #expect(other.update(.key(.char("c"))) == [.cancelSync])
    }

    // MARK: - Live refresh

    @Test func anotherProcessWritingShowsUpAndTheSelectionStays() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        Self.alphaItems(browser)
        browser.press(.down)
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
        browser.storeChanged(token: 0)
        source.put(
            CacheItem(
                uuid: Fixture.uuid(901), project: Fixture.alpha.uuid, appName: "samplesheets", name: "a/first",
                user: nil, data: Data("{}".utf8), dateModified: Fixture.now))
        browser.storeChanged(token: 1)
        #expect(browser.screen.text.contains("a/first"))
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
        #expect(browser.state.pane == .items)
    }

    @Test func anItemDeletedByAnotherProcessWhileShownSaysItIsGone() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        Self.alphaItems(browser)
        browser.press(.enter)
        #expect(browser.screen.text.contains("results_reports"))
        browser.storeChanged(token: 0)
        source.remove(uuid: Fixture.uuid(101))
        browser.storeChanged(token: 1)
        #expect(browser.state.pane == .payload)
        #expect(browser.screen.text.contains("This item is gone"))
    }

    @Test func aDeleteAfterLeavingThePayloadReportsTheDeleteNotAGoneItem() {
        let source = Fixture.source()
        let (browser, _) = Self.browser(source: source)
        Self.alphaItems(browser)
        browser.storeChanged(token: 0)
        browser.press(.enter, .escape)
        #expect(browser.state.pane == .items)
        browser.press(.char("d"), .char("y"))
        // The watcher then sees the browser's own delete.
        browser.storeChanged(token: 1)
        #expect(browser.state.message?.text.hasPrefix("Deleted 1 item") == true)
        #expect(!browser.screen.text.contains("This item is gone"))
    }
}
