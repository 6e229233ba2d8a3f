import Foundation
import SodarCache
import StoreKernel
import Testing

@testable import SodarCacheSync

/// Prometheus' text format as the metrics write it (the end-to-end tests read it back with
/// Prometheus' own parsers), and the seam for a kept sync history.
@Suite("Metrics text")
struct MetricsTextTests {
    @Test("label values and help text are escaped as the format says; values as Go reads them")
    func escaping() {
        #expect(PrometheusText.escapeLabel("a\"b\\c") == #"a\"b\\c"#)
        // Control characters are shown, not sent: the label reads back as the visible escape.
        #expect(PrometheusText.escapeLabel("a\nb\u{1B}[2J") == #"a\\u000ab\\u001b[2J"#)
        #expect(PrometheusText.escapeLabel("東京 🧬") == "東京 🧬")
        #expect(PrometheusText.escapeHelp("a\\b\nc \"q\"") == #"a\\b\nc "q""#)
        #expect(PrometheusText.format(3) == "3")
        #expect(PrometheusText.format(1_700_000_000.5) == "1700000000.500000")
        #expect(PrometheusText.format(.nan) == "NaN")
        #expect(PrometheusText.format(-.infinity) == "-Inf")
        var text = PrometheusText()
        text.family("x_total", help: "line\nbreak", kind: .counter, [.init([("app", "a\nb")], 2)])
        text.family("empty", help: "no samples, no lines", [])
        #expect(text.output == "# HELP x_total line\\nbreak\n# TYPE x_total counter\nx_total{app=\"a\\\\u000ab\"} 2\n")
    }

    @Test("a run's outcome per app; a failed app's last success comes from the kept history when there is one")
    func syncRun() {
        let times = Locked(1_000.0)
        let metrics = SyncRunMetrics(clock: { Date(timeIntervalSince1970: times.withLock { $0 += 1; return $0 }) })
        let failure = SyncFailure(message: "exit 3")
        for event: SyncEvent in [
            .planned(total: 3), .started(app: "ok", project: nil), .started(app: "bad", project: nil),
            .finished(app: "ok", project: nil, itemsWritten: 4), .failed(app: "bad", project: nil, failure: failure),
            .started(app: "ok", project: nil), .finished(app: "ok", project: nil, itemsWritten: 1),
        ] {
            metrics.record(event)
        }
        var summary = SyncSummary()
        summary.total = 3
        summary.succeeded = 2
        summary.failed = 1
        let plain = metrics.render(summary)
        #expect(plain.contains("sodarcache_sync_last_success_timestamp_seconds{app=\"ok\"} 1007\n"))
        #expect(!plain.contains("sodarcache_sync_last_success_timestamp_seconds{app=\"bad\"}"))
        #expect(plain.contains("sodarcache_sync_run_success{app=\"bad\"} 0\n"))
        #expect(plain.contains("sodarcache_sync_run_failures{app=\"bad\"} 1\n"))
        #expect(plain.contains("sodarcache_sync_run_items_written{app=\"ok\"} 5\n"))
        #expect(plain.contains("sodarcache_sync_run_units{app=\"ok\"} 2\n"))
        #expect(plain.contains("sodarcache_sync_run_duration_seconds{app=\"ok\"} 5\n"))
        #expect(plain.contains("sodarcache_sync_run_cancelled 0\n"))
        let kept = [AppSyncRecord(app: "bad", lastSuccess: Date(timeIntervalSince1970: 500), lastAttempt: nil, failuresSinceSuccess: 3)]
        #expect(metrics.render(summary, history: kept).contains("sodarcache_sync_last_success_timestamp_seconds{app=\"bad\"} 500\n"))
        // A cancelled run: no app succeeded.
        summary.cancelled = true
        #expect(metrics.render(summary).contains("sodarcache_sync_run_success{app=\"ok\"} 0\n"))
    }

    @Test("the store's metrics print a given sync history, marked as this host's view where it is")
    func storeMetricsWithHistory() {
        let inputs = StoreMetrics.Inputs(
            apps: [AppTotals(appName: "a", items: 2, bytes: nil, oldest: nil, newest: Date(timeIntervalSince1970: 10))],
            totals: StoreTotals(projects: 1, items: 2, bytes: 30, siteItems: 0, estimated: true), itemAges: .creation,
            syncs: [AppSyncRecord(app: "a", lastSuccess: Date(timeIntervalSince1970: 20), lastAttempt: Date(timeIntervalSince1970: 30), failuresSinceSuccess: 1)],
            syncsAreHostView: true)
        let text = StoreMetrics.render(inputs)
        #expect(text.contains("sodarcache_items{app=\"a\"} 2\n"))
        #expect(!text.contains("sodarcache_bytes{"))
        #expect(!text.contains("sodarcache_oldest_item_timestamp_seconds{"))
        #expect(text.contains("sodarcache_newest_item_timestamp_seconds{app=\"a\"} 10\n"))
        #expect(text.contains("unix seconds: its creation (SODAR's tables without commit timestamps"))
        #expect(text.contains("sodarcache_store_totals_estimated 1\n"))
        #expect(text.contains("sodarcache_sync_last_success_timestamp_seconds{app=\"a\"} 20\n"))
        #expect(text.contains("sodarcache_sync_failures_since_success{app=\"a\"} 1\n"))
        #expect(text.contains("This host's view: kept in its local store"))
        #expect(!text.contains("sodarcache_doctor_"))
    }
}
