import CacheBrowser
import Foundation
import SodarCache

/// The terminal browser: the `update`/`view` core driven by ncurses.
public enum BrowserApp {
    /// Runs the browser until the user quits; returns bytes to write to stdout after the
    /// terminal is restored (the `y` key's "stdout after exit"), or nil.
    /// - Throws: `TerminalError` when the terminal cannot run it (nothing drawn then).
    public static func run(source: any CacheBrowsing, options: BrowserOptions) throws -> Data? {
        try run(source: source, options: options, buildDocument: JSONPayloadDocument.build)
    }

    /// `run(source:options:)` with another payload document builder.
    public static func run(
        source: any CacheBrowsing, options: BrowserOptions, buildDocument: @escaping EffectRunner.DocumentBuilder
    ) throws -> Data? {
        let terminal = try CursesSession()
        defer { terminal.stop() }
        let mailbox = BrowserMailbox()
        let runner = EffectRunner(source: source, mailbox: mailbox, buildDocument: buildDocument)
        let size = terminal.size
        var state = BrowserState(options: options, now: Date(), width: size.width, height: size.height)
        for effect in state.start() { runner.run(effect) }
        var lastTick = Date()
        var dirty = true
        while !state.quitting {
            if dirty {
                terminal.draw(BrowserView.render(state))
                dirty = false
            }
            var actions: [BrowserAction] = []
            switch terminal.readEvent() {
            case .key(let key)?: actions.append(.key(key))
            case .resize(let width, let height)?: actions.append(.resize(width: width, height: height))
            case .signal?: state.quitting = true
            case nil: break
            }
            actions += mailbox.drain()
            let now = Date()
            // Ages move by the second and the spinner by the tenth: tick only as often as shows.
            let busy = state.projects.loading || state.apps.loading || state.items.loading
                || state.payload?.loading == true
            if !actions.isEmpty || now.timeIntervalSince(lastTick) >= (busy ? 0.1 : 1) {
                actions.insert(.tick(now), at: 0)
                lastTick = now
            }
            for action in actions {
                for effect in state.update(action) where effect != .quit {
                    runner.run(effect)
                }
                dirty = true
            }
        }
        terminal.stop()
        return state.stdoutAfterExit
    }
}
