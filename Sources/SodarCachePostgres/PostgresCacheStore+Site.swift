import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - SODAR's tables beside the local store (`SiteEngine`)

extension PostgresCacheStore: SiteEngine {
    /// Site primitives, for the kernel's `SiteEngine` only (public as its requirements are):
    /// the transaction's id and role (what the local store's pending change is tagged with),
    /// and what the server says became of one.
    public func siteTransaction(_ connection: PGConnection) throws -> (id: Int64, role: String?) {
        let ids = try connection.query("SELECT txid_current()::text, current_user")
        guard let xid = ids.int(0, 0) else { throw CacheError.storeFailure("the server gave no transaction id") }
        return (Int64(xid), ids.string(0, 1))
    }

    public func siteTransactionOutcome(_ id: Int64) throws -> SiteTransactionOutcome {
        try withConnection { connection in
            switch try connection.query("SELECT txid_status($1::bigint)", [PGValue(Int(id))]).string(0, 0) {
            case "committed": .committed
            case "aborted": .rolledBack
            case "in progress": .inProgress
            default: .unknown
            }
        }
    }

    public func siteHolds(anyOf uuids: [UUID]) throws -> Bool {
        try withConnection { connection in
            try connection.query("SELECT 1 FROM \(tables.items) WHERE sodar_uuid = ANY($1::uuid[]) LIMIT 1", [.array(uuids)]).rowCount > 0
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
    /// payload) in one transaction, never over an item written since. `SiteTrash.restore`'s
    /// step (which also takes them out of the local store): not for other callers.
    /// - Returns: the skipped items and why (the others were put back).
    public func restoreSiteRows(_ items: [TrashedItem], entries: [Int64]) throws -> [RestoreReport.Skipped] {
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
// MARK: - The versions a write replaces

extension PostgresCacheStore {
    /// While `change` collects the site's history: reads the rows `writes` will replace whose
    /// payload differs from the write's (`jsonb` equality: key order and spelling do not count),
    /// and locks them until the transaction ends.
    func keepReplaced(_ connection: PGConnection, _ change: SiteChange?, _ writes: [CacheWrite]) throws {
        guard let change, change.versions != nil, !writes.isEmpty, let users = tables.users else { return }
        var project: [(write: CacheWrite, id: Int)] = []
        var site: [CacheWrite] = []
        for write in Self.merged(writes) {
            if let id = try projectRowID(connection, write.project) { project.append((write, id)) } else { site.append(write) }
        }
        let columns = """
            i.sodar_uuid, p.sodar_uuid, i.app_name, i.name, u.username, u.sodar_uuid, extract(epoch from i.date_modified), i.data::text
            """
        let joins = "LEFT JOIN \(tables.projects) p ON p.id = i.project_id LEFT JOIN \(users) u ON u.id = i.user_id"
        var replaced: [CacheItem] = []
        for chunk in Self.chunks(project.map(\.write)) {
            var ids = PGArrayLiteral(), apps = PGArrayLiteral(), names = PGArrayLiteral()
            var data = PGArrayLiteral(reservingCapacity: project[chunk].reduce(0) { $0 + $1.write.data.count + 16 })
            for (write, id) in project[chunk] {
                ids.append(id)
                apps.append(write.appName)
                names.append(write.name)
                data.append(quoted: write.data)
            }
            let result = try connection.query(
                """
                SELECT \(columns)
                FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[]) AS w(project_id, app_name, name, data)
                JOIN \(tables.items) i ON i.project_id = w.project_id AND i.app_name = w.app_name AND i.name = w.name
                \(joins)
                WHERE i.data IS DISTINCT FROM w.data::jsonb
                FOR UPDATE OF i
                """, [ids.value, apps.value, names.value, data.value])
            replaced += try result.rows { try $0.cacheItem() }
        }
        for write in site {
            let result = try connection.query(
                """
                SELECT \(columns) FROM \(tables.items) i \(joins)
                WHERE i.id = (SELECT min(id) FROM \(tables.items) WHERE project_id IS NULL AND app_name = $1 AND name = $2)
                    AND i.data IS DISTINCT FROM $3::jsonb
                FOR UPDATE OF i
                """, [.text(write.appName), .text(write.name), .bytes(write.data)])
            replaced += try result.rows { try $0.cacheItem() }
        }
        change.versions?.wrote(writes, replacing: replaced)
    }
}
