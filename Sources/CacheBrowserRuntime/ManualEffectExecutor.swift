import SodarCache

/// Holds jobs until the caller runs them, on its own thread: tests get the same frames every
/// run, and the fuzz target answers effects in any order, fails them or drops them.
public final class ManualEffectExecutor: EffectExecutor {
    private let held = Locked<[EffectJob]>([])

    public init() {}

    public func submit(_ job: EffectJob) {
        held.withLock { $0.append(job) }
    }

    /// Runs the oldest held job.
    public func runNext() -> Bool {
        guard let job = held.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { return false }
        job.run()
        return true
    }

    /// The jobs not run yet, oldest first.
    public var pending: [EffectJob] { held.withLock { $0 } }

    /// Takes a held job out without running it.
    public func take(at index: Int) -> EffectJob {
        held.withLock { $0.remove(at: index) }
    }
}
