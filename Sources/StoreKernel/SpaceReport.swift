import Foundation
import SodarCache

/// What `StoreAdministration.reclaimSpace()` did.
public struct SpaceReport: Sendable, Hashable {
    public var bytesBefore: Int64
    public var bytesAfter: Int64
    /// False when others still hold the old space: it is given back once they finish.
    public var complete: Bool
    public var bytesReclaimed: Int64 { max(0, bytesBefore - bytesAfter) }

    public init(bytesBefore: Int64, bytesAfter: Int64, complete: Bool) {
        self.bytesBefore = bytesBefore
        self.bytesAfter = bytesAfter
        self.complete = complete
    }
}
