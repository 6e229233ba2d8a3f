import ArgumentParser
import CacheBrowser
import CursesTerminal
import Foundation
import SodarCache

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
        let (_, store) = try global.open()
        try Self.browse(store: store, path: global.storePath, staleAfter: stale, readOnly: flags.readOnly)
    }

    static func browse(store: some CacheStore, path: String, staleAfter: TimeInterval, readOnly: Bool) throws {
        let options = BrowserOptions(storePath: path, staleAfter: staleAfter, readOnly: readOnly)
        if let output = try BrowserApp.run(source: store, options: options) {
            output.withUnsafeBytes { Console.writeAll(1, $0) }
        }
    }
}
