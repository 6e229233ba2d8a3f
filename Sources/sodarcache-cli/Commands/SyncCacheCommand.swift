import ArgumentParser
import Foundation
import JSONKit
import Logging
import SodarCache
import SodarCacheSync
import StoreKernel
import StoreOpening

/// `synccache [-p UUID] [-a APP] [-n NAME]`: runs the app plugins' update hooks.
struct SyncCacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synccache",
        abstract: "Update cached data by running every registered app plugin (in name order).",
        discussion: """
            Exits 0 when every unit worked; 1 when any failed (a command that writes the cache \
            itself fails on its failure lines too, such as SODAR's "Update failed for plugin"); \
            3 when none failed but a command that writes the cache itself ended without its \
            closing line (SODAR's "Cache synchronization OK"), so its outcome is unknown; 130 \
            when interrupted. An app with a site_command runs it once when no project is given. \
            Each app's changes are logged at the end: new, changed, unchanged and no longer \
            written items (for a command that writes the cache itself: what its run changed).

            --dry-run runs command apps and filestats as a sync does and writes nothing (the \
            store is opened read-only): it prints, per project and app, the items that would be \
            new, changed (with the changed JSON paths), unchanged, and no longer written (items \
            of that app in that project the run did not produce: a sync leaves them as they \
            are). Payloads compare by structure (key order and whitespace never count; on a \
            SODAR site, whose jsonb respells numbers, numbers by value). Apps whose command \
            writes the cache itself (writes_cache) are not run, and the report says so. Exit \
            status of a dry run, as diff(1): 0 when nothing would be new, changed or removed, \
            1 when something would, 2 when a unit failed or the run could not start, 130 when \
            interrupted.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @Option(name: [.customShort("a"), .long], help: "Only this app's plugin.") var app: String?
    @Option(name: [.customShort("n"), .customLong("name")], help: "Only this item name.") var itemName: String?
    @Option(help: "The user recorded on written items.") var user: String?
    @Option(help: "Plugins run at once (default: the number of cores).") var jobs: Int?
    @Option(
        name: .customLong("metrics-file"),
        help: "Write the run's outcome per app in Prometheus' text format to this file, atomically (for node_exporter's textfile collector), however the run ends.")
    var metricsFile: String?
    @Flag(name: .customLong("dry-run"), help: "Write nothing: report what a sync would change (exit 0: nothing, 1: something, 2: trouble).")
    var dryRun = false
    @Flag(help: "With --dry-run: print the report as JSON.") var json = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if json && !dryRun { throw ValidationError("--json goes with --dry-run (a sync reports on stderr)") }
    }

    func run() throws {
        // Checked before anything runs: a run whose outcome cannot be written is not started.
        if let metricsFile, let problem = AtomicFile.problem(metricsFile) {
            throw CLIError.usage("--metrics-file: cannot write \(metricsFile): \(problem)")
        }
        if dryRun { return try runDry() }
        let (config, store) = try global.open(needs: .write("synccache"))
        let project = try projectOption.resolve(in: store)
        let progress = ProgressLine(enabled: Console.isTTY(2))
        ProgressLine.shared.withLock { $0 = progress }
        let engine = SyncEngine(
            store: store, plugins: PluginRegistry.plugins(config: config),
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, projectPaths: config.projectPaths,
            logger: Logger(label: "sodarcache.synccache"), mayStartCacheWritingCommands: store.capabilities.canWrite,
            changeReport: SyncChangeReport(numbersByValue: Self.respellsNumbers(store)))
        let cancel = SyncCancellation()
        let signals = Self.trapSignals(cancel, stopping: "running commands are killed, finished work is kept")
        defer { signals.restore() }
        let metrics = SyncRunMetrics()
        let request = SyncRequest(project: project?.uuid, app: app, itemName: itemName, user: user.map { User(username: $0) })
        // The app and project checked (an unknown one throws) before anything is changed, the
        // history policy included.
        _ = try engine.plan(request)
        try global.applyHistoryPolicy(of: config, to: store)
        let summary = try engine.run(request, cancel: cancel) { event in
            progress.apply(event)
            metrics.record(event)
        }
        progress.finish()
        Self.audit(
            summary, store: store, project: project,
            apps: PluginRegistry.plugins(config: config).map(\.name).filter { app == nil || $0 == app })
        if let metricsFile {
            // No sync history is kept yet (the audit trail): an app that failed this run has no
            // last-success sample here. `SyncHistory` is where it plugs in.
            try AtomicFile.write(metrics.render(summary, history: nil), to: metricsFile)
        }
        if !summary.isSuccess {
            if summary.cancelled { throw ExitCode(130) }
            // Only unknown outcomes: maybe nothing failed, so not the status of a failure.
            let onlyUnknown = summary.skipped == 0 && summary.failed > 0 && summary.unknown == summary.failed
            throw ExitCode(onlyUnknown ? 3 : 1)
        }
    }
}

extension SyncCacheCommand {
    /// `--dry-run`: the store opened read-only (a read-only session on PostgreSQL), every unit
    /// run into a buffer that is compared and dropped, the report on stdout.
    private func runDry() throws {
        let (summary, byValue) = try SodarCacheCLI.troubleExitsTwo { () throws -> (SyncSummary, Bool) in
            let (config, store) = try global.open(mustExist: true, readingCommand: true, readOnly: true)
            let project = try projectOption.resolve(in: store)
            let progress = ProgressLine(enabled: Console.isTTY(2))
            ProgressLine.shared.withLock { $0 = progress }
            let byValue = Self.respellsNumbers(store)
            let engine = SyncEngine(
                store: store, plugins: PluginRegistry.plugins(config: config),
                jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, projectPaths: config.projectPaths,
                logger: Logger(label: "sodarcache.synccache"), mayStartCacheWritingCommands: false,
                changeReport: SyncChangeReport(numbersByValue: byValue, itemLimit: .max))
            let cancel = SyncCancellation()
            let signals = Self.trapSignals(cancel, stopping: "running commands are killed, nothing was written")
            defer { signals.restore() }
            let summary = try engine.run(
                SyncRequest(project: project?.uuid, app: app, itemName: itemName, user: user.map { User(username: $0) }),
                dryRun: true, cancel: cancel
            ) { event in progress.apply(event) }
            progress.finish()
            return (summary, byValue)
        }
        let report = DryRunReport(summary: summary, numbersByValue: byValue)
        let out = OutputBuffer(limit: 1 << 18)
        if json {
            // On a terminal, characters that would drive it are written as escapes (same JSON).
            var safe: TerminalSafeJSON? = Console.isTTY(1) ? TerminalSafeJSON() : nil
            try JSON.prettyPrint(report.json()) { chunk in
                if safe != nil { safe?.filter(chunk) { out.write($0) } } else { out.write(chunk) }
            }
            safe?.finish { out.write($0) }
        } else {
            out.write(report.text())
        }
        out.flush()
        if summary.cancelled { throw ExitCode(130) }
        if summary.failed > 0 { throw ExitCode(2) }
        if report.wouldChange { throw ExitCode(1) }
    }

    /// Whether the store respells the payloads it keeps (a SODAR site's `jsonb`): its numbers
    /// then compare with a command's output by value.
    static func respellsNumbers(_ store: any StoreEngine) -> Bool {
        StoreFactory.engine(of: store) == .sodarSite
    }

    /// SIGINT and SIGTERM stop the run cleanly; a second one ends the process at once.
    static func trapSignals(_ cancel: SyncCancellation, stopping: String) -> SignalTrap {
        SignalTrap(signals: [SIGINT, SIGTERM]) {
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
            if !cancel.isCancelled { Console.stderr("\nStopping: \(stopping) (again to quit at once)\n") }
            cancel.cancel()
        }
    }

    /// The sync's outcome in the audit trail (`SyncAudit`).
    static func audit(_ summary: SyncSummary, store: any StoreEngine, project: Project?, apps: [String]) {
        SyncAudit.record(summary, in: store.audit, project: project?.uuid, apps: apps)
    }
}

/// Runs `handler` on SIGINT/SIGTERM instead of dying, so a sync can stop cleanly.
final class SignalTrap: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]
    private let signals: [Int32]

    init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
        self.signals = signals
        // A parent (a test runner, some job schedulers) may hand us these signals blocked.
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in signals { sigaddset(&mask, number) }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func restore() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
