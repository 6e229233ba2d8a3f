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
    public var failed: Int = 0
    /// Units not run (or killed before they finished) because the run was cancelled.
    public var skipped: Int = 0
    /// Failures in the order they happened.
    public var failures: [Failure] = []
    /// Items written by the units that succeeded.
    public var itemsWritten: Int = 0
    /// Whether the run was cancelled.
    public var cancelled: Bool = false

    public init() {}

    /// "2 of 8 done, 2 failed, 4 not done": what the run did, in the words the command line
    /// and the browser share.
    public var counts: String {
        "\(succeeded) of \(total) done, \(failed) failed, \(skipped) not done"
    }

    /// Whether every planned unit ran and succeeded.
    public var isSuccess: Bool { failed == 0 && skipped == 0 && !cancelled }
}
