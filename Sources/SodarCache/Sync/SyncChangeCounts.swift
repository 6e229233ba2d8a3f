import Foundation

/// How many items a sync (or part of it) would make new, change, leave unchanged, no longer
/// write and remove: the counts the dry run, a real sync's summary and the browser share.
public struct SyncChangeCounts: Sendable, Hashable {
    public var new = 0
    public var changed = 0
    public var unchanged = 0
    public var notWritten = 0
    public var removed = 0

    public init(new: Int = 0, changed: Int = 0, unchanged: Int = 0, notWritten: Int = 0, removed: Int = 0) {
        self.new = new
        self.changed = changed
        self.unchanged = unchanged
        self.notWritten = notWritten
        self.removed = removed
    }

    /// Whether the store would end different: something new, changed or removed (items no
    /// longer written stay as they are).
    public var changesStore: Bool { new + changed + removed > 0 }

    public static func += (lhs: inout SyncChangeCounts, rhs: SyncChangeCounts) {
        lhs.new += rhs.new
        lhs.changed += rhs.changed
        lhs.unchanged += rhs.unchanged
        lhs.notWritten += rhs.notWritten
        lhs.removed += rhs.removed
    }

    /// "2 new, 1 changed, 40 unchanged, 3 no longer written" (and ", 1 removed" when any).
    public var description: String {
        var text = "\(new) new, \(changed) changed, \(unchanged) unchanged, \(notWritten) no longer written"
        if removed > 0 { text += ", \(removed) removed" }
        return text
    }
}
