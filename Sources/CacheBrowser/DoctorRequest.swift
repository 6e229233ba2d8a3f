import Foundation
import StoreKernel

/// A run of the doctor over the browser's store (`!`), with the config's thresholds.
public struct DoctorRequest: Sendable, Hashable {
    public var generation: Int
    public var settings: DoctorSettings
    /// The apps the config registers; nil without a config (orphans are not checked then).
    public var registeredApps: Set<String>?
    /// What ages are measured against: the browser's clock.
    public var now: Date

    public init(generation: Int, settings: DoctorSettings, registeredApps: Set<String>?, now: Date) {
        self.generation = generation
        self.settings = settings
        self.registeredApps = registeredApps
        self.now = now
    }
}
