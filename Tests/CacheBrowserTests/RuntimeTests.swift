import CNcursesw
import CacheBrowser
@testable import CacheBrowserRuntime
@testable import CursesTerminal
import Foundation
import JSONKit
import SodarCache
import StoreKernel
import TestSupport
import Testing

/// Polls `condition` every 5 ms until it holds or `seconds` pass.
func eventually(within seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    waitUntil(timeout: seconds, every: 0.005, condition)
}

/// A mailbox's messages, kept across drains.
final class Inbox: Sendable {
    let mailbox = BrowserMailbox()
    private let seen = Locked<[BrowserMessage]>([])

    var all: [BrowserMessage] {
        let new = mailbox.drain()
        return seen.withLock { seen in
            seen += new
            return seen
        }
    }

    var projectGenerations: [Int] {
        all.compactMap { if case .pageLoaded(let generation, .projects) = $0 { return generation } else { return nil } }
    }

    var tokens: [Int] {
        all.compactMap { if case .storeChanged(let token) = $0 { return token } else { return nil } }
    }

    /// The generations of the diffs answered (loaded or failed).
    var diffs: [Int] {
        all.compactMap {
            switch $0 {
            case .diffLoaded(let generation, _), .diffFailed(let generation, _): return generation
            default: return nil
            }
        }
    }

    var searches: [(id: Int, line: Int?)] {
        all.compactMap { if case .searchFinished(let id, let line, _) = $0 { return (id, line) } else { return nil } }
    }
}

/// Holds a source's reads back: once `hold()` was called, the next read waits inside the store
/// until `release()`, so that a test can replace or leave the work meanwhile.
final class ReadGate: Sendable {
    private let held = Locked(false)
    private let entered = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)

    init(_ source: FakeSource, holding: Bool) {
        held.withLock { $0 = holding }
        source.beforeRead = { [held, entered, gate] in
            guard held.withLock({ first in defer { first = false }; return first }) else { return }
            entered.signal()
            gate.wait()
        }
    }

    func hold() { held.withLock { $0 = true } }

    /// Whether a read got there (and waits) within 10 s.
    func holdsARead() -> Bool { entered.wait(timeout: .now() + 10) == .success }

    func release() { gate.signal() }
}

/// Another document, counting the searches run on it.
final class CountingSearchDocument: PayloadDocument, Sendable {
    let base: any PayloadDocument
    let searches: Locked<Int>

    init(_ base: any PayloadDocument, counting searches: Locked<Int>) {
        self.base = base
        self.searches = searches
    }

    var lineCount: Int { base.lineCount }
    func payloadLine(_ index: Int) -> JSONLine { base.payloadLine(index) }
    func payloadLine(_ index: Int, maxBytes: Int) -> JSONLine { base.payloadLine(index, maxBytes: maxBytes) }
    func fold(openingAt line: Int) -> PayloadFold? { base.fold(openingAt: line) }
    func fold(closingAt line: Int) -> PayloadFold? { base.fold(closingAt: line) }
    func enclosingFolds(ofLine line: Int) -> [PayloadFold] { base.enclosingFolds(ofLine: line) }
    func path(ofLine line: Int) -> String { base.path(ofLine: line) }
    func compactValue(ofLine line: Int, limit: Int) -> CompactValue { base.compactValue(ofLine: line, limit: limit) }

    func search(_ needle: String, fromLine: Int, forward: Bool, isCancelled: () -> Bool) -> Int? {
        searches.withLock { $0 += 1 }
        return base.search(needle, fromLine: fromLine, forward: forward, isCancelled: isCancelled)
    }
}

/// A document whose search for anything but "fast" runs until it is cancelled.
final class EndlessSearchDocument: PayloadDocument, Sendable {
    let started = DispatchSemaphore(value: 0)
    let stopped = Locked(false)

    var lineCount: Int { 100 }
    func payloadLine(_ index: Int) -> JSONLine { JSONLine(indent: 0, segments: []) }
    func fold(openingAt line: Int) -> PayloadFold? { nil }
    func fold(closingAt line: Int) -> PayloadFold? { nil }
    func enclosingFolds(ofLine line: Int) -> [PayloadFold] { [] }
    func path(ofLine line: Int) -> String { ".line\(line)" }
    func compactValue(ofLine line: Int, limit: Int) -> CompactValue { .json(Data("\(line)".utf8)) }

    func search(_ needle: String, fromLine: Int, forward: Bool, isCancelled: () -> Bool) -> Int? {
        if needle == "fast" { return 7 }
        started.signal()
        waitUntil(timeout: 30, every: 0.001, isCancelled)
        stopped.withLock { $0 = isCancelled() }
        return 3
    }
}

