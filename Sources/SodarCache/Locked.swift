import Foundation

/// A Sendable value behind a lock, shared between threads (the sync engine's workers, the
/// store's caches, the command line's signal handlers).
///
/// The value must be Sendable itself: what `withLock` hands out leaves the lock, and a
/// class reference inside would then be shared without it. The lock is why the checker
/// cannot see this class is safe (`@unchecked`).
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
