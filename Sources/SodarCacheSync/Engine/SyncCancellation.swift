import Foundation
import SodarCache

/// A cancel switch for one sync run: stops new units from starting and kills running commands.
///
/// Thread-safe; `cancel()` may be called from a signal-handling queue.
public final class SyncCancellation: Sendable {
    private struct State {
        var cancelled = false
        var nextToken = 0
        var onCancel: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Locked(State())

    /// The cancellation of the sync unit running on this thread, bound by the engine while it
    /// calls a plugin, so plugins (command apps) can kill their work when it fires.
    @TaskLocal public static var current: SyncCancellation?

    public init() {}

    /// Cancels: running commands are killed at once, no further unit starts.
    public func cancel() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.cancelled else { return [] }
            state.cancelled = true
            defer { state.onCancel = [:] }
            return Array(state.onCancel.values)
        }
        for handler in handlers { handler() }
    }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Runs `handler` on cancellation until the returned token is removed; returns nil (and
    /// does not keep the handler) when already cancelled.
    func onCancel(_ handler: @escaping @Sendable () -> Void) -> Int? {
        state.withLock { state in
            guard !state.cancelled else { return nil }
            state.nextToken += 1
            state.onCancel[state.nextToken] = handler
            return state.nextToken
        }
    }

    /// Forgets a handler registered with `onCancel`.
    func removeHandler(_ token: Int) {
        _ = state.withLock { $0.onCancel.removeValue(forKey: token) }
    }
}
