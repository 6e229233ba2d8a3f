import Foundation

/// How the sync engine reports what each unit changes: on by default (a real sync's summary
/// and the browser's results say what changed; a dry run needs it).
public struct SyncChangeReport: Sendable, Hashable {
    /// Compare each unit's writes with the items they replace. Off, a real sync reads nothing
    /// before its writes (a dry run compares whatever this says).
    public var enabled: Bool
    /// Numbers compare by value (`1.0` = `1`), not by spelling: for a store that respells the
    /// payloads it keeps (a SODAR site's `jsonb`), whose numbers would otherwise all differ
    /// from a command's output. Key order and whitespace never count.
    public var numbersByValue: Bool
    /// The most items listed per unit (the counts are always whole); past it the unit says
    /// how many more.
    public var itemLimit: Int
    /// The most changed paths kept per changed item (the item says how many changed in all).
    public var pathsPerItem: Int

    public init(enabled: Bool = true, numbersByValue: Bool = false, itemLimit: Int = 200, pathsPerItem: Int = 3) {
        self.enabled = enabled
        self.numbersByValue = numbersByValue
        self.itemLimit = max(0, itemLimit)
        self.pathsPerItem = max(0, pathsPerItem)
    }

    /// No report: a real sync reads nothing before its writes.
    public static let off = SyncChangeReport(enabled: false)
}
