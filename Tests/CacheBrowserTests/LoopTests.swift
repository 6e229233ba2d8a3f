import CacheBrowser
@testable import CacheBrowserRuntime
import Foundation
import SodarCache
import StoreKernel
import SodarCacheSync
import Testing

/// The browser's one loop (`BrowserLoop`) on a scripted terminal, with its effects on their own
/// queues as the terminal app runs them: `run` until the user quits, signals, the watcher, the
/// wake-up when a result is posted, and frames drawn only when something changed.
@Suite struct LoopTests {
    static let options = BrowserOptions(storePath: "/srv/cache.db")

    /// The loop on queues of its own (`DispatchEffectExecutor`), as the terminal app runs it.
    static func loop(source: FakeSource = Fixture.source(), width: Int = 80, height: Int = 16)
        -> (BrowserLoop<ScriptedTerminal>, ScriptedTerminal)
    {
        let terminal = ScriptedTerminal(width: width, height: height, now: Fixture.now)
        let loop = BrowserLoop(
            terminal: terminal, source: source, options: options, timeZone: Fixture.utc, buildDocument: Fixture.builder)
        return (loop, terminal)
    }

    @Test func runReachesTheFirstFullFrameFollowsKeysAndEndsOnQ() {
        let (loop, terminal) = Self.loop()
        // Each key once the screen it is meant for is up, as a user presses them.
        terminal.send(.key(.down), when: { $0.text.contains("site/settings") })
        terminal.send(.key(.down), when: { $0.text.contains("Projects                           2/7") })
        terminal.send(.key(.enter), when: { $0.text.contains("3/7") && $0.text.contains("Apps · Project Alpha") })
        terminal.send(.key(.char("q")), when: { $0.text.contains("irods/shor…ay/aaaa") })
        var firstFull: Screen?
        let output = loop.run(watchInterval: nil) {
            firstFull = terminal.screen
            return false
        }
        loop.shutdown()
        #expect(!terminal.gaveUp)
        #expect(output == nil)
        #expect(loop.state.quitting)
        // The first full frame has the totals, the projects and the site row's apps and items.
        let first = firstFull?.text ?? ""
        #expect(first.contains("4 projects · 2 categories · 7 items"))
        #expect(first.contains("Zeta Lab"))
        #expect(first.contains("site/settings"))
        #expect(loop.state.pane == .apps)
        #expect(row(terminal.screen, 1).contains("Apps · Project Alpha"))
    }

    @Test func onFirstFullFrameReturningTrueStopsTheLoopThere() {
        let (loop, terminal) = Self.loop()
        var calls = 0
        _ = loop.run(watchInterval: nil) {
            calls += 1
            return true
        }
        loop.shutdown()
        #expect(calls == 1)
        #expect(loop.isFull)
        // The half-loaded frames before it were held back: the first frame drawn is the full one.
        #expect(terminal.frames == 1)
        #expect(!loop.state.quitting)
        #expect(terminal.screen.text.contains("Zeta Lab"))
        #expect(terminal.screen.text.contains("site/settings"))
    }

    @Test func aStoreThatFailsAtLaunchIsSaidSoAtOnce() {
        let source = Fixture.source()
        source.failure = .storeBusy(location: "/srv/cache.db")
        let (loop, terminal) = Self.loop(source: source)
        terminal.send(.key(.char("q")), when: { $0.text.contains("locked by another writer") })
        // The clock stands: only the failed loads end the first frame's wait.
        _ = loop.run(watchInterval: nil)
        loop.shutdown()
        #expect(!terminal.gaveUp)
        #expect(terminal.frames >= 1)
        #expect(!loop.isFull)
    }

