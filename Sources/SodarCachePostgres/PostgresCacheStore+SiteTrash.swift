import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - The trash of SODAR's tables, in the local store

/// What one change on SODAR's tables takes and replaces, collected while its transaction runs
/// and written to the local store before the commit. The transaction's own value, handed to
/// the statements that fill it: never a connection's.
final class SiteChange {
    /// The rows its deletes took (`deleteItemRows` reads them back with RETURNING), until
    /// their payloads pass `maxBytes`: then none (the trash could not keep them).
    private(set) var deleted: [TrashedItem] = []
    /// The deletes took more than the trash keeps: nothing of them is kept.
    private(set) var tooLarge = false
    private var bytes: Int64 = 0
    private let maxBytes: Int64
    /// While the site's history is on: the versions its writes replace (`keepReplaced` reads
    /// them before the writes).
    var versions: SiteVersionCollector?

    init(keepingVersions: Bool, maxBytes: Int64) {
        versions = keepingVersions ? SiteVersionCollector() : nil
        self.maxBytes = maxBytes
    }

    /// Collects a deleted row; past `maxBytes`, drops every row collected and stops.
    func took(_ item: TrashedItem) {
        guard !tooLarge else { return }
        bytes += Int64(item.data.count)
        if bytes > maxBytes {
            tooLarge = true
            deleted = []
        } else {
            deleted.append(item)
        }
    }
}

extension PostgresCacheStore {
    /// A change on SODAR's tables that keeps, in the local store, what it deletes (the trash,
    /// when on) and the versions it replaces (the site's history, when on). Every delete
    /// statement hands back the rows it took (`RETURNING`: each payload read once, by the
    /// delete itself); writes read the rows they replace first (`keepReplaced`). Before the
    /// commit both are written to the local store as pending under this transaction's id,
    /// settled after it. A failed commit is settled or dropped by asking the server what became
    /// of the transaction (or at the next open, if the server is gone). `body` gets the change
    /// to collect into; nil when neither the trash nor the history is on.
    func siteChangeTransaction<T>(
        _ local: any LocalTrashStore, audit: ((T) -> AuditNote)?, _ body: (PGConnection, SiteChange?) throws -> T
    ) throws -> T {
        let keepsTrash = settings.changes.trash.enabled
        let history = try siteHistoryPolicy(local)
        guard keepsTrash || history != nil else { return try writeTransaction(audit: audit) { try body($0, nil) } }
        var pending: Int64?
        var pendingVersions: Int64?
        do {
            let result = try writeTransaction(audit: audit.map { note in { note($0).kept(in: pending) } }) { connection -> T in
                // A delete larger than the trash keeps is not copied to the local store only to
                // be purged at once (the CLI asks first, and deletes it with the trash off).
                let change = SiteChange(
                    keepingVersions: history != nil, maxBytes: keepsTrash ? settings.changes.trash.maxBytes : .max)
                let result = try body(connection, change)
                let trashed = keepsTrash ? change.deleted : []
                let versions = change.versions?.versions(deleted: change.deleted, at: settings.clock()) ?? []
                if !trashed.isEmpty || !versions.isEmpty {
                    let ids = try connection.query("SELECT txid_current()::text, current_user")
                    guard let xid = ids.int(0, 0) else { throw CacheError.storeFailure("the server gave no transaction id") }
                    if !trashed.isEmpty {
                        pending = try local.keepPending(
                            trashed, attribution: settings.changes.attribution, role: ids.string(0, 1), at: settings.clock(),
                            transaction: Int64(xid))
                    }
                    if try local.keepSiteVersions(versions, transaction: Int64(xid)) > 0 { pendingVersions = Int64(xid) }
                }
                return result
            }
            // Committed on the site: the change happened, whatever the local store does now. A
            // settle that fails (a busy or full disk) leaves the entry pending, and the next open
            // settles it by asking the server about its transaction.
            if let pending {
                do { try local.settle(pending, thisSession: true) } catch {
                    logger.warning("The delete committed; its trash entry stays pending until the next change settles it: \(error)")
                }
            }
            if let pendingVersions {
                do { try local.settleSiteVersions(transaction: pendingVersions) } catch {
                    logger.warning("The change committed; the versions it replaced stay pending until the next change settles them: \(error)")
                }
            }
            return result
        } catch {
            if pending != nil { _ = try? reconcile(local) }
            if pendingVersions != nil { _ = try? reconcileSiteVersions(local) }
            throw error
        }
    }

    /// The local store, opened (and its pending deletes reconciled with the server) on first use.
    /// Opened once, under the lock: two lanes (a sync's jobs, the browser's delete beside a
    /// sync) that open it at once would each migrate and reconcile the file, and the instance
    /// kept last would lose the others' record of this session's deletes.
    func localTrash() throws -> (any LocalTrashStore)? {
        guard layout == .sodar, let open = settings.localTrash else { return nil }
        return try openedLocalTrash.withLock { kept in
            if let kept { return kept }
            let local = try open()
            try reconcile(local)
            try reconcileSiteVersions(local)
            kept = local
            return local
        }
    }

