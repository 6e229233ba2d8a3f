import Foundation

/// Progress of a sync run, reported per (plugin, project) unit. Delivered from worker threads.
public enum SyncEvent: Sendable {
    /// The run will attempt `total` units.
    case planned(total: Int)
    /// A unit started (`project` nil for a site-scope app).
    case started(app: String, project: Project?)
    /// A unit succeeded and its items landed in one transaction.
    case finished(app: String, project: Project?, itemsWritten: Int)
    /// A unit failed; nothing of it was written.
    case failed(app: String, project: Project?, failure: SyncFailure)
    /// The run was cancelled; sent once, after the last running unit ended.
    case cancelled
}
