import ArgumentParser
import CacheBrowser
import CacheBrowserRuntime
import CursesTerminal
import Foundation
import Logging
import SodarCache
import StoreKernel
import StoreOpening
import SodarCacheSync

/// Options shared by `browse` and `demo`.
struct BrowserFlags: ParsableArguments {
    @Option(name: .customLong("stale-after"), help: "Mark items older than this as stale (e.g. 7d, 12h).")
    var staleAfter = "7d"

    @Flag(
        name: .customLong("no-clipboard"),
        help: "Never send copied text to the terminal's clipboard (y/Y); also `clipboard = false` under [browser] in the config.")
    var noClipboard = false

    @Flag(
        name: .customLong("no-mouse"),
        help: "Leave the mouse to the terminal's own text selection (no clicks or wheel); also `mouse = false` under [browser] in the config.")
    var noMouse = false

    /// Whether `y`/`Y` may use the clipboard: neither the flag nor the config turned it off.
    func clipboard(_ config: SodarConfig) -> Bool {
        !noClipboard && config.browser.clipboard
    }

    /// Whether the browser reads the mouse: neither the flag nor the config turned it off.
    func mouse(_ config: SodarConfig) -> Bool {
        !noMouse && config.browser.mouse
    }
}

/// `browse` (the default): the terminal browser.
struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse", abstract: "Open the terminal browser on the store (the default command).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: BrowserFlags

    /// Benchmarks only: exit once the first full frame is drawn and print the launch time.
    @Flag(name: .customLong("benchmark-first-frame"), help: .hidden)
    var benchmarkFirstFrame = false

    func run() throws {
        let timer = benchmarkFirstFrame ? LaunchTimer() : nil
        let stale = try DurationParser.seconds(flags.staleAfter)
        // Nothing changes until a key that writes is pressed: an older store is not upgraded.
        // The trash records the browser's deletes as made by `browse`.
        let (setup, config, store) = try global.session(mustExist: true, neverMigrate: true, command: "browse")
        timer?.mark("store open")
        try Self.browse(
            store: store, config: config, location: setup.location, staleAfter: stale, readOnly: setup.readOnly,
            // The status line is one line: the profile, not the file that says so.
            readOnlyReason: setup.readOnly && !global.readOnly ? config.activeProfile.map { "profile \($0.name) is read-only" } : nil,
            noTrash: global.noTrash, clipboard: flags.clipboard(config), mouse: flags.mouse(config), onFirstFullFrame: timer.map { timer in
                {
                    timer.mark("first full frame")
                    return true
                }
            })
        timer?.report()
    }

    /// Opens the browser; unless `readOnly`, its sync and delete keys drive the sync engine
    /// (the config's apps) and the store. `mouse`: read clicks and the wheel. `noTrash`: the
    /// store was opened with `--no-trash` (its dialogs then say a delete is for good).
    /// - Parameter readOnlyReason: why sync and delete are off when `readOnly` is not
    ///   `--read-only` (a profile's `read_only`).
    static func browse(
        store opened: any StoreEngine, config: SodarConfig, location: StoreLocation, staleAfter: TimeInterval,
        readOnly: Bool, readOnlyReason: String? = nil, noTrash: Bool = false, clipboard: Bool, mouse: Bool,
        command: String = "browse", onFirstFullFrame: (() -> Bool)? = nil
    ) throws {
        // Reads, sync and deletes all go through one handle that `r` can point at a replaced
        // file (a restore from backup), so nothing keeps writing to the unlinked old one.
        // A reopened file keeps the session's trash policy (`[trash]`, `--no-trash`) and its
        // deletes are recorded as the browser's, as the first file's were.
        var factoryOptions = CommandSetup(noTrash: noTrash, command: command).factoryOptions(config: config)
        factoryOptions.readOnly = readOnly
        factoryOptions.mustExist = true
        let reopenOptions = factoryOptions
        let store = ReopeningStore(opened, path: location.description) {
            do {
                return try StoreFactory.open(location, options: reopenOptions).store
            } catch StoreFactoryError.noStore(let path) {
                throw CacheError.storeFailure("the store file \(path) is gone; nothing to reopen")
            }
        }
        let path = location.description
        var options = BrowserOptions(
            storePath: path, staleAfter: staleAfter, readOnly: readOnly, clipboard: clipboard, mouse: mouse,
            capabilities: opened.capabilities, itemAges: opened.itemAges, readOnlyReason: readOnlyReason,
            undo: undo(policy: config.trash.policy, noTrash: noTrash, keepsTrash: opened.trash != nil))
        if let profile = config.activeProfile {
            options.profileTitle = profile.shownName
            options.banner = profile.color.flatMap(BannerColor.init(rawValue:))
        }
        // The first frame says it is a standby; the watcher keeps the lag current.
        options.standby = try? opened.standbyStatus()
        options.doctorSettings = config.doctorSettings
        options.registeredApps = config.path != nil ? Set(opened.registeredApps) : nil
        // The audit pane (`L`) lists the entries this session's changes make first: the store
        // records them as `command`'s (`browse`, or `demo`), by this user on this host.
        options.sessionAttribution = .thisProcess(command: command)
        options.sessionStart = Date()
        var actions: (any StoreActions)?
        if !readOnly {
            // The engine's log lines would land on the browser's screen: the browser reports
            // progress and failures itself.
            let quiet = Logger(label: "sodarcache.browser.sync") { _ in SwiftLogNoOpLogHandler() }
            let engine = SyncEngine(
                store: store, plugins: PluginRegistry.plugins(config: config),
                jobs: max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)), projectPaths: config.projectPaths,
                logger: quiet, mayStartCacheWritingCommands: opened.capabilities.canWrite,
                // Counted as `synccache` counts them, so `C` and `P` agree with its summary.
                changeReport: SyncChangeReport(numbersByValue: SyncCacheCommand.respellsNumbers(opened)))
            actions = EngineStoreActions(engine: engine, maintenance: store, trash: { store.trash })
        }
        if let output = try BrowserApp.run(
            source: store, options: options, actions: actions, onFirstFullFrame: onFirstFullFrame)
        {
            output.withUnsafeBytes { Console.writeAll(1, $0) }
        }
    }
}

