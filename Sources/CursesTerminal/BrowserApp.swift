import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import StoreKernel

/// The terminal browser: the browser's loop on ncurses.
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
        let terminal = try CursesSession(mouse: options.mouse, banner: options.banner)
        defer { terminal.stop() }
        let loop = BrowserLoop(
            terminal: terminal, source: source, options: options, actions: actions, buildDocument: buildDocument)
        defer { loop.shutdown() }
        let output = loop.run(watchInterval: 0.5, onFirstFullFrame: onFirstFullFrame)
        // The terminal goes back to the user before `shutdown` waits for a cancelled sync.
        terminal.stop()
        return output
    }
}