    @Test func aSlowLaunchDrawsItsFirstFrameAfterTheWait() {
        let jobs = ManualEffectExecutor()
        let terminal = ScriptedTerminal(width: 80, height: 16, now: Fixture.now)
        let loop = BrowserLoop(
            terminal: terminal, source: Fixture.source(), options: Self.options, timeZone: Fixture.utc, executor: jobs,
            firstFrameWait: 0.05, buildDocument: Fixture.builder)
        loop.start()
        loop.step(timeout: .zero)
        #expect(terminal.frames == 0)
        // The store has not answered 50 ms on: the spinners are drawn.
        terminal.advanceClock(by: 0.06)
        loop.step(timeout: .zero)
        #expect(terminal.frames == 1)
        #expect(loop.isLoading)
        #expect(terminal.screen == BrowserView.render(loop.state))
        // From then on every change is drawn.
        #expect(jobs.runNext())
        loop.step(timeout: .zero)
        #expect(terminal.frames == 2)
    }

    @Test func aStopSignalEndsTheLoopAndSIGINTIsCtrlC() {
        let (stopped, terminal) = Self.loop()
        terminal.send(.signal(SIGTERM), when: { $0.text.contains("Zeta Lab") })
        _ = stopped.run(watchInterval: nil)
        stopped.shutdown()
        #expect(!terminal.gaveUp)
        #expect(stopped.state.quitting)

        // SIGINT (`kill -INT`) is the Ctrl-C key: in a prompt it closes the prompt, and the
        // browser stays until q.
        let (interrupted, keys) = Self.loop()
        keys.send(.key(.char("/")), when: { $0.text.contains("Zeta Lab") })
        keys.send(.signal(SIGINT), when: { $0.text.contains("Filter projects:") })
        keys.send(.key(.char("q")), when: { !$0.text.contains("Filter projects:") })
        _ = interrupted.run(watchInterval: nil)
        interrupted.shutdown()
        #expect(!keys.gaveUp)
        #expect(interrupted.state.prompt == nil)
        #expect(interrupted.state.quitting)
    }

    @Test func theWatcherBringsAnotherWritersItemWithoutAKey() {
        let source = Fixture.source()
        let (loop, terminal) = Self.loop(source: source)
        terminal.send(.key(.char("q")), when: { $0.text.contains("site/added") })
        terminal.patience = .seconds(20)
        // Another process writes a site-wide item once the browser is up.
        let written = CacheItem(
            uuid: Fixture.uuid(190), project: nil, appName: "sodarcache", name: "site/added", user: nil,
            data: Data("{}".utf8), dateModified: Fixture.now)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { source.put(written) }
        _ = loop.run(watchInterval: 0.02)
        loop.shutdown()
        #expect(!terminal.gaveUp)
        #expect(loop.state.items.rows.contains { $0.name == "site/added" })
    }

    @Test func aWatchingLoopReadsTheChangeTokenBeforeTheFirstPages() throws {
        let jobs = ManualEffectExecutor()
        let terminal = ScriptedTerminal(width: 80, height: 16, now: Fixture.now)
        terminal.hangUpWhenDone = true
        let loop = BrowserLoop(
            terminal: terminal, source: Fixture.source(), options: Self.options, timeZone: Fixture.utc, executor: jobs,
            buildDocument: Fixture.builder)
        _ = loop.run(watchInterval: 60)
        loop.shutdown()
        let effects = jobs.pending.map(\.effect)
        #expect(effects.count == 3)
        #expect(effects.first == .readChangeToken)
        #expect(effects.dropFirst().first == .loadTotals)
        #expect(jobs.pending.allSatisfy { $0.lane == .projects })
        // Answered, it is the state's first token: the watcher's first poll compares with it.
        #expect(jobs.runNext())
        loop.step(timeout: .zero)
        #expect(loop.state.storeToken == 0)
    }

