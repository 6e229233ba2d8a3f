import Foundation
import SodarCache

/// A piece of a store's background work (reading its listing ahead, counting a large table)
/// that runs later and never twice at once: asking again while it is scheduled or running
/// does nothing.
public final class BackgroundOnce: Sendable {
    private let busy = Locked(false)

    public init() {}

    /// Runs `work` on a utility queue after `delay` seconds, unless it is already scheduled or
    /// running. `work` should hold its store weakly, so that a store released meanwhile is not
    /// kept open for it.
    public func schedule(after delay: Double, _ work: @escaping @Sendable () -> Void) {
        guard busy.withLock({ busy in
            defer { busy = true }
            return !busy
        }) else { return }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + delay) { [busy] in
            defer { busy.withLock { $0 = false } }
            work()
        }
    }
}