    /// The local store, for a change that cannot go without it.
    /// - Throws: `CacheError.invalidArgument` saying `missing` (why there is none) when there is none.
    func localStore(orElse missing: String) throws -> any LocalTrashStore {
        guard let local = try localTrash() else { throw CacheError.invalidArgument(missing) }
        return local
    }

    /// The local store for a read (a trash listing, the audit trail): the one a change of this
    /// instance opened, else the file opened read-only as it is, neither created, upgraded nor
    /// reconciled (a read writes nothing). nil when there is none yet: nothing kept.
    func localTrashForReading() throws -> (any LocalTrashStore)? {
        if let kept = openedLocalTrash.withLock({ $0 }) { return kept }
        guard layout == .sodar, settings.localTrash != nil else { return nil }
        guard let open = settings.readLocalTrash else { return try localTrash() }
        if let kept = readLocalTrash.withLock({ $0 }) { return kept }
        // Not kept while there is no file: a later read finds the one another process made.
        guard let local = try open() else { return nil }
        readLocalTrash.withLock { $0 = local }
        return local
    }

    /// Settles the local store's pending deletes whose transaction committed, drops those that
    /// rolled back.
    @discardableResult
    func reconcile(_ local: any LocalTrashStore) throws -> (settled: Int, dropped: Int) {
        if try local.pendingEntries().isEmpty { return (0, 0) }
        return try withConnection { connection in
            try local.reconcile(
                outcome: { xid in try Self.outcome(connection, of: xid) },
                present: { uuids in
                    try connection.query(
                        "SELECT 1 FROM \(tables.items) WHERE sodar_uuid = ANY($1::uuid[]) LIMIT 1", [.array(uuids)]
                    ).rowCount > 0
                })
        }
    }

    /// What became of the site's transaction `xid`, as the server tells it.
    static func outcome(_ connection: PGConnection, of xid: Int64) throws -> SiteTransactionOutcome {
        switch try connection.query("SELECT txid_status($1::bigint)", [PGValue(Int(xid))]).string(0, 0) {
        case "committed": .committed
        case "aborted": .rolledBack
        case "in progress": .inProgress
        default: .unknown
        }
    }

    /// Deletes the item rows that `condition` (a WHERE clause or nothing; the item table is `i`,
    /// `using` joins more, as DELETE's USING does) selects: their count. With a `change`
    /// collecting on SODAR's tables, the rows it took go into it. Inside a delete that the
    /// trash keeps on sodarcache's own schema (`markEntry`), the rows are marked instead
    /// (`locked`: each row locked and checked again once a writer of it commits, as a DELETE
    /// does, for a condition on the row's version, `xminColumn`).
    ///
    /// Both skip rows marked already. The marks' sentinel row keeps the table from ever looking
    /// empty to the planner: an INSERT that anti-joins the table it fills, planned while it
    /// had no page, ran a nested loop over it (45 s for 100,000 rows). `ON CONFLICT DO NOTHING`
    /// instead cost each row a speculative insertion (1.3-1.8x a bare DELETE of them, against
    /// 0.74x); the marks' lock (`MarksLock`) means no other delete marks rows meanwhile.
    func deleteItemRows(
        _ connection: PGConnection, _ change: SiteChange?, using: String? = nil, _ condition: String, _ parameters: [PGValue],
        locked: Bool = false
    ) throws -> Int {
        let from = tables.rows + " i" + (using.map { ", " + $0 } ?? "")
        if let entry = Self.markEntry, layout == .sodarcache {
            return try connection.query(
                """
                INSERT INTO sodarcache_trash_mark (item_id, entry_id, project_id, size, date_modified)
                SELECT i.id, $\(parameters.count + 1)::bigint, i.project_id, i.size, i.date_modified
                FROM \(from) \(Self.unmarked(condition))\(locked ? " FOR UPDATE OF i" : "")
                """, parameters + [PGValue(Int(entry))]
            ).affectedRows
        }
        let sql = "DELETE FROM \(tables.rows) i\(using.map { " USING " + $0 } ?? "") "
            + (tables.itemTable == nil ? condition : Self.unmarked(condition))
        guard let change, let users = tables.users else {
            return try connection.query(sql, parameters).affectedRows
        }
        let result = try connection.query(
            sql + """

                RETURNING i.sodar_uuid, (SELECT p.sodar_uuid FROM \(tables.projects) p WHERE p.id = i.project_id),
                    i.app_name, i.name, (SELECT u.username FROM \(users) u WHERE u.id = i.user_id),
                    (SELECT u.sodar_uuid FROM \(users) u WHERE u.id = i.user_id), extract(epoch from i.date_modified), i.data::text
                """, parameters)
        for row in 0..<result.rowCount {
            change.took(TrashedItem(entry: 0, item: try result.row(row).cacheItem()))
        }
        return result.rowCount
    }

    /// `condition` (a WHERE clause or nothing) that also leaves out rows the trash marked.
    static func unmarked(_ condition: String) -> String {
        (condition.trimmingCharacters(in: .whitespaces).isEmpty ? "WHERE " : condition + " AND ")
            + "NOT EXISTS (SELECT 1 FROM sodarcache_trash_mark m WHERE m.item_id = i.id)"
    }

