import Dispatch

/// Runs each lane's jobs in order on a serial dispatch queue of its own, off the UI thread.
public final class DispatchEffectExecutor: EffectExecutor {
    private let queues: [EffectLane: DispatchQueue]

    public init() {
        var queues: [EffectLane: DispatchQueue] = [:]
        for lane in EffectLane.allCases {
            queues[lane] = DispatchQueue(label: "sodarcache.browser." + lane.rawValue)
        }
        self.queues = queues
    }

    public func submit(_ job: EffectJob) {
        queues[job.lane]?.async(execute: job.run)
    }

    public func runNext() -> Bool { false }
}
