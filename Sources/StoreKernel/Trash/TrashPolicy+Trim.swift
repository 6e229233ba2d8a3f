import Foundation

/// A kept delete as a trim weighs it.
public struct TrashEntrySize: Sendable, Hashable {
    public var id: Int64
    public var deletedAt: Date
    public var items: Int
    public var bytes: Int64

    public init(id: Int64, deletedAt: Date, items: Int, bytes: Int64) {
        self.id = id
        self.deletedAt = deletedAt
        self.items = items
        self.bytes = bytes
    }
}

extension TrashPolicy {
    /// What a trim purges of `entries`: every delete made before `before`, then the oldest
    /// while the rest hold more than `maxBytes` (an engine trimming in SQL keeps these rules).
    public static func doomed(_ entries: [TrashEntrySize], before: Date, maxBytes: Int64) -> [TrashEntrySize] {
        var total = entries.reduce(Int64(0)) { $0 + $1.bytes }
        var doomed: [TrashEntrySize] = []
        for entry in entries.sorted(by: { $0.id < $1.id }) where entry.deletedAt < before || total > maxBytes {
            total -= entry.bytes
            doomed.append(entry)
        }
        return doomed
    }
}
