import Foundation

/// One connection kept apart from a pool (a change watcher's), lent to one thread at a time
/// under a lock. An `NSLock`, not Synchronization's `Mutex`: ThreadSanitizer does not see the
/// `Mutex` of Swift 6.3.1 on Linux, and reported every access it guards as a race.
public final class PGConnectionSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: PGConnection?

    public init(_ connection: PGConnection?) {
        self.connection = connection
    }

    /// Runs `body` with the slot's connection (nil: none yet, or dropped), which it may replace.
    public func withLock<T>(_ body: (inout PGConnection?) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&connection)
    }
}
