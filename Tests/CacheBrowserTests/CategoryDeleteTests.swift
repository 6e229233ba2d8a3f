import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import Testing

/// Issue 18, point 10: D and x on a category's row take its whole subtree, as s does and as the
/// row's figures show.
@Suite struct CategoryDeleteTests {
    func browser() -> (ScriptedBrowser, FakeSource) {
        let source = Fixture.source()
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: "/srv/cache.db"), now: Fixture.now, width: 100, height: 30,
            timeZone: Fixture.utc, actions: FakeActions(source: source), buildDocument: Fixture.builder)
        return (browser, source)
    }

    /// The cursor on the projects pane's "Cancer Research" row.
    func onCategory(_ browser: ScriptedBrowser) {
        for _ in 0..<6 where browser.state.selectedProject?.title != "Cancer Research" { browser.press(.down) }
        #expect(browser.state.selectedProject?.title == "Cancer Research")
    }

    @Test func dOnACategoryDeletesEveryItemBeneathItAndSaysInHowManyProjects() {
        let (browser, source) = browser()
        onCategory(browser)
        browser.press(.char("D"))
        let text = browser.screen.text
        #expect(text.contains("Delete 5 items?"), "\(text)")
        #expect(text.contains("Cancer Research and every project beneath it"))
        #expect(text.contains("In 2 projects with items"))
        browser.press(.char("y"))
        #expect(Set(source.allItems.map(\.appName)) == ["samplesheets.studyapps.germline", "sodarcache"])
    }

    @Test func xOnACategoryTakesTheStaleItemsOfItsSubtree() {
        let (browser, source) = browser()
        onCategory(browser)
        browser.press(.char("x"))
        #expect(browser.screen.text.contains("Delete 2 items?"), "\(browser.screen.text)")
        browser.press(.char("y"))
        #expect(source.allItems.count == Fixture.entries.count - 2)
        #expect(!source.allItems.contains { $0.name == "irods/rows/dddd" || $0.name == "irods/shortcuts/assay/bbbb" })
    }
}
