import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import StoreKernel
import Testing

/// Issue 18, point 8: the browser offers what the store's role may do, and says why not.
@Suite struct CapabilityTests {
    func browser(_ capabilities: StoreCapabilities) -> (ScriptedBrowser, FakeSource) {
        let source = Fixture.source()
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: "postgresql://reader@db/sodar", capabilities: capabilities),
            now: Fixture.now, width: 100, height: 30, timeZone: Fixture.utc, actions: FakeActions(source: source),
            buildDocument: Fixture.builder)
        return (browser, source)
    }

    func status(_ browser: ScriptedBrowser) -> String { row(browser.screen, browser.state.layout.statusRow) }

    @Test func aRoleThatMayDeleteButNotWriteDeletesAndCannotSync() {
        let why = "role reader has no INSERT or UPDATE on public.sodarcache_jsoncacheitem"
        let (browser, source) = browser(StoreCapabilities(role: "reader", canDelete: true, canWrite: false, whyNotWrite: why))
        #expect(row(browser.screen, 0).contains("[read, delete] postgresql://"))
        // Why, once at launch.
        #expect(status(browser).contains("Read, delete: " + why))
        let before = source.allItems.count
        browser.press(.down, .down, .enter, .enter)
        browser.press(.char("s"))
        #expect(status(browser).contains("Cannot sync: " + why))
        browser.press(.char("d"))
        #expect(browser.screen.text.contains("Delete 1 item?"))
        browser.press(.char("y"))
        #expect(source.allItems.count == before - 1)
    }

    @Test func aRoleThatMayOnlyReadIsOfferedNeitherDeleteNorSync() {
        let why = "role viewer has no DELETE on public.sodarcache_jsoncacheitem"
        let (browser, source) = browser(StoreCapabilities(role: "viewer", canDelete: false, canWrite: false, whyNotDelete: why, whyNotWrite: why))
        #expect(row(browser.screen, 0).contains("[read only]"))
        let before = source.allItems.count
        browser.press(.down, .down, .enter, .enter)
        for key in ["d", "D", "x"] {
            browser.press(.char(Character(key)))
            #expect(status(browser).contains("Cannot delete: " + why), "\(key)")
            #expect(!browser.screen.text.contains("Delete"), "\(key)")
        }
        browser.press(.char("S"))
        #expect(status(browser).contains("Cannot sync"))
        #expect(source.allItems.count == before)
    }

    /// On SODAR's tables without commit timestamps the items' ages are creation times: the
    /// items pane and the record say so.
    @Test func creationTimeAgesAreLabelled() {
        let source = Fixture.source()
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: "postgresql://db/sodar", itemAges: .creation),
            now: Fixture.now, width: 100, height: 30, timeZone: Fixture.utc, actions: FakeActions(source: source),
            buildDocument: Fixture.builder)
        browser.press(.down, .down, .enter, .enter)
        #expect(browser.screen.text.contains("Items · ages: created"))
        browser.press(.enter)
        #expect(browser.screen.text.contains("Created"))
        #expect(!browser.screen.text.contains("Modified"))
    }

    /// In a narrow terminal the path and the totals give way; what the session may do stays.
    @Test func aNarrowHeaderKeepsWhatTheSessionMayDo() {
        let source = Fixture.source()
        let browser = ScriptedBrowser(
            source: source, options: BrowserOptions(storePath: "postgresql://viewer@db/sodar", capabilities: .readOnly("no grants")),
            now: Fixture.now, width: 44, height: 12, timeZone: Fixture.utc, actions: FakeActions(source: source),
            buildDocument: Fixture.builder)
        #expect(row(browser.screen, 0).hasPrefix(" sodarcache [read only] "), "\(row(browser.screen, 0))")
    }
}
