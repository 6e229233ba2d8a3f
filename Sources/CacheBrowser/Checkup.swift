import Foundation
import SodarCache
import StoreKernel

/// The doctor's run for the findings view (`!`): under way, done with its report, or failed.
public struct Checkup: Sendable {
    /// The request's generation: an answer to an older run is dropped.
    public var generation: Int
    public var report: DoctorReport?
    /// Why the last run could not check the store.
    public var failure: String?
    /// A run is under way (the report shown, if any, is the previous one).
    public var running: Bool

    public init(generation: Int, report: DoctorReport? = nil, failure: String? = nil, running: Bool = true) {
        self.generation = generation
        self.report = report
        self.failure = failure
        self.running = running
    }
}
