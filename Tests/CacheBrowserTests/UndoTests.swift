import CacheBrowser
@testable import CacheBrowserRuntime
import Foundation
import Logging
import SodarCache
import SodarCacheSync
import StoreKernel
import Testing

/// Issue 20: `u` takes this session's deletes back from the trash, newest first, and the delete
/// dialogs say whether, how and until when.
@Suite struct UndoTests {
    static let twoWeeks: TimeInterval = 14 * 86400

    /// The store actions the executable uses, over the fixture's memory store (its trash on).
    static func actions(_ source: FakeSource) -> EngineStoreActions {
        let engine = SyncEngine(
            store: source.engine, plugins: [], jobs: 1, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        return EngineStoreActions(engine: engine, maintenance: source.engine, trash: { source.engine.trash }, retryDelays: [])
    }

    static func options(
        undo: DeleteUndo = .trash(keep: twoWeeks, maxBytes: 2 << 30), readOnly: Bool = false, capabilities: StoreCapabilities = .full
    ) -> BrowserOptions {
        BrowserOptions(storePath: "/srv/cache.db", readOnly: readOnly, capabilities: capabilities, undo: undo)
    }

    static func browser(
        source: FakeSource = Fixture.source(), undo: DeleteUndo = .trash(keep: twoWeeks, maxBytes: 2 << 30), width: Int = 100,
        height: Int = 20, readOnly: Bool = false, capabilities: StoreCapabilities = .full
    ) -> (ScriptedBrowser, FakeSource) {
        let browser = ScriptedBrowser(
            source: source, options: options(undo: undo, readOnly: readOnly, capabilities: capabilities),
            now: Fixture.now, width: width, height: height, timeZone: Fixture.utc, actions: actions(source),
            buildDocument: Fixture.builder)
        return (browser, source)
    }

    static func status(_ browser: ScriptedBrowser) -> String { row(browser.screen, browser.state.layout.statusRow) }

    static func item(_ source: FakeSource, _ name: String) -> CacheItem? { source.allItems.first { $0.name == name } }

    // MARK: - The dialogs

    @Test func theDeleteDialogSaysUntilWhenUUndoesIt() {
        let (browser, _) = Self.browser()
        ActionTests.alphaItems(browser)
        browser.press(.char("d"))
        // Two weeks after the injected clock, in the browser's time zone (UTC here).
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Projects                                     3/7 │ Apps · Project Alpha · Cancer Research      1/2
               (site-wide)    ┌─ Delete 1 item? ─────────────────────────────────────────────┐ 2  159B   3m ago
             ▾ Cancer Research│                                                              │ 2  302B   2d ago
                 Project Alpha│ Delete item samplesheets: irods/shortcuts/assay/aaaa in      │
            !    Project Beta │ Cancer Research / Project Alpha?                             │
             ▾ Germline/      │ Project: Cancer Research / Project Alpha                     │              1/2
                 東京 Family S│ App: samplesheets                                            │ 3m ago     132 B
               Zeta Lab       │ Item:                                                        │ 2h ago      27 B
                              │   irods/shortcuts/assay/aaaa                                 │
                              │ 1 item will be removed from the store.                       │
                              │ Undo with u until 2027-01-29 08:00                           │
                              │ (or sodarcache trash restore).                               │
                              │                                                              │
                              │                      [ No ]    [ Yes ]                       │
                              │ y yes · n/Esc no · ←/→ choose · Enter                        │
                              └──────────────────────────────────────────────────────────────┘
                                                              │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane  / filter  o sort
            """)
    }

    /// The delete question for one item on a 40x12 terminal, its name cut short; `undo` is
    /// its two rows on whether the delete can be undone, as drawn.
    static func tinyDeleteQuestion(_ undo: String) -> String {
        """
         sodarcache 4 projects · 2 categories ·…
         ┌─ Delete 1 item? ───────────────────┐
         │                                    │…
         │ Delete item samplesheets:          │…
         │ …                                  │
        \(undo)
         │                                    │
         │         [ No ]    [ Yes ]          │
         │ y yes · n/Esc no · ←/→ choose · E… │
         └────────────────────────────────────┘
        Enter open  Esc back  s sync  d del
        """
    }

    @Test func theUndoLinesShowOnATinyTerminalWhereTheNamesDoNot() {
        let (browser, source) = Self.browser(width: 40, height: 12)
        ActionTests.alphaItems(browser)
        browser.press(.char("d"))
        // The question's first line, the cut marked, and whether it can be undone.
        expectScreen(browser.screen, Self.tinyDeleteQuestion("""
            !│ Undo with u until 2027-01-29 08:00 │…
             │ (or sodarcache trash restore).     │…
            """))
        // The buttons still answer there: y deletes, and u undoes it.
        browser.press(.char("y"), .char("u"))
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") != nil)
    }

    @Test func withTheTrashOffTheDialogSaysTheDeleteIsForGood() {
        let (browser, source) = Self.browser(undo: .off(reason: "the trash is off (--no-trash)"), width: 40, height: 12)
        ActionTests.alphaItems(browser)
        browser.press(.char("d"))
        expectScreen(browser.screen, Self.tinyDeleteQuestion("""
            !│ This cannot be undone: the trash   │…
             │ is off (--no-trash).               │…
            """))
        browser.press(.char("y"))
        #expect(!browser.state.message!.text.contains("u undoes"))
        // Nothing was kept, so u asks nothing of the store.
        var state = browser.state
        #expect(state.update(.key(.char("u"))).isEmpty)
        #expect(state.message == StatusMessage("Nothing to undo: deletes are for good, the trash is off (--no-trash)", isError: true))
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") == nil)
    }

    @Test func aDeleteLargerThanTheTrashKeepsSaysItCannotBeUndone() {
        let (browser, _) = Self.browser(undo: .trash(keep: Self.twoWeeks, maxBytes: 150), height: 30)
        ActionTests.alphaItems(browser)
        // 132 B fit; the 132 B and 27 B of both items do not.
        browser.press(.char("d"))
        #expect(browser.screen.text.contains("Undo with u until 2027-01-29 08:00"))
        browser.press(.escape, .char(" "), .char(" "), .char("d"))
        let text = browser.screen.text
        #expect(text.contains("This cannot be undone: 159 B is more than the trash keeps"), "\(text)")
        #expect(text.contains("(max_size 150 B)."))
        #expect(!text.contains("Undo with u"))
        browser.press(.char("y"))
        #expect(Self.status(browser) == "Deleted 2 items (2 marked items)")
        // D counts its items' bytes with them: Project Alpha's other app holds 302 B.
        browser.press(.escape, .escape, .char("D"))
        #expect(browser.screen.text.contains("This cannot be undone: 302 B is more than the trash keeps"))
    }

    @Test func everyDeleteDialogSaysIt() {
        let (browser, _) = Self.browser(width: 100, height: 40)
        // D on a project, x on an app, and marked items.
        browser.press(.down, .down, .char("D"))
        #expect(browser.screen.text.contains("Undo with u until 2027-01-29 08:00"))
        browser.press(.escape, .enter, .down, .char("x"))
        #expect(browser.screen.text.contains("Undo with u until 2027-01-29 08:00"))
        browser.press(.escape, .up, .enter, .char(" "), .char(" "), .char("d"))
        #expect(browser.screen.text.contains("Delete 2 marked items?"))
        #expect(browser.screen.text.contains("(or sodarcache trash restore)."))
    }

    @Test func aRoleThatMayDeleteButNotWriteIsToldUCannotPutItBack() {
        let why = "role reader has no INSERT or UPDATE on public.sodarcache_jsoncacheitem"
        let (browser, source) = Self.browser(
            height: 30, capabilities: StoreCapabilities(role: "reader", canDelete: true, canWrite: false, whyNotWrite: why))
        ActionTests.alphaItems(browser)
        browser.press(.char("d"))
        let text = browser.screen.text
        #expect(text.contains("Kept in the trash until 2027-01-29 08:00, but u cannot"))
        #expect(text.contains("put it back here: role reader has no INSERT or UPDATE on"))
        browser.press(.char("y"))
        #expect(!Self.status(browser).contains("u undoes"))
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage("Cannot undo: " + why, isError: true))
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") == nil)
    }

    // MARK: - u

    @Test func uPutsTheDeletedItemBackAsItWas() throws {
        let (browser, source) = Self.browser()
        let before = try #require(Self.item(source, "irods/shortcuts/assay/aaaa"))
        ActionTests.alphaItems(browser)
        browser.press(.char("d"), .char("y"))
        #expect(Self.status(browser).hasPrefix("Deleted 1 item, u undoes it (item samplesheets: irods/shortcuts/assay/aaaa"))
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") == nil)
        browser.press(.char("u"))
        // The lists and totals read again, as after a delete: the item is back in its place.
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Projects                                     3/7 │ Apps · Project Alpha · Cancer Research      1/2
               (site-wide)                       1            │ samplesheets                   2  159B   3m ago
             ▾ Cancer Research/                  5  593B   3m │ samplesheets.as…apps.cytof     2  302B   2d ago
                 Project Alpha                   4  461B   3m │
            !    Project Beta                    1  132B  40d │
             ▾ Germline/                         1   65B  45s │ Items                                       2/2
                 東京 Family Study               1   65B  45s │ irods/shortcuts/assay/aaaa     3m ago     132 B
               Zeta Lab                          0            │ sheet/tables/study/ssss        2h ago      27 B
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
            Restored 1 item (delete 1)
            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane  / filter  o sort
            """)
        // Same UUID, payload, user and update time.
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") == before)
        #expect(try source.engine.trashEntries(limit: 10).isEmpty)
    }

