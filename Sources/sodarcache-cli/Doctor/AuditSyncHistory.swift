import Foundation
import SodarCacheSync
import StoreKernel

/// The apps' last syncs as the audit trail keeps them: `synccache` records one `sync-app`
/// entry per app of each run, its outcome "ok" or "failed: N units".
struct AuditSyncHistory: SyncHistory {
    /// The action of an app's entry.
    static let action = SyncAudit.appAction

    let audit: any AuditLog
    /// The store is a SODAR site's: its audit trail is this host's local store.
    let isHostView: Bool

    func lastSyncs() throws -> [AppSyncRecord] {
        var records: [String: AppSyncRecord] = [:]
        // Newest first: the first entry of an app is its last attempt; failures count until
        // the first success.
        for entry in try audit.auditEntries(since: nil, limit: 100_000) where entry.action == Self.action {
            var record = records[entry.what] ?? AppSyncRecord(app: entry.what, lastSuccess: nil, lastAttempt: entry.at, failuresSinceSuccess: 0)
            if record.lastSuccess == nil {
                if entry.outcome == "ok" {
                    record.lastSuccess = entry.at
                } else if let units = entry.outcome.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
                    record.failuresSinceSuccess += units
                }
            }
            records[entry.what] = record
        }
        return records.values.sorted { $0.app < $1.app }
    }
}
