import CacheBrowser

/// An effect's work, handed to an `EffectExecutor`: it does the effect and posts the messages
/// it leads to.
public struct EffectJob: Sendable {
    public let lane: EffectLane
    /// The effect the work does (a fuzz target may answer it otherwise, or not at all).
    public let effect: BrowserEffect
    /// Does the work on the calling thread.
    public let run: @Sendable () -> Void

    public init(lane: EffectLane, effect: BrowserEffect, run: @escaping @Sendable () -> Void) {
        self.lane = lane
        self.effect = effect
        self.run = run
    }
}