    @Test func eachUUndoesTheDeleteBeforeTheLastOne() {
        let (browser, source) = Self.browser()
        ActionTests.alphaItems(browser)
        browser.press(.char("d"), .char("y"))
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
        browser.press(.char("d"), .char("y"))
        #expect(Set(source.allItems.map(\.name)).isDisjoint(with: ["irods/shortcuts/assay/aaaa", "sheet/tables/study/ssss"]))
        browser.press(.char("u"))
        #expect(Self.status(browser) == "Restored 1 item (delete 2)")
        #expect(Self.item(source, "sheet/tables/study/ssss") != nil)
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") == nil)
        browser.press(.char("u"))
        #expect(Self.status(browser) == "Restored 1 item (delete 1)")
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") != nil)
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage("Nothing to undo in this session"))
        #expect(source.allItems.count == 7)
    }

    @Test func markedItemsComeBackTogether() {
        let (browser, source) = Self.browser()
        ActionTests.alphaItems(browser)
        browser.press(.char(" "), .char(" "), .char("d"), .char("y"))
        #expect(source.allItems.count == 5)
        browser.press(.char("u"))
        #expect(Self.status(browser) == "Restored 2 items (delete 1)")
        #expect(source.allItems.count == 7)
    }

    @Test func aProjectsItemsDeletedWithCapitalDComeBack() {
        let (browser, source) = Self.browser()
        browser.press(.down, .down, .char("D"), .char("y"))
        #expect(!source.allItems.contains { $0.project == Fixture.alpha.uuid })
        browser.press(.char("u"))
        #expect(Self.status(browser) == "Restored 4 items (delete 1)")
        #expect(source.allItems.filter { $0.project == Fixture.alpha.uuid }.count == 4)
        #expect(row(browser.screen, 4).contains("Project Alpha                   4  461B"))
    }

    @Test func anItemWrittenSinceTheDeleteIsKeptAndTheStatusSaysWhy() throws {
        let (browser, source) = Self.browser()
        ActionTests.alphaItems(browser)
        browser.press(.char("d"), .char("y"))
        // Another writer writes an item of the same name meanwhile.
        let newer = CacheItem(
            uuid: Fixture.uuid(999), project: Fixture.alpha.uuid, appName: "samplesheets", name: "irods/shortcuts/assay/aaaa",
            user: User(username: "carol"), data: Data(#"{"new": true}"#.utf8), dateModified: Fixture.now)
        source.put(newer)
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage(
            "Restored nothing (delete 1); skipped samplesheets: irods/shortcuts/assay/aaaa: an item of that name was "
                + "written since (2027-01-15T08:00:00Z): kept", isError: true))
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") == newer)
        // It stays in the trash, for `sodarcache trash restore` once the newer item goes.
        #expect(try source.engine.trashEntries(limit: 10).map(\.items) == [1])
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage("Nothing to undo in this session"))
    }

    @Test func aDeleteTheBrowserDidNotMakeIsNotUndone() throws {
        let (browser, source) = Self.browser()
        // Through the same store, as a sync's plugin deletes: not the browser's to undo.
        _ = try source.engine.deleteItems(uuids: [Fixture.uuid(101)])
        #expect(source.engine.deletesThisSession == [1])
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage("Nothing to undo in this session"))
        // The browser's own delete after it is undone, and only that one.
        ActionTests.alphaItems(browser)
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
        browser.press(.char("d"), .char("y"), .char("u"))
        #expect(Self.status(browser) == "Restored 1 item (delete 2)")
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage("Nothing to undo in this session"))
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") == nil)
        #expect(Self.item(source, "sheet/tables/study/ssss") != nil)
    }

    /// While a sync runs, a trash entry that appears during the browser's delete may be the
    /// sync's (it deletes what a plugin no longer writes): only the entry holding what the
    /// browser deleted is noted, and `u` never brings back what the sync removed on purpose.
    @Test func whileASyncRunsOnlyTheBrowsersOwnDeleteIsNoted() throws {
        let source = Fixture.source()
        let actions = Self.actions(source)
        let ours = Fixture.uuid(101), theSyncs = Fixture.uuid(102)
        actions.syncsRunning.withLock { $0 = 1 }
        _ = try actions.notingDeletes(of: { $0.uuid == ours }) {
            _ = try source.engine.deleteItems(uuids: [theSyncs])  // the sync's, landing meanwhile
            return try source.engine.deleteItems(uuids: [ours])
        }
        #expect(source.engine.deletesThisSession == [1, 2])
        if case .restored(let entry, let report) = try actions.undoLastDelete() {
            #expect(entry == 2)
            #expect(report.restored.map(\.uuid) == [ours])
        } else {
            Issue.record("the browser's delete was not undone")
        }
        #expect(try actions.undoLastDelete() == .nothingLeft)
        #expect(try source.engine.item(uuid: theSyncs) == nil)
        // With no sync running, every entry the delete's time saw is the browser's.
        actions.syncsRunning.withLock { $0 = 0 }
        _ = try actions.notingDeletes(of: { _ in false }) { try source.engine.deleteItems(uuids: [Fixture.uuid(103)]) }
        if case .restored(let entry, _) = try actions.undoLastDelete() { #expect(entry == 3) } else { Issue.record("not undone") }
    }

    @Test func aPurgedDeleteSaysSoAndTheNextUGoesOn() throws {
        let (browser, source) = Self.browser()
        ActionTests.alphaItems(browser)
        browser.press(.char("d"), .char("y"))
        try source.engine.purgeTrash(before: nil)
        browser.press(.char("u"))
        #expect(browser.state.message?.text.hasPrefix("Cannot undo delete 1: it is no longer in the trash") == true)
        #expect(browser.state.message?.isError == true)
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage("Nothing to undo in this session"))
    }

    @Test func afterTheStoreFileWasReplacedTheOldDeletesAreNotUndone() {
        let (browser, source) = Self.browser()
        ActionTests.alphaItems(browser)
        browser.press(.char("d"), .char("y"))
        // A restore from backup replaces the file; r reopens it.
        source.replacement = (projects: [Fixture.cancer, Fixture.alpha], items: [Fixture.entries[1].0])
        browser.press(.char("r"))
        browser.press(.char("u"))
        #expect(browser.state.message?.text.hasPrefix("Cannot undo delete 1: the store was reopened since (r)") == true)
        #expect(Self.item(source, "irods/shortcuts/assay/aaaa") == nil)
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage("Nothing to undo in this session"))
    }

    @Test func theStatusNamesTheFirstSkippedItemEscapedAndWhereTheRestAreListed() {
        func trashed(_ n: Int, _ name: String) -> TrashedItem {
            TrashedItem(
                entry: 12, uuid: Fixture.uuid(n), project: Fixture.alpha.uuid, appName: "samplesheets", name: name, user: nil,
                dateModified: Fixture.now, data: Data("{}".utf8))
        }
        let report = RestoreReport(
            restored: [trashed(1, "a"), trashed(2, "b"), trashed(3, "c")],
            skipped: [
                .init(item: trashed(4, "irods/\u{1B}[31mred"), reason: .projectGone),
                .init(item: trashed(5, "e"), reason: .alreadyThere),
            ])
        // On SODAR's tables with commit timestamps the rows are as they were, their age the restore's.
        var state = BrowserState(
            options: BrowserOptions(storePath: "postgresql://db/sodar", itemAges: .commitTime, undo: .trash(keep: 60, maxBytes: 1)),
            now: Fixture.now, width: 100, height: 20, timeZone: Fixture.utc)
        let effects = state.update(.undone(.restored(entry: 12, report: report)))
        #expect(state.message == StatusMessage(
            "Restored 3 items (delete 12), their age now the restore's commit time; skipped 2, first samplesheets: "
                + "irods/\\u001b[31mred: its project is no longer in the store (sodarcache trash show 12 lists them)"))
        // The lists and totals are read again, as after a delete.
        #expect(effects.contains(.loadTotals))
    }

    @Test func readOnlyRefusesU() {
        let (browser, _) = Self.browser(readOnly: true)
        browser.press(.char("u"))
        #expect(browser.state.message == StatusMessage(
            "Read-only: undo this session's last delete (again: the one before) is disabled (--read-only)", isError: true))
    }

    @Test func theHelpListsU() {
        let lines = BrowserView.helpLines(.standard)
        #expect(lines.contains { $0.hasPrefix("  u ") && $0.hasSuffix("undo this session's last delete (again: the one before)") })
    }
}

