import Foundation

/// What a store keeps of what it deletes: on or off, for how long, up to how many bytes.
///
/// Applied by the engine in the delete's own transaction (sodarcache's own stores) or, on a
/// SODAR site, in the local store before the delete commits.
public struct TrashPolicy: Sendable, Hashable {
    /// Keep deleted items (false: `--no-trash`, or `[trash] enabled = false`).
    public var enabled: Bool
    /// How long a delete stays restorable.
    public var keep: TimeInterval
    /// The trash's size cap in payload bytes: the oldest deletes go first past it.
    public var maxBytes: Int64

    /// Two weeks, 2 GB.
    public static let standard = TrashPolicy(enabled: true, keep: 14 * 86_400, maxBytes: 2_000_000_000)
    /// Nothing kept.
    public static let off = TrashPolicy(enabled: false, keep: 0, maxBytes: 0)

    public init(enabled: Bool, keep: TimeInterval, maxBytes: Int64) {
        self.enabled = enabled
        self.keep = keep
        self.maxBytes = maxBytes
    }

    /// Deletes made before this time are purged.
    public func purgeBefore(_ now: Date) -> Date { now.addingTimeInterval(-keep) }
}
