import Foundation

/// Diff a version of an item against its current payload, off the UI loop.
public struct DiffRequest: Sendable, Hashable {
    public var generation: Int
    /// The item (its current payload is the new side).
    public var uuid: UUID
    /// The version (the old side).
    public var ref: VersionRef

    public init(generation: Int, uuid: UUID, ref: VersionRef) {
        self.generation = generation
        self.uuid = uuid
        self.ref = ref
    }
}
