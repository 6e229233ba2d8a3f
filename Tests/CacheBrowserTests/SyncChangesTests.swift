import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel
import Testing

/// `P` previews a project's sync (a dry run, nothing written) and `C` lists the last sync's
/// changes: per project and app, the items new, changed (with their paths), removed and no
/// longer written, the apps not run and why; Enter opens an item.
@Suite struct SyncChangesTests {
    static let changed = SyncItemChange(
        kind: .changed, project: Fixture.alpha.uuid, app: "samplesheets", name: "sheet/tables/study/ssss",
        paths: [".study.top_header[0]", ".study.name"], pathCount: 5)

    /// Alpha's samplesheets: one new, one changed, three unchanged, one no longer written; its
    /// irods stats not run (the command writes the cache itself).
    static let alphaChanges: [SyncUnitChanges] = [
        SyncUnitChanges(
            app: "samplesheets", project: Fixture.alpha, basis: .writes,
            counts: SyncChangeCounts(new: 1, changed: 1, unchanged: 3, notWritten: 1),
            items: [
                SyncItemChange(kind: .new, project: Fixture.alpha.uuid, app: "samplesheets", name: "sheet/new"),
                changed,
                SyncItemChange(kind: .notWritten, project: Fixture.alpha.uuid, app: "samplesheets", name: "irods/shortcuts/assay/aaaa"),
            ]),
        SyncUnitChanges(app: "irodsbackend", project: Fixture.alpha, basis: .skipped, skipped: SyncMessages.dryRunSkips),
    ]

    static let script: [SyncEvent] = [
        .planned(total: 1), .started(app: "samplesheets", project: Fixture.alpha),
        .finished(app: "samplesheets", project: Fixture.alpha, itemsWritten: 2),
    ]

    /// The browser on Project Alpha's row, with these changes scripted.
    static func browser(
        changes: [SyncUnitChanges] = alphaChanges, script: [SyncEvent] = script, width: Int = 100, height: Int = 20
    ) -> (ScriptedBrowser, FakeActions, FakeSource) {
        let source = Fixture.source()
        let (browser, actions) = ActionTests.browser(source: source, width: width, height: height)
        actions.changes = changes
        actions.script = script
        browser.press(.down, .down)
        #expect(browser.state.selectedProject?.uuid == Fixture.alpha.uuid)
        return (browser, actions, source)
    }

    // MARK: - P

