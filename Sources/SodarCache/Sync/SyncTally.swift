import Foundation

/// The counts of a running sync, from its events: the one reducer that the command line's
/// progress bar and the browser's progress line both keep.
public struct SyncTally: Sendable, Hashable {
    /// Units planned (nil until the engine has planned).
    public private(set) var total: Int?
    /// Units that ended (succeeded or failed).
    public private(set) var done = 0
    public private(set) var failed = 0
    /// Of the failed units, those whose outcome is unknown (`SyncFailure.outcomeUnknown`).
    public private(set) var unknown = 0
    public private(set) var itemsWritten = 0
    /// The run was cancelled (or asked to be).
    public private(set) var cancelled = false

    public init() {}

    /// Takes one event into account.
    public mutating func apply(_ event: SyncEvent) {
        switch event {
        case .planned(let count):
            total = count
        case .started:
            break
        case .finished(_, _, let items):
            done += 1
            itemsWritten += items
        case .failed(_, _, let failure):
            done += 1
            failed += 1
            if failure.outcomeUnknown { unknown += 1 }
        case .cancelled:
            cancelled = true
        }
    }
}
