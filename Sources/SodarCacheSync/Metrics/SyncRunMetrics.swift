import Foundation
import SodarCache

/// One `synccache` run's outcome per app, for node_exporter's textfile collector
/// (`synccache --metrics-file PATH`): gathered from the run's events, printed once it ends.
public final class SyncRunMetrics: Sendable {
    /// One app's units in this run.
    struct AppRun {
        var started: Date?
        var ended: Date?
        var units = 0
        var failed = 0
        var itemsWritten = 0
    }

    private let runs = Locked<[String: AppRun]>([:])
    private let clock: @Sendable () -> Date

    /// - Parameter clock: when events happen (tests give a fixed one).
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Takes one event of the run into account (called from the engine's workers).
    public func record(_ event: SyncEvent) {
        let now = clock()
        runs.withLock { runs in
            switch event {
            case .started(let app, _):
                if runs[app]?.started == nil { runs[app, default: AppRun()].started = now }
            case .finished(let app, _, let items):
                runs[app, default: AppRun()].units += 1
                runs[app, default: AppRun()].itemsWritten += items
                runs[app, default: AppRun()].ended = now
            case .failed(let app, _, _):
                runs[app, default: AppRun()].units += 1
                runs[app, default: AppRun()].failed += 1
                runs[app, default: AppRun()].ended = now
            case .planned, .cancelled:
                break
            }
        }
    }

    /// The run's metrics once it ended. `history`: what the store keeps of earlier syncs (see
    /// `SyncHistory`), for the last success of an app that failed this time; nil (none kept
    /// yet): such an app has no last-success sample in this file.
    public func render(_ summary: SyncSummary, history: [AppSyncRecord]? = nil) -> String {
        let runs = runs.withLock { $0 }.sorted { $0.key < $1.key }
        let kept = Dictionary((history ?? []).map { ($0.app, $0) }, uniquingKeysWith: { first, _ in first })
        var text = PrometheusText()
        func perApp(_ value: (String, AppRun) -> Double?) -> [PrometheusText.Sample] {
            runs.compactMap { app, run in value(app, run).map { PrometheusText.Sample([("app", app)], $0) } }
        }
        // An app succeeded when each of its units ran and worked, and the run was not cut short.
        let succeeded = { (run: AppRun) in run.failed == 0 && !summary.cancelled }
        text.family(
            "sodarcache_sync_last_success_timestamp_seconds",
            help: "When a sync of each app last ended with every unit done, unix seconds (this run's end; an app that failed "
                + "this run keeps the time the store recorded, where one is kept).",
            perApp { app, run in
                succeeded(run) ? run.ended?.timeIntervalSince1970 : kept[app]?.lastSuccess?.timeIntervalSince1970
            })
        text.family(
            "sodarcache_sync_run_success", help: "1 when every unit of the app worked in this run, else 0.",
            perApp { _, run in succeeded(run) ? 1 : 0 })
        text.family(
            "sodarcache_sync_run_timestamp_seconds", help: "When this run's last unit of the app ended, unix seconds.",
            perApp { _, run in run.ended?.timeIntervalSince1970 })
        text.family(
            "sodarcache_sync_run_failures", help: "Units of the app that failed in this run (outcome unknown included).",
            perApp { _, run in Double(run.failed) })
        text.family("sodarcache_sync_run_units", help: "Units of the app this run ended (a project each, or the site).", perApp { _, run in Double(run.units) })
        text.family(
            "sodarcache_sync_run_items_written", help: "Items this run's successful units of the app wrote.",
            perApp { _, run in Double(run.itemsWritten) })
        text.family(
            "sodarcache_sync_run_duration_seconds", help: "From the app's first unit's start to its last unit's end in this run.",
            perApp { _, run in
                guard let started = run.started, let ended = run.ended else { return nil }
                return max(0, ended.timeIntervalSince(started))
            })
        text.family(
            "sodarcache_sync_run_cancelled", help: "1 when this run was cancelled (units not run are in no app's counts).",
            [.init(summary.cancelled ? 1 : 0)])
        return text.output
    }
}
