import CacheBrowser
@testable import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel
import Testing

/// Issue 21: a profile's title and colour in the header, and a hot standby's lag.
@Suite struct ProfileHeaderTests {
    func browser(_ options: BrowserOptions, width: Int = 120) -> (ScriptedBrowser, FakeSource) {
        let source = Fixture.source()
        let browser = ScriptedBrowser(
            source: source, options: options, now: Fixture.now, width: width, height: 30, timeZone: Fixture.utc,
            actions: FakeActions(source: source), buildDocument: Fixture.builder)
        return (browser, source)
    }

    func status(_ browser: ScriptedBrowser) -> String { row(browser.screen, browser.state.layout.statusRow) }

    @Test func aProfilesTitleLeadsTheHeaderAndItsColourPaintsTheWholeBar() {
        var options = BrowserOptions(storePath: "postgresql://sodar@db/sodar")
        options.profileTitle = "Production"
        options.banner = .red
        let (browser, _) = browser(options)
        #expect(row(browser.screen, 0).hasPrefix(" sodarcache · Production postgresql://sodar@db/sodar"), "\(row(browser.screen, 0))")
        for column in 0..<browser.screen.width {
            #expect(browser.screen[0, column].style.role == .banner, "column \(column)")
        }
        #expect(browser.screen[0, 1].style.bold)
        #expect(browser.screen[0, 14].style.bold)  // the title
        // Without a colour: the usual header, the title still first.
        options.banner = nil
        let (plain, _) = self.browser(options)
        #expect(row(plain.screen, 0).hasPrefix(" sodarcache · Production "))
        #expect((0..<plain.screen.width).allSatisfy { plain.screen[0, $0].style.role == .header })
        // No profile: as before.
        let (none, _) = self.browser(BrowserOptions(storePath: "/srv/cache.sqlite3"))
        #expect(row(none.screen, 0).hasPrefix(" sodarcache /srv/cache.sqlite3"))
    }

    @Test func aDeleteUnderAProfileNamesItsStore() {
        var options = BrowserOptions(storePath: "/srv/cache.sqlite3")
        options.profileTitle = "Production"
        let (browser, source) = browser(options)
        let before = source.allItems.count
        browser.press(.down, .down, .enter, .enter, .char("d"))
        #expect(browser.screen.text.contains("Delete 1 item from Production?"))
        browser.press(.char("y"))
        #expect(source.allItems.count == before - 1)
    }

    @Test func aTitleFromTheConfigCannotDriveTheTerminal() {
        var options = BrowserOptions(storePath: "/srv/cache.sqlite3")
        options.profileTitle = "Prod\u{1B}]0;owned\u{07}"
        let (browser, _) = browser(options)
        #expect(!browser.screen.text.contains("\u{1B}"))
        #expect(row(browser.screen, 0).contains("Prod\\u001b]0;owned\\u0007"))
    }

    @Test func aReadOnlyProfileSaysSoForEveryKeyThatWrites() {
        let reason = "(profile prod is read-only)"
        var options = BrowserOptions(storePath: "/srv/cache.sqlite3", readOnly: true, readOnlyReason: reason)
        options.profileTitle = "Production"
        let (browser, source) = browser(options)
        #expect(row(browser.screen, 0).contains("[read only]"))
        let before = source.allItems.count
        browser.press(.down, .down, .enter, .enter)
        for key in ["d", "D", "x", "s", "S"] {
            browser.press(.char(Character(key)))
            #expect(status(browser).contains(reason), "\(key): \(status(browser))")
        }
        #expect(source.allItems.count == before)
        // --read-only itself keeps its words.
        let (flag, _) = self.browser(BrowserOptions(storePath: "/srv/cache.sqlite3", readOnly: true))
        flag.press(.down, .down, .enter, .enter, .char("d"))
        #expect(status(flag).contains("(--read-only)"))
    }

    @Test func aHotStandbySaysHowFarBehindItIsAndFollowsTheWatcher() {
        var options = BrowserOptions(
            storePath: "postgresql://sodar@replica/sodar",
            capabilities: .readOnly("the server is a hot standby (a read-only replica)"))
        options.standby = StandbyStatus(bytesBehind: 0)
        let (browser, source) = browser(options, width: 160)
        #expect(row(browser.screen, 0).hasPrefix(" sodarcache [hot standby, caught up] postgresql://sodar@replica/sodar"), "\(row(browser.screen, 0))")
        #expect(!row(browser.screen, 0).contains("[read only]"))
        browser.send(.standbyChanged(StandbyStatus(bytesBehind: 12_345, replayLag: 4.2)))
        #expect(row(browser.screen, 0).contains("[hot standby, 12.1 KiB to replay, 4s behind]"), "\(row(browser.screen, 0))")
        browser.send(.standbyChanged(StandbyStatus(bytesBehind: nil)))
        #expect(row(browser.screen, 0).contains("[hot standby] postgresql://"))
        // Every key that writes says why: the server is a standby.
        let before = source.allItems.count
        browser.press(.down, .down, .enter, .enter)
        for key in ["d", "D", "x"] {
            browser.press(.char(Character(key)))
            #expect(status(browser).contains("Cannot delete: the server is a hot standby"), "\(key): \(status(browser))")
        }
        for key in ["s", "S"] {
            browser.press(.char(Character(key)))
            #expect(status(browser).contains("Cannot sync: the server is a hot standby"), "\(key): \(status(browser))")
        }
        #expect(source.allItems.count == before)
    }

    @Test func theStandbysWordsForEachState() {
        #expect(BrowserFormat.standby(StandbyStatus(bytesBehind: 0)) == "hot standby, caught up")
        #expect(BrowserFormat.standby(StandbyStatus(bytesBehind: 512)) == "hot standby, 512 B to replay")
        #expect(BrowserFormat.standby(StandbyStatus(bytesBehind: 3 << 20, replayLag: 0.4)) == "hot standby, 3.0 MiB to replay, <1s behind")
        #expect(BrowserFormat.standby(StandbyStatus(bytesBehind: 1, replayLag: 7200)) == "hot standby, 1 B to replay, 2h behind")
        #expect(BrowserFormat.standby(StandbyStatus(bytesBehind: nil)) == "hot standby")
        #expect(BrowserFormat.standby(StandbyStatus(inRecovery: false, bytesBehind: 0)).hasPrefix("standby promoted"))
    }

    @Test func theWatcherPostsAStandbysLagWhenItMovesAndNothingElsewhere() {
        let source = Fixture.source()
        let inbox = Inbox()
        let watcher = StoreWatcher(source: source, mailbox: inbox.mailbox)
        func lags() -> [StandbyStatus?] {
            inbox.all.compactMap { if case .standbyChanged(let status) = $0 { return status } else { return nil } }
        }
        var last = watcher.check(last: nil)
        #expect(lags().isEmpty)
        source.standby = StandbyStatus(bytesBehind: 0)
        last = watcher.check(last: last)
        last = watcher.check(last: last)
        #expect(lags() == [StandbyStatus(bytesBehind: 0)])
        source.standby = StandbyStatus(bytesBehind: 100, replayLag: 3)
        last = watcher.check(last: last)
        #expect(lags() == [StandbyStatus(bytesBehind: 0), StandbyStatus(bytesBehind: 100, replayLag: 3)])
    }

    @Test func theConfigsColoursAreTheBrowsers() {
        #expect(BannerColor.allCases.map(\.rawValue) == Profile.colors)
    }
}
