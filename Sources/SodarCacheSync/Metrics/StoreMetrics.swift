import Foundation
import StoreKernel

/// `sodarcache metrics`: a store's figures in Prometheus' text format. Per app its items,
/// bytes and oldest and newest item from one aggregate read (`appTotals`, no payload read);
/// the store's totals as it keeps them (on SODAR's tables an estimate, said by
/// `sodarcache_store_totals_estimated`); the doctor's counts; each app's last sync where a
/// history is given.
public enum StoreMetrics {
    /// What the metrics are made of.
    public struct Inputs: Sendable {
        public var apps: [AppTotals]
        public var totals: StoreTotals
        public var itemAges: ItemAges
        /// Nil: the doctor did not run (`--no-doctor`).
        public var report: DoctorReport?
        /// Nil: no sync history kept (not built yet); see `SyncHistory`.
        public var syncs: [AppSyncRecord]?
        /// The history is this host's view (`SyncHistory.isHostView`).
        public var syncsAreHostView: Bool
        /// How long reading took, in seconds.
        public var duration: TimeInterval

        public init(
            apps: [AppTotals], totals: StoreTotals, itemAges: ItemAges, report: DoctorReport? = nil,
            syncs: [AppSyncRecord]? = nil, syncsAreHostView: Bool = false, duration: TimeInterval = 0
        ) {
            self.apps = apps
            self.totals = totals
            self.itemAges = itemAges
            self.report = report
            self.syncs = syncs
            self.syncsAreHostView = syncsAreHostView
            self.duration = duration
        }
    }

    public static func render(_ inputs: Inputs) -> String {
        var text = PrometheusText()
        let apps = inputs.apps
        func byApp(_ value: (AppTotals) -> Double?) -> [PrometheusText.Sample] {
            apps.compactMap { app in value(app).map { PrometheusText.Sample([("app", app.appName)], $0) } }
        }
        let ages: String
        switch inputs.itemAges {
        case .lastWrite: ages = "its last write"
        case .creation: ages = "its creation (SODAR's tables without commit timestamps: a rewrite does not move it)"
        case .commitTime: ages = "the commit time of its last write (its creation where the server has no commit time)"
        }
        text.family("sodarcache_items", help: "Cached items per app.", byApp { Double($0.items) })
        text.family(
            "sodarcache_bytes", help: "Bytes of cached payloads per app, as stored (not on SODAR's tables: see sodarcache_store_bytes).",
            byApp { $0.bytes.map(Double.init) })
        text.family(
            "sodarcache_oldest_item_timestamp_seconds", help: "Time of each app's oldest item, unix seconds: \(ages).",
            byApp { $0.oldest?.timeIntervalSince1970 })
        text.family(
            "sodarcache_newest_item_timestamp_seconds", help: "Time of each app's newest item, unix seconds: \(ages).",
            byApp { $0.newest?.timeIntervalSince1970 })
        let totals = inputs.totals
        text.family("sodarcache_store_items", help: "Cached items in the store.", [.init(Double(totals.items))])
        text.family("sodarcache_store_bytes", help: "Bytes of cached payloads in the store, as the store keeps the total.", [.init(Double(totals.bytes))])
        text.family("sodarcache_store_site_items", help: "Site-wide items (no project).", [.init(Double(totals.siteItems))])
        text.family(
            "sodarcache_store_totals_estimated",
            help: "1 when the store's item and byte totals are an estimate (a large SODAR table keeps none), else 0.",
            [.init(totals.estimated ? 1 : 0)])
        text.family(
            "sodarcache_projects", help: "Projects and categories in the store.",
            [.init([("type", "project")], Double(totals.projects)), .init([("type", "category")], Double(totals.categories))])
        if let report = inputs.report {
            text.family(
                "sodarcache_doctor_findings",
                help: "Items the doctor found per check (missing: expected item names); severity as [doctor] critical marks it.",
                report.checked.map { check in
                    .init(
                        [("check", check.rawValue), ("severity", report.settings.critical.contains(check) ? "critical" : "warning")],
                        Double(report.count(of: check)))
                })
            text.family(
                "sodarcache_doctor_status", help: "The doctor's outcome: 0 ok, 1 warning, 2 critical.",
                [.init(Double(report.status.rawValue))])
            text.family(
                "sodarcache_doctor_stale_threshold_seconds", help: "Items older than this are stale ([doctor] stale).",
                [.init(report.settings.staleAfter)])
            text.family(
                "sodarcache_doctor_oversized_threshold_bytes", help: "Payloads larger than this are oversized ([doctor] oversized).",
                [.init(Double(report.settings.oversizedBytes))])
        }
        if let syncs = inputs.syncs {
            let view = inputs.syncsAreHostView ? " This host's view: kept in its local store, other hosts' syncs are not in it." : ""
            text.family(
                "sodarcache_sync_last_success_timestamp_seconds",
                help: "When a sync of each app last ended with every unit done, unix seconds.\(view)",
                syncs.compactMap { record in record.lastSuccess.map { .init([("app", record.app)], $0.timeIntervalSince1970) } })
            text.family(
                "sodarcache_sync_last_attempt_timestamp_seconds",
                help: "When a sync of each app last ended, however it went, unix seconds.\(view)",
                syncs.compactMap { record in record.lastAttempt.map { .init([("app", record.app)], $0.timeIntervalSince1970) } })
            text.family(
                "sodarcache_sync_failures_since_success", help: "Units of each app that failed since its last successful sync.\(view)",
                syncs.map { .init([("app", $0.app)], Double($0.failuresSinceSuccess)) })
        }
        text.family(
            "sodarcache_metrics_duration_seconds", help: "How long reading these metrics took (the doctor's pass included).",
            [.init(inputs.duration)])
        return text.output
    }
}