@Suite struct EffectRunnerTests {
    @Test func aFirstPageReplacedBeforeItStartedIsSkippedButNextPagesAreNot() throws {
        let source = Fixture.source()
        let next = try #require(try source.projectPage(after: nil, limit: 1, filter: nil).first)
        // The first request is held inside the store while the others queue up behind it.
        let gate = ReadGate(source, holding: true)
        let inbox = Inbox()
        let runner = EffectRunner(source: source, mailbox: inbox.mailbox, buildDocument: Fixture.builder)
        runner.run(.loadPage(generation: 1, request: .projects(ProjectQuery(), .after(nil)), limit: 10))
        #expect(gate.holdsARead())
        runner.run(.loadPage(generation: 2, request: .projects(ProjectQuery(), .after(nil)), limit: 10))
        runner.run(.loadPage(generation: 3, request: .projects(ProjectQuery(), .after(next)), limit: 10))
        runner.run(.loadPage(generation: 4, request: .projects(ProjectQuery(), .after(nil)), limit: 10))
        gate.release()
        #expect(eventually { inbox.projectGenerations.contains(4) })
        // 1 had started; 2 was replaced by 4 before it started; 3, a next page, is never skipped.
        #expect(inbox.projectGenerations == [1, 3, 4])
    }

    @Test func theWatcherPostsTheTokenWhenItMovesAndWhyTheStoreIsUnreadable() {
        let source = Fixture.source()
        let inbox = Inbox()
        let watcher = StoreWatcher(source: source, mailbox: inbox.mailbox)
        var last = watcher.check(last: nil)
        #expect(inbox.tokens == [0])
        last = watcher.check(last: last)
        #expect(inbox.tokens == [0])
        source.put(Fixture.entries[0].0)
        last = watcher.check(last: last)
        #expect(inbox.tokens == [0, 1])
        // Busy: tried again at the next poll, nothing said.
        source.failure = .storeBusy(location: "/srv/cache.db")
        #expect(watcher.check(last: last) == 1)
        #expect(inbox.all.count == 2)
        source.failure = .storeReplaced(location: "/srv/cache.db")
        #expect(watcher.check(last: last) == 1)
        guard case .storeUnavailable(let message)? = inbox.all.last else {
            Issue.record("no storeUnavailable")
            return
        }
        #expect(message.contains("r reopens it"))
    }

    @Test func aStartedWatcherPollsUntilStopped() {
        let source = Fixture.source()
        let inbox = Inbox()
        let runner = EffectRunner(source: source, mailbox: inbox.mailbox, buildDocument: Fixture.builder)
        runner.startWatching(interval: 0.01)
        runner.startWatching(interval: 0.01)  // a second start adds no second poller
        #expect(eventually { inbox.tokens == [0] })
        source.put(Fixture.entries[0].0)
        #expect(eventually { inbox.tokens == [0, 1] })
        runner.stopWatching()
        source.put(Fixture.entries[1].0)
        // Nothing to wait for but time: five polls' worth, in which a running watcher posts.
        usleep(50_000)
        #expect(inbox.tokens == [0, 1])
    }

    @Test func aDiffReplacedOrLeftStopsWithoutAnAnswer() throws {
        let source = try VersionListTests.history()
        let uuid = try #require(source.allItems.first { $0.name == VersionListTests.alphaShortcuts }?.uuid)
        let diff = { (generation: Int) in BrowserEffect.loadDiff(DiffRequest(generation: generation, uuid: uuid, ref: .revision(1))) }
        // Each held diff waits inside its first read until the test has replaced or left it.
        let gate = ReadGate(source, holding: false)
        let inbox = Inbox()
        let runner = EffectRunner(source: source, mailbox: inbox.mailbox, buildDocument: Fixture.builder)
        // Another version opened: the running diff stops, the new one answers.
        gate.hold()
        runner.run(diff(1))
        #expect(gate.holdsARead())
        runner.run(diff(2))
        gate.release()
        #expect(eventually { inbox.diffs.contains(2) })
        #expect(inbox.diffs == [2])
        // The diff left (Esc): it stops. The version list read again on the same lane
        // answers after it has ended.
        gate.hold()
        runner.run(diff(3))
        #expect(gate.holdsARead())
        runner.run(.cancelDiff)
        gate.release()
        let item = try #require(source.allItems.first { $0.uuid == uuid })
        let summary = ItemSummary(
            uuid: uuid, project: item.project, appName: item.appName, name: item.name, user: nil, dateModified: item.dateModified,
            size: item.data.count)
        runner.run(.loadVersions(generation: 4, item: summary))
        #expect(eventually { inbox.all.contains { if case .versionsLoaded(4, _) = $0 { true } else { false } } })
        #expect(inbox.diffs == [2])
        // A diff nothing replaced answers.
        runner.run(diff(5))
        #expect(eventually { inbox.diffs.contains(5) })
        #expect(inbox.diffs == [2, 5])
        guard case .diffLoaded(_, let lines)? = inbox.all.last else {
            Issue.record("no diff answered")
            return
        }
        #expect(lines.paths == [".shortcuts.misc_files", ".shortcuts.track_hubs[1]"])
    }

