import Foundation
import SodarCache

/// A restore, written once: which trashed items go back and which stay, and why. Engines give
/// the steps (`TrashRestoreSteps`), inside one write transaction of theirs.
public enum TrashRestore {
    /// Puts the items of `entries` back where nothing is in their way.
    /// - Returns: the report, and the entries the restore emptied (they are gone).
    /// - Throws: `CacheError.invalidArgument` naming an entry that is not in the trash.
    public static func run<Steps: TrashRestoreSteps>(
        _ entries: [Int64], _ steps: Steps
    ) throws -> (report: RestoreReport, emptied: Set<Int64>) {
        var restored: [TrashedItem] = [], skipped: [RestoreReport.Skipped] = []
        var emptied: Set<Int64> = []
        for entry in entries {
            guard try steps.entryIsKept(entry) else { throw notInTrash(entry) }
            for (row, item) in try steps.trashedRows(entry: entry) {
                switch try decide(item, steps) {
                case .skip(let reason): skipped.append(RestoreReport.Skipped(item: item, reason: reason))
                case .putBack(let place):
                    try steps.putBack(item, at: place, from: row)
                    restored.append(item)
                }
            }
            if try !steps.recount(entry) { emptied.insert(entry) }
        }
        return (RestoreReport(restored: restored, skipped: skipped), emptied)
    }

    /// The error for an id that names no delete in the trash.
    public static func notInTrash(_ entry: Int64) -> CacheError {
        .invalidArgument("No delete \(entry) in the trash (sodarcache trash lists them)")
    }

    /// What a restore does with one trashed item.
    public enum Decision<Place> {
        case putBack(Place)
        case skip(RestoreReport.SkipReason)
    }

    /// The skip rules, in order: its project gone; an item of its name there (itself, restored
    /// before, or one written since: that one is kept); its UUID in use elsewhere.
    public static func decide<Steps: TrashPlacing>(_ item: TrashedItem, _ steps: Steps) throws -> Decision<Steps.Place> {
        guard let place = try steps.place(of: item.project) else { return .skip(.projectGone) }
        if let occupant = try steps.occupant(at: place, appName: item.appName, name: item.name) {
            return .skip(occupant.uuid == item.uuid ? .alreadyThere : .newerItem(occupant.dateModified))
        }
        if try steps.holds(uuid: item.uuid) { return .skip(.alreadyThere) }
        return .putBack(place)
    }
}
