import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import StoreKernel

/// The terminal browser: the `update`/`view` core driven by ncurses.
public enum BrowserApp {
    /// Runs the browser until the user quits; returns bytes to write to stdout after the
    /// terminal is restored (the `e` key's "stdout after exit"), or nil.
    /// - Throws: `TerminalError` when the terminal cannot run it (nothing drawn then).
    /// - Parameters:
    ///   - actions: sync and delete (`s`, `d`, ...); nil leaves the browser read-only.
    ///   - onFirstFullFrame: called once, right after the first frame with the totals and every
    ///     list loaded is on the terminal (a benchmark's launch timer); returning true quits.
    public static func run(
        source: any CacheBrowsing, options: BrowserOptions, actions: (any StoreActions)? = nil,
        onFirstFullFrame: (() -> Bool)? = nil
    ) throws -> Data? {
        try run(
            source: source, options: options, actions: actions, buildDocument: JSONPayloadDocument.build,
            onFirstFullFrame: onFirstFullFrame)
    }

    /// `run(source:options:actions:onFirstFullFrame:)` with another payload document builder.
    public static func run(
        source: any CacheBrowsing, options: BrowserOptions, actions: (any StoreActions)? = nil,
        buildDocument: @escaping EffectRunner.DocumentBuilder, onFirstFullFrame: (() -> Bool)? = nil
    ) throws -> Data? {
        let terminal = try CursesSession(mouse: options.mouse)
        defer { terminal.stop() }
        let waiter = InputWaiter()
        if waiter != nil {
            // Keys are read without waiting; `waiter` does the waiting (keys or results).
            terminal.setInputTimeout(milliseconds: 0)
        }
        var wake: (@Sendable () -> Void)?
        if let waiter { wake = { waiter.wake() } }
        let mailbox = BrowserMailbox(onPost: wake)
        let runner = EffectRunner(source: source, mailbox: mailbox, actions: actions, buildDocument: buildDocument)
        defer {
            runner.stopWatching()
            // A sync cancelled on the way out: give its commands a moment to be killed and its
            // finished units to commit, without holding the user's terminal for long.
            runner.waitForSync(timeout: 5)
        }
        let size = terminal.size
        var state = BrowserState(options: options, now: Date(), width: size.width, height: size.height)
        state.actionsAvailable = actions != nil
        for effect in state.start() { runner.run(effect) }
        runner.startWatching(interval: 0.5)
        var lastTick = Date()
        var dirty = true
        var firstFullFrame = onFirstFullFrame
        while !state.quitting {
            if dirty {
                terminal.draw(BrowserView.render(state))
                dirty = false
                if let report = firstFullFrame, isFull(state) {
                    firstFullFrame = nil
                    if report() { break }
                }
            }
            var messages: [BrowserMessage] = []
            var event = terminal.readEvent()
            var drained = mailbox.drain()
            if let waiter, event == nil, drained.isEmpty {
                // The old input timeout, now also ended by a posted result.
                waiter.wait(milliseconds: 50)
                event = terminal.readEvent()
                drained = mailbox.drain()
            }
            switch event {
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
            messages += drained
            let now = Date()
            // Ages move by the second and the spinner by the tenth: tick only as often as shows.
            let busy = state.projects.loading || state.apps.loading || state.items.loading
                || state.payload?.loading == true || state.sync != nil
            if !messages.isEmpty || now.timeIntervalSince(lastTick) >= (busy ? 0.1 : 1) {
                messages.insert(.tick(now), at: 0)
                lastTick = now
            }
            for message in messages {
                for effect in state.update(message) where effect != .quit {
                    if case .clipboard(let text) = effect {
                        // Between frames, on the terminal curses draws on: never from the runner's threads.
                        terminal.copyToClipboard(text)
                    } else {
                        runner.run(effect)
                    }
                }
                dirty = true
            }
        }
        terminal.stop()
        return state.stdoutAfterExit
    }

    /// The header's totals and every shown list are loaded: nothing on screen is a spinner.
    static func isFull(_ state: BrowserState) -> Bool {
        state.totals != nil && state.projects.loaded && !state.projects.loading && !state.apps.loading
            && !state.items.loading
    }
}
