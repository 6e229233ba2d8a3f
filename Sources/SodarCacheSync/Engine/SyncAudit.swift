import Foundation
import SodarCache
import StoreKernel

/// What a sync run leaves in the audit trail, whoever ran it (`synccache`, the browser's `s`
/// and `S`): one entry for the run, one per failed unit, and one per app of the run, which
/// `sodarcache metrics` reads the apps' last syncs from. The run's writes are entries of their
/// own, each in its transaction. A dry run changes nothing and records nothing. A failure is
/// recorded by its kind (an exit status, a timeout), never by the command's arguments or
/// output: the trail is read by others, and an argument may carry a password.
public enum SyncAudit {
    /// The action of an app's entry: its outcome "ok" or "failed: N units".
    public static let appAction = "sync-app"

    /// Records the run's outcome; a trail that cannot be written is not the sync's failure.
    /// - Parameters:
    ///   - project: the project the run was limited to (nil: all projects).
    ///   - apps: the apps the run covered.
    public static func record(_ summary: SyncSummary, in audit: (any AuditLog)?, project: UUID?, apps: [String]) {
        guard let audit, !summary.dryRun else { return }
        if !summary.cancelled {
            for app in apps {
                let failed = summary.failures.filter { $0.app == app }.count
                try? audit.record(AuditNote(action: appAction, what: app, outcome: failed == 0 ? "ok" : "failed: \(failed) units"))
            }
        }
        let scope = project.map { "project \($0.sodarString)" } ?? "all projects"
        let outcome = summary.cancelled ? "cancelled" : summary.failed > 0 ? "\(summary.failed) failed" : "ok"
        try? audit.record(AuditNote(
            action: "sync",
            what: "\(scope): \(summary.succeeded) of \(summary.total) units, \(summary.itemsWritten) items written",
            outcome: outcome))
        for failure in summary.failures.prefix(100) {
            let place = failure.project.map { "project \($0.uuid.sodarString)" } ?? "site-wide"
            try? audit.record(AuditNote(action: "sync", what: "app \(failure.app) in \(place)", outcome: "failed: " + failure.failure.recordedText))
        }
    }
}
