/// Where the effect runner's work runs: on serial queues off the UI thread (the terminal app,
/// benchmarks), or held until the caller runs it (`ManualEffectExecutor`: tests and the fuzz
/// target, in a chosen order).
public protocol EffectExecutor: Sendable {
    /// Takes a job; it runs after the jobs submitted before it on the same lane.
    func submit(_ job: EffectJob)
    /// Runs one held job on the calling thread.
    /// - Returns: false when none is held (an executor with queues of its own never holds one).
    func runNext() -> Bool
}
