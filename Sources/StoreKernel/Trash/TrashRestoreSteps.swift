import Foundation

/// Where a trashed item would go back, and what is there now: the reads a restore's decision
/// needs (`TrashRestore.decide`), on the store the item goes back to.
public protocol TrashPlacing {
    /// How the engine names where an item goes back (its project's row, or site-wide).
    associatedtype Place

    /// Where an item of `project` (nil: site-wide) goes; nil when that project is gone.
    func place(of project: UUID?) throws -> Place?

    /// The UUID and update time of the item of that name at `place`, if there is one.
    func occupant(at place: Place, appName: String, name: String) throws -> (uuid: UUID, dateModified: Date)?

    /// Whether an item with `uuid` is in the store anywhere.
    func holds(uuid: UUID) throws -> Bool
}

/// What an engine does for a restore, inside its own write transaction: reads and writes of
/// single rows, no decisions. `TrashRestore` decides, the same way on every engine.
public protocol TrashRestoreSteps: TrashPlacing {
    /// How the engine names a trashed row (to take it out of the trash).
    associatedtype TrashRow

    /// Whether delete `entry` is in the trash (settled; locked against a concurrent restore
    /// where the engine locks).
    func entryIsKept(_ entry: Int64) throws -> Bool

    /// The items delete `entry` kept, with their rows, in (project, app, name) order.
    func trashedRows(entry: Int64) throws -> [(row: TrashRow, item: TrashedItem)]

    /// Writes `item` back at `place` as it was, and takes `row` out of the trash.
    func putBack(_ item: TrashedItem, at place: Place, from row: TrashRow) throws

    /// Counts delete `entry`'s items and bytes again, dropping it when none are left.
    /// - Returns: whether it still keeps items.
    func recount(_ entry: Int64) throws -> Bool
}