    /// Puts trashed items back on SODAR's tables as they were (UUID, user, `date_modified`,
    /// payload) in one transaction, never over an item written since.
    /// - Returns: the skipped items and why (the others were put back).
    func restoreSiteRows(_ items: [TrashedItem], entries: [Int64]) throws -> [RestoreReport.Skipped] {
        guard let users = tables.users else { return [] }
        return try writeTransaction(audit: { skipped in
            let left = Set(skipped.map(\.item.uuid))
            return .restored(RestoreReport(restored: items.filter { !left.contains($0.uuid) }, skipped: skipped), entries: entries)
        }) { connection in
            var skipped: [RestoreReport.Skipped] = []
            // The skip rules are the kernel's, over the same reads as on sodarcache's own tables.
            let steps = RestoreSteps(connection: connection, store: self)
            for item in items {
                let projectID: Int?
                switch try TrashRestore.decide(item, steps) {
                case .skip(let reason):
                    skipped.append(.init(item: item, reason: reason))
                    continue
                case .putBack(let place): projectID = place
                }
                // SODAR may write the same item between the check and the insert: the insert
                // takes the slot only while it is free (its unique constraint for a project's
                // item, which does not cover site-wide ones; the NOT EXISTS for those), and an
                // item SODAR wrote first is kept and told as written since, not an abort of the
                // whole restore.
                let inserted = try connection.query(
                    """
                    INSERT INTO \(tables.items) (sodar_uuid, project_id, app_name, name, user_id, date_modified, data)
                    SELECT $1::uuid, $2::integer, $3::text, $4::text,
                        (SELECT u.id FROM \(users) u WHERE u.sodar_uuid = $5::uuid OR ($5::uuid IS NULL AND u.username = $6)
                         ORDER BY u.id LIMIT 1),
                        to_timestamp($7::float8), $8::jsonb
                    WHERE NOT EXISTS (SELECT 1 FROM \(tables.items) o
                        WHERE \(projectID == nil ? "o.project_id IS NULL" : "o.project_id = $2::integer") AND o.app_name = $3::text AND o.name = $4::text)
                    ON CONFLICT DO NOTHING
                    """,
                    [PGValue(item.uuid), PGValue(projectID), .text(item.appName), .text(item.name), PGValue(item.user?.uuid),
                     PGValue(item.user?.username), PGValue(item.dateModified.timeIntervalSince1970), .bytes(item.data)])
                if inserted.affectedRows == 0 {
                    // Its name taken since (by an item written since), or its UUID (by the item itself).
                    let occupant = try steps.occupant(at: projectID, appName: item.appName, name: item.name)
                    skipped.append(.init(item: item, reason: occupant.map { .newerItem($0.dateModified) } ?? .alreadyThere))
                }
            }
            return skipped
        }
    }
}

/// The trash of a SODAR site: deletes listed, purged and kept in the local store; restored
/// onto SODAR's tables, then taken out of the local store.
struct SiteTrash: TrashKeeping {
    let store: PostgresCacheStore

    private func local() throws -> any LocalTrashStore {
        try store.localStore(orElse: "This SODAR site has no trash: it is switched off ([trash] enabled = false)")
    }

    // Reads: from the local store as it is; none yet is an empty trash.
    func trashEntries(limit: Int) throws -> [TrashEntry] { try store.localTrashForReading()?.trashEntries(limit: limit) ?? [] }
    func trashEntry(id: Int64) throws -> TrashEntry? { try store.localTrashForReading()?.trashEntry(id: id) }
    func trashedItems(entry: Int64) throws -> [TrashedItem] { try store.localTrashForReading()?.trashedItems(entry: entry) ?? [] }
    func trashedCopies(appName: String, name: String, project: UUID?) throws -> [TrashedCopy] {
        try store.localTrashForReading()?.trashedCopies(appName: appName, name: name, project: project) ?? []
    }
    func trashedItem(entry: Int64, uuid: UUID) throws -> TrashedItem? {
        try store.localTrashForReading()?.trashedItem(entry: entry, uuid: uuid)
    }

    func restore(entries: [Int64]) throws -> RestoreReport {
        let local = try local()
        var items: [TrashedItem] = []
        for id in entries {
            guard try local.trashEntry(id: id) != nil else { throw TrashRestore.notInTrash(id) }
            items += try local.trashedItems(entry: id)
        }
        let skipped = try store.restoreSiteRows(items, entries: entries)
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
            store.logger.warning("The restore committed; its items stay listed in the trash until a restore takes them out: \(error)")
        }
        return RestoreReport(restored: restored, skipped: skipped)
    }

    func purgeTrash(before: Date?) throws -> (entries: Int, items: Int) { try local().purgeTrash(before: before) }

    /// Only a delete opens the local store for changes: until one did, this session made none.
    var deletesThisSession: [Int64] { store.openedLocalTrash.withLock { $0 }?.deletesThisSession ?? [] }
}
