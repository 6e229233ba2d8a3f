import Foundation
import StoreOpening

/// One side of `sodarcache diff`: a payload, what it is, and which engine stored it.
struct DiffOperand {
    /// "samplesheets study in project 1f2e... (Liver Cohort)": what the output names it.
    var label: String
    /// The payload as stored.
    var data: Data
    /// Which engine stored it: numbers compare by value across engines.
    var engine: StoreFactory.Engine
}
