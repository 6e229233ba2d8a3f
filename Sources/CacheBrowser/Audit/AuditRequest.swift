import Foundation
import StoreKernel

/// A read of the store's audit trail for the audit pane (`L`).
public struct AuditRequest: Sendable, Hashable {
    /// The request's generation: an answer to an older read is dropped.
    public var generation: Int
    /// The most entries read (newest first).
    public var limit: Int

    public init(generation: Int, limit: Int) {
        self.generation = generation
        self.limit = limit
    }
}