    @Test func pPreviewsTheProjectsSyncAndWritesNothing() {
        let (browser, actions, source) = Self.browser()
        browser.press(.char("P"))
        #expect(actions.previews == [SyncRequest(project: Fixture.alpha.uuid)])
        #expect(actions.requests.isEmpty)
        #expect(source.allItems.count == 7)
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Projects                                     3/7 │ Apps · Project Alpha · Cancer Research      1/2
               (site-wide)                       1            │ samplesheets                   2  159B   3m ago
             ▾ Cancer Research/                  5  593B   3m │ samplesheets.as…apps.cytof     2  302B   2d ago
                 Project Alpha                   4  461B   3m │
            !┌─ Sync preview: Cancer Research / Project Alpha · now (Enter: open the item, Esc: close) ───────┐
             │ Would change: 1 new, 1 changed, 3 unchanged, 1 no longer written in 1 of 2 units; 1 not run (… │
             │ Project "Cancer Research / Project Alpha"                                                      │
             │   irodsbackend: not run: its command writes the cache itself (writes_cache), so a dry run doe… │
             │   samplesheets: 1 new, 1 changed, 3 unchanged, 1 no longer written                             │
             │     + sheet/new                                                                                │
             │     ~ sheet/tables/study/ssss: .study.top_header[0], .study.name, +3 more                      │
             │     ! irods/shortcuts/assay/aaaa (no longer written: stays as it is)                           │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘
                                                              │
                                                              │
                                                              │
                                                              │
            Would change: 1 new, 1 changed, 3 unchanged, 1 no longer written in 1 of 2 units; 1 not run (its co…
            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane  / filter  o sort
            """)
        // The last real sync's list is not the preview's.
        browser.press(.escape, .char("C"))
        #expect(browser.state.overlay == nil)
        #expect(browser.state.message?.text == "No sync in this session yet (s, S)")
    }

    @Test func enterOnAChangedItemOpensItsPayloadAndOnANewOneSaysItIsNotThere() {
        let (browser, _, _) = Self.browser()
        browser.press(.char("P"), .down, .down, .down, .enter)
        #expect(browser.state.message?.text == "samplesheets:sheet/new is not in the store: the preview wrote nothing")
        #expect(browser.state.overlay != nil)
        browser.press(.down, .enter)
        #expect(browser.state.overlay == nil)
        #expect(browser.state.pane == .payload)
        #expect(browser.state.payload?.item?.name == "sheet/tables/study/ssss")
        #expect(browser.state.payload?.projectTitle == "Cancer Research / Project Alpha")
        // Back lands on the item in its list.
        browser.press(.escape)
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
        #expect(browser.state.selectedApp?.appName == "samplesheets")
    }

    @Test func anItemGoneSinceTheSyncIsSaidToBeGone() {
        let (browser, _, source) = Self.browser()
        browser.press(.char("P"), .end)
        source.remove(uuid: Fixture.uuid(101))
        browser.press(.enter)
        #expect(browser.state.message?.text == "samplesheets:irods/shortcuts/assay/aaaa is no longer in the store")
        #expect(browser.state.pane == .projects)
    }

    @Test func aPreviewIsCancelledWithCAsASyncIs() {
        var state = BrowserState(options: BrowserOptions(storePath: "/srv/cache.db"), now: Fixture.now, width: 100, height: 20)
        state.actionsAvailable = true
        _ = state.start()
        let zeta = ProjectSummary(project: Fixture.zeta, depth: 0, itemCount: 0, latestUpdate: nil)
        _ = state.update(.pageLoaded(generation: state.projects.generation, page: .projects(PageRows(rows: [zeta], start: .after(nil)))))
        let effects = state.update(.key(.char("P")))
        #expect(effects == [.previewSync(SyncRequest(project: Fixture.zeta.uuid))])
        #expect(state.progressLine?.hasPrefix("Previewing the sync of Zeta Lab: planning") == true)
        #expect(state.update(.key(.char("c"))) == [.cancelSync])
        #expect(state.progressLine?.hasPrefix("Cancelling the preview of Zeta Lab") == true)
        var summary = SyncSummary()
        summary.dryRun = true
        summary.cancelled = true
        summary.skipped = 1
        _ = state.update(.syncEnded(summary))
        #expect(state.sync == nil)
        #expect(state.overlay == .changes(preview: true, cursor: 0))
        #expect(state.message == StatusMessage(
            "Nothing would change: 0 new, 0 changed, 0 unchanged, 0 no longer written in 0 of 0 units; cancelled: 1 not compared; "
                + "nothing was written", isError: true))
        let screen = BrowserView.render(state)
        #expect(screen.text.contains("│ Nothing to list: no app ran"))
    }

    @Test func aBrowserWithoutTheSyncEnginePointsToTheCommandLine() {
        let browser = Fixture.browser(width: 100, height: 20)
        browser.press(.down, .down, .char("P"))
        #expect(browser.state.sync == nil)
        #expect(browser.state.message == StatusMessage(
            "The sync preview is not available in this browser (synccache --dry-run is)", isError: true))
    }

    @Test func aPreviewThatCannotStartSaysWhy() {
        var state = BrowserState(options: BrowserOptions(storePath: "/srv/cache.db"), now: Fixture.now, width: 100, height: 20)
        state.actionsAvailable = true
        state.sync = SyncProgress(title: "Zeta Lab", started: Fixture.now)
        state.sync?.dryRun = true
        _ = state.update(.syncFailed(message: "no project 0000"))
        #expect(state.message == StatusMessage("Sync preview failed: no project 0000", isError: true))
        #expect(state.overlay == nil)
    }

    @Test func aFailedUnitAndHostileNamesAreShownEscaped() {
        let hostile = "\u{1B}]52;c;ZXZpbA==\u{7}\u{1B}[2J"
        let changes = [
            SyncUnitChanges(
                app: "samplesheets", project: Fixture.alpha, basis: .writes, counts: SyncChangeCounts(new: 1),
                items: [SyncItemChange(kind: .new, project: Fixture.alpha.uuid, app: "samplesheets", name: "x" + hostile)])
        ]
        let failure = SyncFailure(message: "exit 3: \u{1B}[31mboom")
        let script: [SyncEvent] = [
            .planned(total: 2), .finished(app: "samplesheets", project: Fixture.alpha, itemsWritten: 1),
            .failed(app: "cytof" + hostile, project: Fixture.alpha, failure: failure),
        ]
        let (browser, _, _) = Self.browser(changes: changes, script: script, width: 80, height: 14)
        browser.press(.char("P"))
        expectScreen(browser.screen, """
             sodarcache /srv/cac… 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Projects                           3/7 │ Apps · Project Alpha · Cancer Re… 1/2
               (site-wide)             1            │ samplesheets               2   3m ago
             ┌─ Sync preview: Cancer Research / Project Alpha · now (Enter: open the ite…─┐
             │ Would change: 1 new, 0 changed, 0 unchanged, 0 no longer written in 1 of … │
            !│ Project "Cancer Research / Project Alpha"                                  │
             │   cytof\\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J: failed: exit 3: \\u001b[31mboom │
             │   samplesheets: 1 new, 0 changed, 0 unchanged, 0 no longer written         │
             │     + x\\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J                                 │
             └────────────────────────────────────────────────────────────────────────────┘
                                                    │
                                                    │
            Would change: 1 new, 0 changed, 0 unchanged, 0 no longer written in 1 of 2 unit…
            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane
            """)
        // A preview's failures are its own: F still lists the last real sync's (none).
        browser.press(.escape, .char("F"))
        #expect(browser.state.message?.text == "No sync failures")
    }

    @Test func aTinyTerminalShowsWhatFits() {
        let (browser, _, _) = Self.browser(width: 40, height: 12)
        browser.press(.char("P"), .down, .down)
        expectScreen(browser.screen, """
             sodarcache 4 projects · 2 categories ·…
             ┌─ Sync preview: Cancer Research / …─┐
             │ Would change: 1 new, 1 changed, 3… │…
             │ Project "Cancer Research / Projec… │…
             │   irodsbackend: not run: its comm… │
            !│   samplesheets: 1 new, 1 changed,… │…
             │     + sheet/new                    │…
             │     ~ sheet/tables/study/ssss: .s… │
             │     ! irods/shortcuts/assay/aaaa … │
             └────────────────────────────────────┘

            Enter open  Esc back  s sync  d del
            """)
    }

    // MARK: - s, then C

    @Test func aSyncsResultSaysTheCountsAndCListsThem() {
        var changes = Self.alphaChanges
        changes.removeLast()
        let (browser, actions, _) = Self.browser(changes: changes)
        browser.press(.char("C"))
        #expect(browser.state.message?.text == "No sync in this session yet (s, S)")
        browser.press(.char("s"))
        #expect(actions.requests == [SyncRequest(project: Fixture.alpha.uuid)])
        #expect(browser.state.message?.text == "Synced Cancer Research / Project Alpha: 1/1 ok, 2 items written "
            + "(C: 1 new, 1 changed, 3 unchanged, 1 no longer written)")
        browser.press(.char("C"))
        #expect(browser.state.overlay == .changes(preview: false, cursor: 0))
        let text = browser.screen.text
        #expect(text.contains("┌─ Last sync: Cancer Research / Project Alpha · now (Enter: open the item, Esc: close)"))
        #expect(text.contains("│ Changed: 1 new, 1 changed, 3 unchanged, 1 no longer written in 1 of 1 units"))
        #expect(text.contains("│   samplesheets: 1 new, 1 changed, 3 unchanged, 1 no longer written"))
        // A changed item opens with its versions listed, where Enter diffs one against it.
        browser.press(.down, .down, .down, .enter)
        #expect(browser.state.pane == .payload)
        #expect(browser.state.payload?.summary.name == "sheet/tables/study/ssss")
        #expect(browser.state.versions?.item.name == "sheet/tables/study/ssss")
        browser.press(.escape, .escape, .escape, .char("C"))
        #expect(browser.state.overlay == .changes(preview: false, cursor: 0))
        // After a real sync the new item is there to open.
        browser.press(.down, .down, .enter)
        #expect(browser.state.message?.text == "Looking for samplesheets:sheet/new…" || browser.state.message?.text == "samplesheets:sheet/new is no longer in the store")
    }

    @Test func theListSaysPerAppCountsAcrossProjectsAndCutsLongLists() {
        let many = (0..<60).map { SyncItemChange(kind: .new, project: Fixture.beta.uuid, app: "samplesheets", name: String(format: "n/%02d", $0)) }
        let changes = [
            SyncUnitChanges(app: "samplesheets", project: Fixture.alpha, basis: .writes, counts: SyncChangeCounts(unchanged: 2)),
            SyncUnitChanges(
                app: "samplesheets", project: Fixture.beta, basis: .writes, counts: SyncChangeCounts(new: 65), items: many,
                itemsLeftOut: 5),
        ]
        let list = ChangeList(source: .lastSync, title: "everything", endedAt: Fixture.now, summary: {
            var summary = SyncSummary()
            summary.total = 2
            summary.succeeded = 2
            summary.changes = changes
            return summary
        }())
        #expect(list.rows.prefix(5).map(\.text) == [
            "Per app (as synccache's summary counts them)",
            "  samplesheets: 65 new, 0 changed, 2 unchanged, 0 no longer written",
            "Project \"Cancer Research / Project Alpha\"",
            "  samplesheets: 0 new, 0 changed, 2 unchanged, 0 no longer written",
            "Project \"Cancer Research / Project Beta\"",
        ])
        #expect(list.rows.filter { $0.item != nil }.count == ChangeList.itemsPerUnit)
        #expect(list.rows.last?.text == "    … 15 more")
        #expect(list.closing == "Changed: 65 new, 0 changed, 2 unchanged, 0 no longer written in 2 of 2 units")
    }

    @Test func theKeysAreInTheHelpAndTheHintBar() {
        let help = BrowserView.helpLines(.standard).joined(separator: "\n")
        #expect(help.contains("  P                      preview the project's sync (writes nothing)\n"))
        #expect(help.contains("  C                      the last sync's changes (Enter: open the item)\n"))
        #expect(help.contains("  L                      audit log: this session's, then the store's\n"))
        let (browser, _, _) = Self.browser(width: 160)
        #expect(row(browser.screen, 19).contains("P preview  L log"))
    }
}