    @Test func aNewerSearchStopsTheRunningOneAndOnlyItsAnswerArrives() {
        let document = EndlessSearchDocument()
        let inbox = Inbox()
        let runner = EffectRunner(source: Fixture.source(), mailbox: inbox.mailbox, buildDocument: Fixture.builder)
        runner.run(.search(PayloadSearch(id: 1, needle: "slow", fromLine: 0, forward: true, skipCurrent: false, document: document)))
        #expect(document.started.wait(timeout: .now() + 10) == .success)
        runner.run(.search(PayloadSearch(id: 2, needle: "fast", fromLine: 0, forward: true, skipCurrent: false, document: document)))
        #expect(eventually { !inbox.searches.isEmpty })
        #expect(document.stopped.withLock { $0 })
        #expect(inbox.searches.map(\.id) == [2])
        #expect(inbox.searches.first?.line == 7)
        guard case .searchFinished(_, _, let path)? = inbox.all.last else { return }
        #expect(path == ".line7")
    }

    @Test func cancelSearchStopsItWithoutAnAnswer() {
        let document = EndlessSearchDocument()
        let inbox = Inbox()
        let runner = EffectRunner(source: Fixture.source(), mailbox: inbox.mailbox, buildDocument: Fixture.builder)
        runner.run(.search(PayloadSearch(id: 1, needle: "slow", fromLine: 0, forward: true, skipCurrent: false, document: document)))
        #expect(document.started.wait(timeout: .now() + 10) == .success)
        runner.run(.cancelSearch)
        #expect(eventually { document.stopped.withLock { $0 } })
        // Searches run one after another: once a later one has answered, the first is done.
        runner.run(.search(PayloadSearch(id: 3, needle: "fast", fromLine: 0, forward: true, skipCurrent: false, document: document)))
        #expect(eventually { !inbox.searches.isEmpty })
        #expect(inbox.searches.map(\.id) == [3])
    }
}

@Suite struct SearchMessageTests {
    /// The shortcuts payload open, `/assay` typed and Enter pressed: the search's effect.
    /// With `counting`, the payload's document counts the searches run on it there.
    static func searching(counting: Locked<Int>? = nil) -> (BrowserState, PayloadSearch)? {
        let browser = Fixture.browser()
        browser.press(.down, .down, .enter, .enter, .enter)
        var state = browser.state
        if let counting, let document = state.payload?.document {
            state.payload?.document = CountingSearchDocument(document, counting: counting)
        }
        _ = state.update(.key(.char("/")))
        for character in "assay" { _ = state.update(.key(.char(character))) }
        guard case .search(let search)? = state.update(.key(.enter)).first else { return nil }
        return (state, search)
    }

    @Test func aSearchRunsOffTheLoopAndKeysAreAnsweredMeanwhile() throws {
        // Structural, not timed (a 16 ms bound flaked under load): `update` hands the search
        // over as an effect and never searches itself, so a key is answered while it runs.
        let searches = Locked(0)
        var (state, search) = try #require(Self.searching(counting: searches))
        #expect(search.document is CountingSearchDocument)
        #expect(state.payload?.searching?.id == search.id)
        #expect(state.message?.text == "Searching for assay… (Esc cancels)")
        let effects = state.update(.key(.char("j")))
        #expect(!effects.contains { if case .search = $0 { true } else { false } })
        #expect(searches.withLock { $0 } == 0)
        #expect(state.payload?.cursor == 1)
        #expect(state.payload?.searching?.id == search.id)
        // The effect is what searches, off the loop: the count sees it.
        #expect(EffectRunner.search(search, isCancelled: { false }) != nil)
        #expect(searches.withLock { $0 } == 1)
        // An older search's answer is not this one's.
        _ = state.update(.searchFinished(id: search.id - 1, line: 9, path: ".x"))
        #expect(state.payload?.cursor == 1)
        _ = state.update(.searchFinished(id: search.id, line: 3, path: ".a.b"))
        #expect(state.payload?.cursor == 3)
        #expect(state.payload?.searching == nil)
        #expect(state.message?.text == "/assay: .a.b (line 4)")
    }