    @Test func aPostedResultEndsTheWaitForAKey() {
        let (loop, terminal) = Self.loop()
        _ = loop.run(watchInterval: nil) { true }
        defer { loop.shutdown() }
        // A wake-up left over from the first frame's results ends the next wait at once.
        loop.step(timeout: .milliseconds(1))
        let mailbox = loop.mailbox
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) {
            mailbox.post(.storeUnavailable(message: "The store file is gone"))
        }
        let clock = ContinuousClock()
        let started = clock.now
        let came = loop.step(timeout: .seconds(20))
        #expect(came)
        #expect(clock.now - started < .seconds(10))
        #expect(terminal.screen.text.contains("The store file is gone"))
    }

    @Test func framesAreDrawnOnlyWhenSomethingChanged() {
        let browser = Fixture.browser()
        let drawn = browser.terminal.frames
        // Nothing came, the clock stands: no frame.
        for _ in 0..<5 { browser.step(timeout: .zero) }
        browser.terminal.advanceClock(by: 0.5)
        browser.step(timeout: .zero)
        #expect(browser.terminal.frames == drawn)
        // A second later the ages may read otherwise: the tick draws.
        browser.terminal.advanceClock(by: 0.6)
        browser.step(timeout: .zero)
        #expect(browser.terminal.frames == drawn + 1)
        // A key draws its frame at once, before the apps it asks for are read.
        browser.terminal.send(.key(.down))
        browser.step(timeout: .zero)
        #expect(browser.terminal.frames == drawn + 2)
        #expect(browser.state.apps.loading)
        #expect(browser.screen == BrowserView.render(browser.state))
        browser.settle()
        #expect(!browser.state.apps.loading)
        #expect(browser.screen == BrowserView.render(browser.state))
    }

    @Test func theClipboardIsWrittenThroughTheTerminalBetweenFrames() throws {
        let browser = ClipboardTests.open(#"{"a": [1, 2]}"#)
        let before = browser.terminal.frames
        browser.press(.char("Y"))
        let copied = try #require(browser.clipboard.last)
        #expect(!copied.isEmpty)
        #expect(browser.terminal.frames > before)
    }
}

/// Writes (counts and deletes) run on their own lane: never behind a list read, and a list
/// read never behind them.
@Suite struct WriteLaneTests {
    /// Holds every page read of `source` until `gate` is signalled; `entered` says one began.
    static func holdReads(of source: FakeSource) -> (entered: DispatchSemaphore, gate: DispatchSemaphore) {
        let entered = DispatchSemaphore(value: 0)
        let gate = DispatchSemaphore(value: 0)
        let holding = Locked(true)
        source.beforeRead = {
            guard holding.withLock({ $0 }) else { return }
            entered.signal()
            gate.wait()
            holding.withLock { $0 = false }
        }
        return (entered, gate)
    }

    static let firstPage = BrowserEffect.loadPage(generation: 1, request: .projects(ProjectQuery(), .after(nil)), limit: 10)

    static func target(_ uuid: UUID) -> DeleteTarget {
        DeleteTarget(selection: .items([uuid]), what: "item x", count: 1, project: "Project Alpha", app: "samplesheets")
    }

    @Test func aDeleteCompletesWhileAListReadIsHeld() {
        let source = Fixture.source()
        let (entered, gate) = Self.holdReads(of: source)
        let inbox = Inbox()
        let runner = EffectRunner(
            source: source, mailbox: inbox.mailbox, actions: FakeActions(source: source), buildDocument: Fixture.builder)
        runner.run(Self.firstPage)
        #expect(entered.wait(timeout: .now() + 10) == .success)
        let victim = Fixture.entries[0].0.uuid
        runner.run(.delete(Self.target(victim)))
        let deleted = eventually {
            inbox.all.contains { if case .deleted(_, let count, _) = $0 { return count == 1 } else { return false } }
        }
        // The page read is still held: nothing of it arrived.
        let pages = inbox.projectGenerations
        gate.signal()
        #expect(deleted)
        #expect(pages.isEmpty)
        #expect(!source.allItems.contains { $0.uuid == victim })
        #expect(eventually { inbox.projectGenerations == [1] })
    }

