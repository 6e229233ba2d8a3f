import Foundation

/// What a store keeps of one app's syncs across runs, for `sodarcache metrics`: the time of its
/// last successful sync and the failures since. The audit trail (issue 21, point 3) keeps
/// these; `SyncHistory` is where metrics read them from.
public struct AppSyncRecord: Sendable, Hashable {
    public var app: String
    /// When a sync of the app last ended with every unit done; nil: never.
    public var lastSuccess: Date?
    /// When a sync of the app last ended, however it went.
    public var lastAttempt: Date?
    /// Units that failed since `lastSuccess`.
    public var failuresSinceSuccess: Int

    public init(app: String, lastSuccess: Date?, lastAttempt: Date?, failuresSinceSuccess: Int) {
        self.app = app
        self.lastSuccess = lastSuccess
        self.lastAttempt = lastAttempt
        self.failuresSinceSuccess = failuresSinceSuccess
    }
}