extension BrowseCommand {
    /// Whether the browser's deletes can be undone, as its dialogs will say: kept for the
    /// policy's time, or for good and why.
    static func undo(policy: TrashPolicy, noTrash: Bool, keepsTrash: Bool) -> DeleteUndo {
        if noTrash { return .off(reason: "the trash is off (--no-trash)") }
        if !policy.enabled { return .off(reason: "the trash is off ([trash] enabled = false)") }
        // A SODAR site without a local store to keep its trash in.
        if !keepsTrash { return .off(reason: "this store keeps no trash") }
        return .trash(keep: policy.keep, maxBytes: policy.maxBytes)
    }

    /// `--benchmark-first-frame`: times since the process started, printed to stderr once the
    /// terminal is restored.
    final class LaunchTimer {
        /// Boot-clock seconds at the process's start (/proc/self/stat, clock ticks), or nil.
        private let processStart: Double?
        /// When `run()` began (after the runtime loaded and the arguments were parsed).
        private let runStart = LaunchTimer.bootClock()
        private var marks: [(String, Double)] = []

        init() {
            processStart = Self.processStartTime()
        }

        func mark(_ name: String) {
            marks.append((name, Self.bootClock()))
        }

        func report() {
            var lines: [String] = []
            func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
            if let processStart {
                lines.append("run() began \(ms(runStart - processStart)) after process start (10 ms ticks)")
            }
            for (name, time) in marks {
                var line = "\(name): \(ms(time - runStart)) after run()"
                if let processStart { line += ", \(ms(time - processStart)) after process start" }
                lines.append(line)
            }
            lines.append(Self.memory())
            Console.stderr(lines.joined(separator: "\n") + "\n")
        }

        static func bootClock() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_BOOTTIME, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }

        /// Field 22 of /proc/self/stat: start time after boot in clock ticks.
        static func processStartTime() -> Double? {
            guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // Fields after the command name start at field 3 (state).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
            return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
        }

        /// VmRSS, VmHWM, RssAnon and RssFile of this process.
        static func memory() -> String {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "" }
            return status.split(separator: "\n")
                .filter { ["VmRSS:", "VmHWM:", "RssAnon:", "RssFile:"].contains($0.prefix { $0 != ":" } + ":") }
                .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
                .joined(separator: ", ")
        }
    }
}
