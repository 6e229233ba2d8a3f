import Foundation
import SodarCache

/// When a store purges its audit trail of entries past the retention: not with every entry
/// (a DELETE on each write), but only when the oldest entry it knows of is past the retention,
/// and then at most once an hour per store handle.
///
/// The oldest entry's time is asked of the store once (an index's first row), then kept: new
/// entries are newer, and another process's purge only makes the kept time too early, which
/// costs one purge that finds little. An entry may so outlive the retention by up to an hour.
public final class AuditPurgeSchedule: Sendable {
    /// The least time between two purges of one store handle.
    public static let interval: TimeInterval = 3600

    private struct State: Sendable {
        /// The oldest entry's time as last known; nil: not known (ask the store).
        var oldest: Date?
        var lastPurge: Date?
        var purges = 0
    }

    private let state = Locked(State())

    public init() {}

    /// How many purges this handle ran (what tests and benchmarks count).
    public var purges: Int { state.withLock { $0.purges } }

    /// Before an entry stamped `now` is written: purges entries older than `keep` when one is
    /// known (or found) to be, unless this handle purged less than `interval` ago.
    /// - Parameters:
    ///   - oldest: the store's oldest entry's time (nil: no entries), asked only when not known.
    ///   - purge: deletes the entries made before the given time.
    public func beforeEntry(at now: Date, keep: TimeInterval, oldest: () throws -> Date?, purge: (Date) throws -> Void) throws {
        let cutoff = now.addingTimeInterval(-keep)
        let (due, known) = state.withLock { state in
            // The entry about to be written may be the oldest (a clock set back).
            if let oldest = state.oldest { state.oldest = min(oldest, now) }
            return (state.lastPurge.map { now.timeIntervalSince($0) >= Self.interval || now < $0 } ?? true, state.oldest)
        }
        if !due || (known.map { $0 >= cutoff } ?? false) { return }
        // Not known, or known to be old: ask (an index's first row), then purge only if it is.
        let found = try known ?? oldest()
        guard let found, found < cutoff else {
            // An empty trail's oldest entry is the one about to be written.
            state.withLock { $0.oldest = min(found ?? now, now) }
            return
        }
        try purge(cutoff)
        state.withLock { state in
            state.lastPurge = now
            state.oldest = nil
            state.purges += 1
        }
    }
}