/// `u` on the loop as the terminal app runs it: effects on their own queues (lanes).
@Suite struct UndoLoopTests {
    @Test func uPressedRightAfterYesUndoesThatDelete() throws {
        let source = Fixture.source()
        let before = try #require(UndoTests.item(source, "irods/shortcuts/assay/aaaa"))
        let terminal = ScriptedTerminal(width: 100, height: 20, now: Fixture.now)
        let loop = BrowserLoop(
            terminal: terminal, source: source, options: UndoTests.options(), actions: UndoTests.actions(source),
            timeZone: Fixture.utc, buildDocument: Fixture.builder)
        terminal.send(.key(.down), when: { $0.text.contains("site/settings") })
        terminal.send(.key(.down), when: { $0.text.contains("Projects                                     2/7") })
        terminal.send(.key(.enter), when: { $0.text.contains("Apps · Project Alpha") })
        terminal.send(.key(.enter), when: { $0.text.contains("samplesheets.as…apps.cytof") })
        terminal.send(.key(.char("d")), when: { $0.text.contains("Items                                       1/2") })
        // u at once: the delete's lane runs it after the delete, whatever the timing.
        terminal.send(.key(.char("y")), when: { $0.text.contains("Undo with u until 2027-01-29 08:00") })
        terminal.send(.key(.char("u")))
        terminal.send(.key(.char("q")), when: { $0.text.contains("Restored 1 item (delete 1)") })
        _ = loop.run(watchInterval: nil)
        loop.shutdown()
        #expect(!terminal.gaveUp, "\(terminal.screen.text)")
        #expect(UndoTests.item(source, "irods/shortcuts/assay/aaaa") == before)
        #expect(terminal.screen.text.contains("irods/shortcuts/assay/aaaa"))
    }
}
