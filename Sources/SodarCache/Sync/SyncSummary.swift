import Foundation

/// The outcome of a sync run.
public struct SyncSummary: Sendable {
    /// One failed unit.
    public struct Failure: Sendable {
        public var app: String
        public var project: Project?
        public var failure: SyncFailure

        public init(app: String, project: Project?, failure: SyncFailure) {
            self.app = app
            self.project = project
            self.failure = failure
        }
    }

    /// Units planned.
    public var total: Int = 0
    public var succeeded: Int = 0
    /// Units that failed, those whose outcome is unknown included (`unknown`).
    public var failed: Int = 0
    /// Units not run (or killed before they finished) because the run was cancelled.
    public var skipped: Int = 0
    /// Failures in the order they happened.
    public var failures: [Failure] = []
    /// Items written by the units that succeeded (for a command that writes the cache itself:
    /// the items whose update time or payload its run changed).
    public var itemsWritten: Int = 0
    /// Whether the run was cancelled.
    public var cancelled: Bool = false

    public init() {}

    /// "2 of 8 done, 2 failed, 4 not done": what the run did, in the words the command line
    /// and the browser share.
    public var counts: String {
        let unknown = self.unknown
        let failures = unknown > 0 ? "\(failed) failed (\(unknown) with outcome unknown)" : "\(failed) failed"
        return "\(succeeded) of \(total) done, \(failures), \(skipped) not done"
    }

    /// Failed units whose command ended without saying how it went: they may have worked.
    public var unknown: Int { failures.filter(\.failure.outcomeUnknown).count }

    /// Whether every planned unit ran and succeeded.
    public var isSuccess: Bool { failed == 0 && skipped == 0 && !cancelled }
}
