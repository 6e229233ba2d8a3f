import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

/// The browser's one event loop: wait for a key (with a short timeout, ended early by a posted
/// result), drain the mailbox, update, run the effects `update` asked for, redraw when
/// something changed. Effects run off this thread (`EffectRunner`), so the UI never waits for
/// the store; the terminal is touched from this thread only.
///
/// The terminal app runs it on ncurses (`CursesTerminal`); tests, the benchmark and the fuzz
/// target run the same loop on a `ScriptedTerminal`.
public final class BrowserLoop<Terminal: BrowserTerminal> {
    public let terminal: Terminal
    public let mailbox: BrowserMailbox
    public let runner: EffectRunner
    public private(set) var state: BrowserState
    private var lastTick: Date
    private var dirty = true
    private var started = false
    /// When `start` ran; until the first frame, the frames of a half-loaded screen are held back.
    private var startedAt: Date?
    private var drawnOnce = false
    /// How long the first frame waits for the lists while they are still loading.
    private let firstFrameWait: TimeInterval
    /// Called once after the first frame with the totals and every list loaded; true stops `run`.
    private var onFirstFullFrame: (() -> Bool)?
    private var stopRequested = false

    /// - Parameters:
    ///   - actions: sync and delete (`s`, `d`, ...); nil leaves the browser read-only.
    ///   - executor: where effects run: serial queues off this thread unless a test or the fuzz
    ///     target holds them (`ManualEffectExecutor`).
    ///   - pageSize: rows per page request (small pages reach paging with few rows).
    ///   - firstFrameWait: the first frame is drawn once nothing asked for is still loading, or
    ///     this long after `start` (seconds, by the terminal's clock), whichever comes first: the
    ///     frames of a half-loaded screen would each be written to the terminal while the lists
    ///     are read, and a fast store fills the screen before anyone could see them.
    public init(
        terminal: Terminal, source: any CacheBrowsing, options: BrowserOptions, actions: (any StoreActions)? = nil,
        timeZone: TimeZone = .current, executor: any EffectExecutor = DispatchEffectExecutor(), pageSize: Int? = nil,
        firstFrameWait: TimeInterval = 0.05,
        buildDocument: @escaping EffectRunner.DocumentBuilder = JSONPayloadDocument.build
    ) {
        self.firstFrameWait = firstFrameWait
        self.terminal = terminal
        mailbox = BrowserMailbox(onPost: terminal.wake)
        runner = EffectRunner(
            source: source, mailbox: mailbox, actions: actions, executor: executor, buildDocument: buildDocument)
        let now = terminal.now()
        let size = terminal.size
        state = BrowserState(options: options, now: now, width: size.width, height: size.height, timeZone: timeZone)
        state.actionsAvailable = actions != nil
        if let pageSize { state.pageSize = pageSize }
        lastTick = now
    }

    /// The header's totals and every shown list are loaded: nothing on screen is a spinner.
    public var isFull: Bool {
        state.totals != nil && state.projects.loaded && !state.projects.loading && !state.apps.loading
            && !state.items.loading
    }

    /// A page or the item asked for is still on its way.
    public var isLoading: Bool {
        state.projects.loading || state.apps.loading || state.items.loading
            || state.payload?.loading == true
    }

    // MARK: - Running

    /// Asks for the totals and the first pages; the first frame follows once they are in (see
    /// `firstFrameWait`). Once; `run` and `step` call it when nobody did.
    public func start() {
        guard !started else { return }
        started = true
        startedAt = terminal.now()
        perform(state.start())
        drawIfDue()
    }

    /// Runs until the user quits (or a stop signal, or `onFirstFullFrame` returns true).
    /// - Parameters:
    ///   - watchInterval: how often the store's change token is read (nil: never).
    ///   - onFirstFullFrame: called once, right after the first frame with the totals and every
    ///     list loaded is drawn (a benchmark's launch timer); returning true stops the loop.
    /// - Returns: bytes to write to stdout once the terminal is restored (`e` with no file), or nil.
    public func run(watchInterval: TimeInterval? = 0.5, onFirstFullFrame: (() -> Bool)? = nil) -> Data? {
        self.onFirstFullFrame = onFirstFullFrame
        // The change token is read first, on the lane of the totals and the first pages: a write
        // landing after it shows at the watcher's first poll. The watcher starts once the first
        // frame is drawn; started at once, its first read took a thread and a store connection
        // from the first pages.
        var watch = watchInterval
        if watch != nil && !started { runner.run(.readChangeToken) }
        start()
        while !state.quitting && !stopRequested {
            if let interval = watch, drawnOnce {
                runner.startWatching(interval: interval)
                watch = nil
            }
            step(timeout: .milliseconds(50))
        }
        return state.stdoutAfterExit
    }

    /// Stops the watcher and gives a sync cancelled on the way out a moment to kill its
    /// commands and commit its finished units. After `run`, once the terminal is restored.
    public func shutdown(syncTimeout: TimeInterval = 5) {
        runner.stopWatching()
        runner.waitForSync(timeout: syncTimeout)
    }

    /// One turn: waits up to `timeout` for input or a posted result, applies what came (after
    /// a clock tick), runs the effects it asked for, and draws when anything changed.
    /// - Returns: whether input or a result came.
    @discardableResult
    public func step(timeout: Duration) -> Bool {
        start()
        var messages: [BrowserMessage] = []
        switch terminal.nextEvent(timeout: mailbox.isEmpty ? timeout : .zero) {
        case .key(let key)?: messages.append(.key(key))
        case .mouse(let event)?: messages.append(.mouse(event))
        case .resize(let width, let height)?: messages.append(.resize(width: width, height: height))
        case .signal(let number)?:
            // Ctrl-C from `kill -INT` behaves like the key (asks during a sync); others stop now.
            if number == SIGINT && !state.quitting {
                messages.append(.key(.ctrl("c")))
            } else {
                state.quitting = true
                runner.run(.cancelSync)
            }
        case nil: break
        }
        messages += mailbox.drain()
        let came = !messages.isEmpty
        let now = terminal.now()
        // Ages move by the second and the spinner by the tenth: tick only as often as shows.
        let busy = isLoading || state.sync != nil || state.checkup?.running == true
        if came || now.timeIntervalSince(lastTick) >= (busy ? 0.1 : 1) {
            messages.insert(.tick(now), at: 0)
            lastTick = now
        }
        for message in messages {
            perform(state.update(message))
            dirty = true
        }
        drawIfDue()
        return came
    }

    private func perform(_ effects: [BrowserEffect]) {
        for effect in effects {
            if case .clipboard(let text) = effect {
                // Between frames, on the terminal the loop draws on: never from the runner's threads.
                terminal.copyToClipboard(text)
            } else {
                runner.run(effect)
            }
        }
    }

    /// Draws when something changed; the first frame only once the lists are in (or failed),
    /// or `firstFrameWait` after `start`.
    private func drawIfDue() {
        guard dirty else { return }
        if !drawnOnce, isLoading, let startedAt, terminal.now().timeIntervalSince(startedAt) < firstFrameWait { return }
        drawnOnce = true
        draw()
    }

    private func draw() {
        terminal.draw(BrowserView.render(state))
        dirty = false
        if let report = onFirstFullFrame, isFull {
            onFirstFullFrame = nil
            if report() { stopRequested = true }
        }
    }
}
