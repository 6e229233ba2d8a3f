import ArgumentParser
import CacheBrowser
import CursesTerminal
import Foundation
import Logging
import SodarCache
import SodarCacheSync

/// Options shared by `browse` and `demo`.
struct BrowserFlags: ParsableArguments {
    @Option(name: .customLong("stale-after"), help: "Mark items older than this as stale (e.g. 7d, 12h).")
    var staleAfter = "7d"

    @Flag(name: .customLong("read-only"), help: "Disable sync and delete.")
    var readOnly = false
}

/// `browse` (the default): the terminal browser.
struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse", abstract: "Open the terminal browser on the store (the default command).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: BrowserFlags

    func run() throws {
        let stale = try DurationParser.seconds(flags.staleAfter)
        let (config, store) = try global.open(mustExist: true)
        try Self.browse(
            store: store, config: config, path: global.storePath, staleAfter: stale, readOnly: flags.readOnly)
    }

    /// Opens the browser; unless `readOnly`, its sync and delete keys drive the sync engine
    /// (the config's apps) and the store.
    static func browse(
        store: some CacheStore, config: SodarConfig, path: String, staleAfter: TimeInterval, readOnly: Bool
    ) throws {
        let options = BrowserOptions(storePath: path, staleAfter: staleAfter, readOnly: readOnly)
        var actions: (any BrowserActions)?
        if !readOnly {
            // The engine's log lines would land on the browser's screen: the browser reports
            // progress and failures itself.
            let quiet = Logger(label: "sodarcache.browser.sync") { _ in SwiftLogNoOpLogHandler() }
            let engine = SyncEngine(
                store: store, plugins: PluginRegistry.plugins(config: config),
                jobs: max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)), logger: quiet)
            actions = StoreBrowserActions(engine: engine, maintenance: store)
        }
        if let output = try BrowserApp.run(source: store, options: options, actions: actions) {
            output.withUnsafeBytes { Console.writeAll(1, $0) }
        }
    }
}
