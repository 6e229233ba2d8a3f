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
    /// Whether this was a dry run: nothing was written, `changes` says what would have been.
    public var dryRun: Bool = false
    /// What each unit that succeeded changed (in a dry run: would change), in run order; and
    /// in a dry run the units it did not run, with why. Empty when the engine's change report
    /// is off.
    public var changes: [SyncUnitChanges] = []

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

    /// The change counts per app, over every unit that was compared (skipped ones aside).
    public var changesByApp: [(app: String, counts: SyncChangeCounts, basis: SyncUnitChanges.Basis)] {
        var order: [String] = []
        var byApp: [String: (SyncChangeCounts, SyncUnitChanges.Basis)] = [:]
        for unit in changes where unit.basis != .skipped {
            if byApp[unit.app] == nil {
                order.append(unit.app)
                byApp[unit.app] = (SyncChangeCounts(), unit.basis)
            }
            byApp[unit.app]!.0 += unit.counts
        }
        return order.sorted().map { (app: $0, counts: byApp[$0]!.0, basis: byApp[$0]!.1) }
    }

    /// The change counts of every compared unit together.
    public var changeTotals: SyncChangeCounts {
        var total = SyncChangeCounts()
        for unit in changes where unit.basis != .skipped { total += unit.counts }
        return total
    }

    /// Units grouped by project, projects in the order first met and site-wide units last (as
    /// SODAR lists them after the projects): the order the command line's dry run and the
    /// browser's change list share.
    public static func byProject<Unit>(_ units: [Unit], project: (Unit) -> Project?) -> [[Unit]] {
        var order: [UUID?] = []
        var groups: [UUID?: [Unit]] = [:]
        for unit in units {
            let key = project(unit)?.uuid
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(unit)
        }
        return (order.filter { $0 != nil } + order.filter { $0 == nil }).map { groups[$0]! }
    }

    /// Whether every planned unit ran and succeeded.
    public var isSuccess: Bool { failed == 0 && skipped == 0 && !cancelled }
}
