import Foundation

/// The seam between metrics and the sync history a store keeps (the audit trail, issue 21
/// point 3, which records every sync): metrics print these records when given one. Nothing
/// implements it yet; `sodarcache metrics` passes none and leaves the sync families out.
public protocol SyncHistory: Sendable {
    /// Each app's last sync as recorded, by app name.
    func lastSyncs() throws -> [AppSyncRecord]

    /// Whether the records are this host's view only (a SODAR site: kept in the host's local
    /// store, not beside SODAR's tables): the metrics' help says so.
    var isHostView: Bool { get }
}
