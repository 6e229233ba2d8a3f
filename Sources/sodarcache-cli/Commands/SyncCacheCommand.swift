import ArgumentParser
import Foundation
import Logging
import SodarCache
import SodarCacheSync
import StoreKernel

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
            when interrupted. An app with a site_command runs it once when no project is given.
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

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        // Checked before anything runs: a run whose outcome cannot be written is not started.
        if let metricsFile, let problem = AtomicFile.problem(metricsFile) {
            throw CLIError.usage("--metrics-file: cannot write \(metricsFile): \(problem)")
        }
        let (config, store) = try global.open(needs: .write("synccache"))
        let project = try projectOption.resolve(in: store)
        let progress = ProgressLine(enabled: Console.isTTY(2))
        ProgressLine.shared.withLock { $0 = progress }
        let engine = SyncEngine(
            store: store, plugins: PluginRegistry.plugins(config: config),
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, projectPaths: config.projectPaths,
            logger: Logger(label: "sodarcache.synccache"), mayStartCacheWritingCommands: store.capabilities.canWrite)
        let cancel = SyncCancellation()
        let signals = SignalTrap(signals: [SIGINT, SIGTERM]) {
            // The first signal stops cleanly; a second one ends the process at once.
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
            if !cancel.isCancelled { Console.stderr("\nStopping: running commands are killed, finished work is kept (again to quit at once)\n") }
            cancel.cancel()
        }
        defer { signals.restore() }
        let metrics = SyncRunMetrics()
        let summary = try engine.run(
            SyncRequest(project: project?.uuid, app: app, itemName: itemName, user: user.map { User(username: $0) }),
            cancel: cancel
        ) { event in
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
    /// The sync's outcome in the audit trail: one entry for the run, one per failed unit (its
    /// writes are entries of their own, each in its transaction).
    static func audit(_ summary: SyncSummary, store: any StoreEngine, project: Project?, apps: [String]) {
        guard let audit = store.audit else { return }
        // One entry per app of the run, which `sodarcache metrics` reads its last syncs from.
        if !summary.cancelled {
            for app in apps {
                let failed = summary.failures.filter { $0.app == app }.count
                try? audit.record(AuditNote(
                    action: AuditSyncHistory.action, what: app, outcome: failed == 0 ? "ok" : "failed: \(failed) units"))
            }
        }
        let scope = project.map { "project \($0.uuid.sodarString)" } ?? "all projects"
        let outcome = summary.cancelled ? "cancelled" : summary.failed > 0 ? "\(summary.failed) failed" : "ok"
        try? audit.record(AuditNote(
            action: "sync",
            what: "\(scope): \(summary.succeeded) of \(summary.total) units, \(summary.itemsWritten) items written",
            outcome: outcome))
        for failure in summary.failures.prefix(100) {
            let place = failure.project.map { "project \($0.uuid.sodarString)" } ?? "site-wide"
            try? audit.record(AuditNote(
                action: "sync", what: "app \(failure.app) in \(place)", outcome: "failed: \(failure.failure)"))
        }
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