    @Test func escCancelsTheRunningSearchAndStaysInThePayload() throws {
        var (state, search) = try #require(Self.searching())
        #expect(state.update(.key(.escape)) == [.cancelSearch])
        #expect(state.pane == .payload)
        #expect(state.payload?.searching == nil)
        #expect(state.message?.text == "Search cancelled")
        // A late answer changes nothing; the next Esc goes back as before.
        _ = state.update(.searchFinished(id: search.id, line: 5, path: nil))
        #expect(state.payload?.cursor == 0)
        _ = state.update(.key(.escape))
        #expect(state.pane == .items)
    }

    @Test func aNewSearchReplacesTheRunningOne() throws {
        var (state, first) = try #require(Self.searching())
        _ = state.update(.key(.char("n")))
        let second = try #require(state.payload?.searching)
        #expect(second.id != first.id)
        _ = state.update(.searchFinished(id: first.id, line: 5, path: nil))
        #expect(state.payload?.cursor == 0)
    }
}

@Suite struct CursesKeysTests {
    @Test func functionKeysMapToTheBrowsersKeys() {
        let expected: [(Int32, Key)] = [
            (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right), (KEY_PPAGE, .pageUp),
            (KEY_NPAGE, .pageDown), (KEY_HOME, .home), (KEY_END, .end), (KEY_BACKSPACE, .backspace),
            (KEY_ENTER, .enter), (KEY_BTAB, .backTab), (KEY_DC, .delete),
        ]
        for (code, key) in expected {
            #expect(CursesKeys.key(status: KEY_CODE_YES, value: UInt32(code)) == key, "\(code)")
        }
        #expect(CursesKeys.key(status: KEY_CODE_YES, value: UInt32(KEY_F0 + 1)) == nil)
    }

    @Test func charactersMapToKeysAndControlCharacters() {
        let expected: [(UInt32, Key?)] = [
            (9, .tab), (10, .enter), (13, .enter), (27, .escape), (8, .backspace), (127, .backspace),
            (3, .ctrl("c")), (21, .ctrl("u")), (7, .ctrl("g")), (0, nil), (28, nil), (31, nil),
            (UInt32(UInt8(ascii: "j")), .char("j")), (UInt32(UInt8(ascii: " ")), .char(" ")), (0xF6, .char("ö")),
            (0x1F9EC, .char("🧬")), (0xD800, nil),
        ]
        for (value, key) in expected {
            #expect(CursesKeys.key(status: OK, value: value) == key, "\(value)")
        }
        #expect(CursesKeys.key(status: ERR, value: 106) == nil)
    }
}

@Suite struct CursesMouseTests {
    @Test func getmouseReportsMapToClicksAndWheelNotches() {
        #expect(CursesMouse.event(buttons: shim_button1_pressed(), x: 12, y: 4) == MouseEvent(.press, row: 4, column: 12))
        #expect(CursesMouse.event(buttons: shim_button4_pressed(), x: 0, y: 0) == MouseEvent(.wheelUp, row: 0, column: 0))
        #expect(CursesMouse.event(buttons: shim_button5_pressed(), x: 3, y: 9) == MouseEvent(.wheelDown, row: 9, column: 3))
        // A release, and a report without a position, are not acted on.
        #expect(CursesMouse.event(buttons: shim_button1_released(), x: 12, y: 4) == nil)
        #expect(CursesMouse.event(buttons: shim_button1_pressed(), x: -1, y: 4) == nil)
    }

    @Test func sgrReportsGiveAnyColumnFromOne() {
        // `ESC [ < 0;12;5M` is a left press at column 12, row 5, counted from 1.
        #expect(CursesMouse.sgrEvent("0;12;5M") == MouseEvent(.press, row: 4, column: 11))
        #expect(CursesMouse.sgrEvent("0;300;80M") == MouseEvent(.press, row: 79, column: 299))
        #expect(CursesMouse.sgrEvent("64;1;1M") == MouseEvent(.wheelUp, row: 0, column: 0))
        #expect(CursesMouse.sgrEvent("65;7;2M") == MouseEvent(.wheelDown, row: 1, column: 6))
        // Ctrl-click (16) is still a click.
        #expect(CursesMouse.sgrEvent("16;2;2M") == MouseEvent(.press, row: 1, column: 1))
        // Releases, other buttons, motion and broken reports: nothing.
        for text in ["0;12;5m", "2;12;5M", "1;3;3M", "32;12;5M", "0;12M", "0;0;5M", "0;12;5", "", "x;1;1M", "0;1;1;1M"] {
            #expect(CursesMouse.sgrEvent(text) == nil, "\(text)")
        }
    }
}
