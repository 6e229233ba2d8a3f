import Foundation
import SodarCache

/// The trash of a site: deletes listed, purged and kept in the local store; restored onto the
/// site's tables, then taken out of the local store.
public struct SiteTrash<Engine: SiteEngine>: TrashKeeping {
    let engine: Engine

    public init(_ engine: Engine) { self.engine = engine }

    private func local() throws -> any LocalTrashStore {
        try engine.localStore(orElse: "This SODAR site has no trash: it is switched off ([trash] enabled = false)")
    }

    // Reads: from the local store as it is; none yet is an empty trash.
    public func trashEntries(limit: Int) throws -> [TrashEntry] { try engine.localStoreForReading()?.trashEntries(limit: limit) ?? [] }
    public func trashEntry(id: Int64) throws -> TrashEntry? { try engine.localStoreForReading()?.trashEntry(id: id) }
    public func trashedItems(entry: Int64) throws -> [TrashedItem] { try engine.localStoreForReading()?.trashedItems(entry: entry) ?? [] }
    public func trashedCopies(appName: String, name: String, project: UUID?) throws -> [TrashedCopy] {
        try engine.localStoreForReading()?.trashedCopies(appName: appName, name: name, project: project) ?? []
    }
    public func trashedItem(entry: Int64, uuid: UUID) throws -> TrashedItem? {
        try engine.localStoreForReading()?.trashedItem(entry: entry, uuid: uuid)
    }

    public func restore(entries: [Int64]) throws -> RestoreReport {
        let local = try local()
        var items: [TrashedItem] = []
        for id in entries {
            guard try local.trashEntry(id: id) != nil else { throw TrashRestore.notInTrash(id) }
            items += try local.trashedItems(entry: id)
        }
        let skipped = try engine.restoreSiteRows(items, entries: entries)
        let left = Set(skipped.map(\.item.uuid))
        let restored = items.filter { !left.contains($0.uuid) }
        // Committed on the site: what is back there leaves the local store. That includes an
        // item skipped as there already under its own UUID (a restore whose removal a crash or
        // a busy local store cut off), so that a second restore finishes what the first did.
        // A removal that fails now is no failure of the restore: the items stay listed, and
        // the next restore takes them out.
        let back = restored + skipped.compactMap { skip -> TrashedItem? in
            if case .alreadyThere = skip.reason { return skip.item }
            return nil
        }
        do { try local.removeRestored(back) } catch {
            engine.logger.warning("The restore committed; its items stay listed in the trash until a restore takes them out: \(error)")
        }
        return RestoreReport(restored: restored, skipped: skipped)
    }

    public func purgeTrash(before: Date?) throws -> (entries: Int, items: Int) { try local().purgeTrash(before: before) }

    /// Until a change of this session opened the local store, this session deleted nothing.
    public var deletesThisSession: [Int64] { engine.siteLocal.openedForChanges?.deletesThisSession ?? [] }
}