    @Test func aListReadCompletesWhileADeleteIsHeld() {
        let source = Fixture.source()
        let actions = HeldDeletes(FakeActions(source: source))
        let inbox = Inbox()
        let runner = EffectRunner(source: source, mailbox: inbox.mailbox, actions: actions, buildDocument: Fixture.builder)
        runner.run(.delete(Self.target(Fixture.entries[0].0.uuid)))
        #expect(actions.entered.wait(timeout: .now() + 10) == .success)
        runner.run(Self.firstPage)
        let read = eventually { inbox.projectGenerations == [1] }
        let deletedMeanwhile = inbox.all.contains { if case .deleted = $0 { return true } else { return false } }
        actions.gate.signal()
        #expect(read)
        #expect(!deletedMeanwhile)
        #expect(eventually { inbox.all.contains { if case .deleted = $0 { return true } else { return false } } })
    }
}

/// Store actions whose deletes wait for `gate` (a slow delete on a busy store).
final class HeldDeletes: StoreActions, Sendable {
    let actions: FakeActions
    let entered = DispatchSemaphore(value: 0)
    let gate = DispatchSemaphore(value: 0)

    init(_ actions: FakeActions) {
        self.actions = actions
    }

    private func hold() {
        entered.signal()
        gate.wait()
    }

    func sync(_ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void) throws
        -> SyncSummary
    {
        try actions.sync(request, cancel: cancel, events: events)
    }

    func previewSync(_ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void) throws
        -> SyncSummary
    {
        try actions.previewSync(request, cancel: cancel, events: events)
    }

    func deleteItems(uuids: [UUID]) throws -> Int {
        hold()
        return try actions.deleteItems(uuids: uuids)
    }

    func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) {
        hold()
        return try actions.deleteItems(shown: shown)
    }

    func deleteItems(matching filter: CacheFilter) throws -> Int {
        hold()
        return try actions.deleteItems(matching: filter)
    }

    func countItems(matching filter: CacheFilter) throws -> Int { try actions.countItems(matching: filter) }

    func items(matching filter: CacheFilter, limit: Int) throws -> [ItemSummary] {
        try actions.items(matching: filter, limit: limit)
    }

    func subtree(of category: UUID) throws -> [UUID] { try actions.subtree(of: category) }

    func undoLastDelete() throws -> UndoOutcome {
        hold()
        return try actions.undoLastDelete()
    }
}

/// One routine reads a page of any list, after, before or around a row.
@Suite struct PageReadingTests {
    @Test func pagesAfterAndBeforeSayWhetherThereIsMore() throws {
        let source = Fixture.source()
        guard case .projects(let first) = try PageRequest.projects(ProjectQuery(), .after(nil)).read(from: source, limit: 2)
        else { Issue.record("not a project page"); return }
        #expect(first.rows.map(\.project.title) == ["Cancer Research", "Project Alpha"])
        #expect(first.hasMore)
        #expect(first.start == .after(nil))
        guard case .projects(let last) = try PageRequest.projects(ProjectQuery(), .before(nil)).read(from: source, limit: 2)
        else { Issue.record("not a project page"); return }
        #expect(last.rows.map(\.project.title) == ["東京 Family Study", "Zeta Lab"])
        #expect(last.hasPrevious)
        guard case .items(let items) = try PageRequest.items(
            project: Fixture.alpha.uuid, app: "samplesheets", sort: .name, filter: nil, .after(nil)
        ).read(from: source, limit: 5)
        else { Issue.record("not an item page"); return }
        #expect(items.rows.count == 2)
        #expect(!items.hasMore)
    }

    @Test func aWindowAroundAnAppPutsTheCursorOnIt() throws {
        let browser = Fixture.browser()
        browser.press(.down, .down, .enter)
        let apps = browser.state.apps.rows
        #expect(apps.count == 2)
        let anchor = try #require(apps.last)
        let page = try PageRequest.apps(project: Fixture.alpha.uuid, filter: nil, .around(anchor)).read(
            from: Fixture.source(), limit: 4)
        guard case .apps(let rows) = page else { Issue.record("not an app page"); return }
        #expect(rows.rows == apps)
        #expect(rows.start == .around(anchor))
        #expect(!rows.hasPrevious && !rows.hasMore)
        browser.send(.pageLoaded(generation: browser.state.apps.generation, page: page))
        #expect(browser.state.apps.cursor == 1)
        #expect(browser.state.selectedApp == anchor)
    }
}
