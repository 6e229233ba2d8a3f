import ArgumentParser
import StoreOpening
import CursesTerminal
import Foundation
import Logging
import SodarCache
import StoreKernel
import SodarCacheSync

/// `demo [--db PATH]`: builds a SODAR-like demo store and opens the browser on it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo store with SODAR-like data and open the browser on it.",
        discussion: """
            The demo lives in $XDG_DATA_HOME/sodarcache/demo/ (or next to --db PATH, in PATH.demo/), \
            with its own config declaring SODAR's apps and a command app. Running it again rebuilds \
            it. It never touches a store that it did not create.
            """)

    @Option(name: .long, help: "Where to build the demo store.") var db: String?
    @Flag(name: .customLong("no-browse"), help: "Build the store and print its paths; do not open the browser.")
    var noBrowse = false
    @OptionGroup var flags: BrowserFlags

    @Flag(name: .customLong("read-only"), help: "Disable sync and delete.")
    var readOnly = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let dbPath: String
        let demoDir: String
        if let db {
            if case .postgres = StoreLocation(db) {
                throw CLIError.usage("demo builds a SQLite store; give it a file path, not a PostgreSQL URI (scripts/sodar-demo.sh fills a PostgreSQL database)")
            }
            dbPath = absolutePath(db)
            demoDir = dbPath + ".demo"
        } else {
            demoDir = CommandSetup.dataHome(environment: environment) + "/sodarcache/demo"
            dbPath = demoDir + "/cache.sqlite3"
        }
        let stale = try DurationParser.seconds(flags.staleAfter)
        // Before any file is written: a demo that cannot open its browser should leave nothing.
        if !noBrowse { try Self.checkTerminal(environment: environment) }
        let fm = FileManager.default
        let marker = demoDir + "/" + Self.markerName
        if fm.fileExists(atPath: dbPath) {
            guard fm.fileExists(atPath: marker) else { throw CLIError.demoRefusesExisting(dbPath) }
            for file in SQLiteFiles.all(of: dbPath) { try? fm.removeItem(atPath: file) }
            try? fm.removeItem(atPath: demoDir + "/files")
        }
        do {
            try fm.createDirectory(atPath: demoDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError.unwritableFile(demoDir, Self.reason(creating: demoDir))
        }
        let configPath = demoDir + "/config.toml"
        try Self.write(Data("sodarcache demo\n".utf8), to: marker)
        try Self.write(Data(Self.config.utf8), to: configPath)

        // Its writes, and the browser's, are recorded as `demo`'s (the audit pane's session).
        var setup = CommandSetup(db: dbPath, config: configPath)
        setup.command = "demo"
        let (_, config, store) = try setup.open()
        var data = DemoData()
        let count = try data.populate(store: store, filesRoot: demoDir + "/files")
        if noBrowse {
            Console.stdout("""
                Demo store: \(dbPath) (\(count) items)
                Config: \(configPath)
                Commands with --db \(dbPath) find this config by themselves; elsewhere name it with
                --config \(configPath) or export SODARCACHE_CONFIG=\(configPath)

                """)
            return
        }
        try BrowseCommand.browse(
            store: store, config: config, location: .file(dbPath), staleAfter: stale, readOnly: readOnly,
            clipboard: flags.clipboard(config), mouse: flags.mouse(config), command: "demo")
        Console.stderr("Demo store kept at \(dbPath); config \(configPath)\n")
    }

    /// The checks the browser makes before it takes the terminal, made before anything is written.
    static func checkTerminal(environment: [String: String]) throws {
        guard Console.isTTY(0), Console.isTTY(1) else { throw TerminalError.notATerminal }
        guard let term = environment["TERM"], !term.isEmpty else { throw TerminalError.noTermVariable }
        guard term != "dumb" else { throw TerminalError.dumbTerminal }
    }

    /// Writes a file of the demo, with an error in our words.
    static func write(_ data: Data, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError.unwritableFile(path, reason(creating: path))
        }
    }

    /// Why `path` cannot be created, in a few words.
    static func reason(creating path: String) -> String {
        var dir = (path as NSString).deletingLastPathComponent
        while !dir.isEmpty, dir != "/", !FileManager.default.fileExists(atPath: dir) {
            dir = (dir as NSString).deletingLastPathComponent
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), !isDir.boolValue {
            return "\(dir) is a file, not a folder"
        }
        if access(dir.isEmpty ? "." : dir, W_OK | X_OK) != 0 { return "no permission to write in \(dir)" }
        return "cannot create it"
    }

    /// The file that marks a folder as made by `demo` (and so safe to rebuild).
    static let markerName = ".sodarcache-demo"

    /// SODAR's apps (their data comes through `set`) and one command app that really runs on sync.
    static var config: String {
        var text = "# Written by `sodarcache demo`: SODAR's apps, and one command app.\n\n"
        for app in DemoData.apps {
            text += "[apps.\"\(app.name)\"]\ntitle = \"\(app.title)\"\n\n"
        }
        text += """
            [apps.projectcheck]
            title = "Project check (a command app)"
            command = ["/bin/sh", "-c", "printf '{\\"project\\": \\"%s\\", \\"checked_at\\": %s}' \\"$1\\" \\"$(date +%s)\\"", "sh", "{project_title}"]
            item = "status/last_check"
            timeout = 10

            """
        return text
    }
}
