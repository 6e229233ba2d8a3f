import ArgumentParser
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel
import StoreOpening

/// `metrics [--no-doctor] [--output PATH]`: the store's figures in Prometheus' text format.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print the store's figures in Prometheus' text exposition format.",
        discussion: """
            Per app: items, bytes (not on a SODAR site's tables, which keep no sizes: the \
            store's total is there, an estimate on a large table), the oldest and newest \
            item's time; the store's totals; and the doctor's counts per check (what \
            `sodarcache doctor` finds, thresholds from the config). For node_exporter's \
            textfile collector give --output: the file is written whole or not at all.
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(
        name: .customLong("doctor"), inversion: .prefixedNo,
        help: "Include the doctor's counts (one pass over every item's summary; on a SODAR site it reads each payload's size).")
    var doctor = true
    @Option(help: "Write the metrics to this file atomically (write beside it, then rename) instead of stdout.")
    var output: String?

    func run() throws {
        if let output, let problem = AtomicFile.problem(output) {
            throw CLIError.usage("--output: cannot write \(output): \(problem)")
        }
        let started = ContinuousClock.now
        let (config, store) = try global.open(mustExist: true, readingCommand: true)
        let apps = try store.appTotals()
        let totals = try store.totals()
        let report = doctor
            ? try Doctor.examine(
                store, settings: config.doctorSettings, registeredApps: config.path != nil ? Set(store.registeredApps) : nil)
            : nil
        // The apps' last syncs, from the audit trail (a SODAR site's: this host's local store).
        let history: (any SyncHistory)? = store.audit.map {
            AuditSyncHistory(audit: $0, isHostView: StoreFactory.engine(of: store) == .sodarSite)
        }
        let syncs = try history?.lastSyncs()
        try? store.close()
        let elapsed = ContinuousClock.now - started
        let text = StoreMetrics.render(
            StoreMetrics.Inputs(
                apps: apps, totals: totals, itemAges: store.itemAges, report: report, syncs: syncs,
                syncsAreHostView: history?.isHostView ?? false,
                duration: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            Console.stdout(text)
        }
    }
}
