import CacheBrowser
import Foundation
import SodarCache
import SodarCacheSync
import Testing

/// Issue 13's rough edges in the browser: sort, filter prompt, cancel summaries, reopening a
/// replaced store, the header, plurals.
@Suite struct RoughEdgeTests {
    /// 450 items whose name, update-time and size orders differ: item0000 is first by name,
    /// oldest and smallest.
    static func bigApp() -> FakeSource {
        let project = Project(uuid: Fixture.uuid(9), title: "Big")
        let items = (0..<450).map { i in
            CacheItem(
                uuid: Fixture.uuid(20_000 + i), project: project.uuid, appName: "app", name: String(format: "item%04d", i),
                user: nil, data: Data("{\"n\": \"\(String(repeating: "x", count: i))\"}".utf8),
                dateModified: Fixture.now.addingTimeInterval(Double(i - 450)))
        }
        return FakeSource(projects: [project], items: items)
    }

    @Test func sortKeepsTheSelectedItemSelectedEvenBeyondTheFirstPage() {
        let browser = Fixture.browser(source: Self.bigApp(), width: 100, height: 30)
        browser.press(.enter, .enter)
        for _ in 0..<10 { browser.press(.down) }
        #expect(browser.state.selectedItem?.name == "item0010")
        browser.press(.char("o"))  // updated: newest first, item0010 is 440th
        #expect(browser.state.itemSort == .updated)
        #expect(browser.state.selectedItem?.name == "item0010")
        #expect(browser.screen.text.contains("item0010"))
        // Its neighbours in the new order are there, both ways.
        browser.press(.down)
        #expect(browser.state.selectedItem?.name == "item0009")
        browser.press(.up, .up)
        #expect(browser.state.selectedItem?.name == "item0011")
        browser.press(.char("o"))  // size: largest first
        #expect(browser.state.selectedItem?.name == "item0011")
        browser.press(.char("o"))  // name again
        #expect(browser.state.selectedItem?.name == "item0011")
        // Paging up from there reaches the true first row.
        browser.press(.char("g"))
        #expect(browser.state.selectedItem?.name == "item0000")
    }

    @Test func sortKeepsTheSelectionInASmallList() {
        let browser = Fixture.browser(width: 100, height: 24)
        browser.press(.down, .down, .enter, .enter, .down)
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
        browser.press(.char("o"))
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
        #expect(browser.state.items.rows.count == 2)
    }

    @Test func typingAtAPrefilledFilterPromptReplacesTheOldFilter() {
        let browser = Fixture.browser(width: 100, height: 24)
        browser.press(.char("/"))
        browser.type("alpha")
        browser.press(.enter)
        #expect(browser.state.projects.filter == "alpha")
        browser.press(.char("/"))
        let status = browser.state.layout.statusRow
        #expect(row(browser.screen, status) == "Filter projects: alpha█")
        // The old value shows selected: typing replaces it.
        #expect(browser.screen[status, 17].style.reverse)
        browser.type("germ")
        #expect(row(browser.screen, status) == "Filter projects: germ█")
        browser.press(.enter)
        #expect(browser.state.projects.filter == "germ")
        #expect(browser.state.selectedProject?.title == "Germline")
        // Backspace edits the old value instead.
        browser.press(.char("/"), .backspace)
        #expect(row(browser.screen, status) == "Filter projects: ger█")
        browser.type("m")
        browser.press(.enter)
        #expect(browser.state.projects.filter == "germ")
    }

    @Test func aCancelledSyncIsSummedUpInTheCommandLinesWords() {
        var (state, _) = ActionTests.syncing()
        var summary = SyncSummary()
        summary.total = 8
        summary.succeeded = 2
        summary.failed = 2
        summary.skipped = 4
        summary.itemsWritten = 1
        summary.cancelled = true
        _ = state.update(.syncEnded(summary))
        #expect(
            state.message?.text
                == "Sync of Cancer Research / Project Alpha cancelled: 2 of 8 done, 2 failed, 4 not done, 1 item written")
        #expect(SyncMessages.cancelled(summary) == "Cache synchronization cancelled: 2 of 8 done, 2 failed, 4 not done")
    }

    @Test func rReopensAStoreWhoseFileWasReplaced() {
        let source = Fixture.source()
        let browser = Fixture.browser(source: source, width: 80, height: 16)
        #expect(browser.screen.text.contains("Cancer Researc"))
        let restored = Project(uuid: Fixture.uuid(77), title: "Restored Lab")
        source.replacement = ([restored], [])
        browser.send(.storeUnavailable(message: "The store file was deleted or replaced (r reopens it): /srv/cache.db"))
        browser.press(.char("r"))
        let screen = browser.screen.text
        #expect(screen.contains("Restored Lab"))
        #expect(!screen.contains("Cancer Research/"))
        #expect(row(browser.screen, 14) == "Reopened /srv/cache.db: the file had been replaced")
        // Nothing to reopen the second time.
        browser.press(.char("r"))
        #expect(row(browser.screen, 14) == "Reloaded")
    }

    @Test func theHeaderCountsProjectsAndCategoriesApartWithPlurals() {
        let category = Project(uuid: Fixture.uuid(1), title: "Cat", type: .category)
        let project = Project(uuid: Fixture.uuid(2), title: "One", parent: category.uuid, fullTitle: "Cat / One")
        let item = CacheItem(
            uuid: Fixture.uuid(3), project: project.uuid, appName: "app", name: "x", user: nil, data: Data("{}".utf8),
            dateModified: Fixture.now)
        let browser = Fixture.browser(source: FakeSource(projects: [category, project], items: [item]), width: 80)
        #expect(row(browser.screen, 0).hasSuffix("1 project · 1 category · 1 item · 2 B"))
        let many = Fixture.browser(width: 100)
        #expect(row(many.screen, 0).hasSuffix("4 projects · 2 categories · 7 items · 674 B · 1 site-wide"))
    }

    @Test func oneAlreadyGoneItemIsSaidInTheSingular() {
        let source = Fixture.source()
        let (browser, _) = ActionTests.browser(source: source)
        ActionTests.alphaItems(browser)
        browser.press(.char(" "), .char(" "))
        source.remove(uuid: Fixture.uuid(101))
        browser.press(.char("d"), .char("y"))
        #expect(browser.state.message?.text == "Deleted 1 item (2 marked items); 1 was already gone")
    }

    @Test func anItemAnotherWriterRewroteWhileTheDialogWasOpenIsKept() throws {
        let source = Fixture.source()
        let (browser, _) = ActionTests.browser(source: source)
        ActionTests.alphaItems(browser)
        browser.press(.char(" "), .char(" "))
        browser.press(.char("d"))
        // Behind the dialog, another process writes new data into the first marked item.
        let old = try #require(source.allItems.first { $0.uuid == Fixture.uuid(101) })
        var rewritten = old
        rewritten.data = Data(#"{"fresh": "new data"}"#.utf8)
        rewritten.dateModified = old.dateModified.addingTimeInterval(60)
        source.put(rewritten)
        browser.press(.char("y"))
        #expect(browser.state.message?.text == "Deleted 1 item (2 marked items); kept 1 item another writer changed since it was shown")
        #expect(source.allItems.first { $0.uuid == Fixture.uuid(101) }?.data == rewritten.data)
    }
}
