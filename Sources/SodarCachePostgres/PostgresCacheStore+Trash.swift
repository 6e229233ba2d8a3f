import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - Deletes that keep what they delete

extension PostgresCacheStore: InStoreTrash {
    /// A write transaction for a delete: on sodarcache's own schema `InStoreTrash`'s, on SODAR's
    /// tables one that keeps the trash and the site's history in the local store.
    func deleteTransaction<T>(audit: ((T) -> AuditNote)? = nil, _ body: (PGConnection, SiteChange?) throws -> T) throws -> T {
        guard layout == .sodar else { return try deleteTransaction(audit: audit) { connection in try body(connection, nil) } }
        // Refused before the local store is opened: a delete that cannot happen writes nothing there.
        if let why = readOnly ? "opened read-only" : granted.whyNotDelete {
            throw CacheError.storeUnwritable(location: location.description, reason: why)
        }
        return try siteDeleteTransaction(audit: audit, body)
    }

    /// Deletes, restores and purges hold the marks' lock alone (`MarksLock`).
    public func trashTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (PGConnection) throws -> T) throws -> T {
        try writeTransaction(audit: audit, marks: .exclusive, body)
    }

    /// Writes the entry and names it in `sodarcache.trash_entry` for this transaction: the
    /// statement trigger copies the rows deleted under it.
    public func openTrashEntry(_ connection: PGConnection, at now: Date, by who: ChangeAttribution) throws -> Int64 {
        let created = try connection.query(
            """
            WITH e AS (
                INSERT INTO sodarcache_trash_entry (deleted_at, os_user, host, command)
                VALUES (to_timestamp($1::float8), $2, $3, $4) RETURNING id
            ) SELECT id, set_config('sodarcache.trash_entry', id::text, true) FROM e
            """, [PGValue(now.timeIntervalSince1970), .text(who.osUser), .text(who.host), .text(who.command)])
        guard let id = created.int(0, 0) else { throw CacheError.storeFailure("the trash gave no entry id") }
        return Int64(id)
    }

    /// Marks, not copies, where the schema has them (a delete of a project copies: see
    /// `deleteProject`).
    public func keepingUnder<T>(_ entry: Int64, _ body: () throws -> T) rethrows -> T {
        try tables.itemTable == nil ? body() : Self.$markEntry.withValue(entry, operation: body)
    }

    /// The trigger counted what it kept: an entry that kept nothing goes.
    public func closeTrashEntry(_ connection: PGConnection, _ entry: Int64) throws -> Bool {
        let dropped = try connection.query(
            """
            WITH d AS (DELETE FROM sodarcache_trash_entry WHERE id = $1::bigint AND items = 0 RETURNING id)
            SELECT set_config('sodarcache.trash_entry', '', true), (SELECT count(*) FROM d)
            """, [PGValue(Int(entry))])
        return dropped.int(0, 1) == 0
    }

    /// The trash entry that the item deletes of this task mark their rows under (sodarcache's
    /// own schema, with the trash on): set by `keepingUnder` around a delete's body.
    @TaskLocal static var markEntry: Int64?

    /// Moves marked rows to the copy table under their entries (`sodarcache_trash_settle`):
    /// those `selection` picks from `sodarcache_trash_mark m` (a WHERE clause over it, and
    /// over `i`, the item table, and `k`, when `keys` names rows by project id, app and name).
    func settleMarks(_ connection: PGConnection, _ selection: String, _ parameters: [PGValue]) throws {
        guard tables.itemTable != nil else { return }
        try connection.query(Self.settleSQL(selection), parameters)
    }

    static func settleSQL(_ selection: String) -> String {
        """
        SELECT sodarcache_trash_settle(array(
            SELECT m.item_id FROM sodarcache_trash_mark m JOIN sodarcache_item i ON i.id = m.item_id \(selection)))
        """
    }

    /// Moves the marked rows that hold these names (project row id, nil: site-wide) to the
    /// copy table: a write or a restore of the name then takes a free slot.
    func settleMarks(_ connection: PGConnection, projectIDs: [Int?], appNames: [String], names: [String]) throws {
        guard tables.itemTable != nil else { return }
        let statement = settleStatement(projectIDs: projectIDs, appNames: appNames, names: names)
        try connection.query(statement.0, statement.1)
    }

    /// `settleMarks(_:projectIDs:appNames:names:)`'s statement.
    func settleStatement(projectIDs: [Int?], appNames: [String], names: [String]) -> (String, [PGValue]) {
        var projects = PGArrayLiteral(), apps = PGArrayLiteral(), items = PGArrayLiteral()
        for index in appNames.indices {
            projects.append(projectIDs[index])
            apps.append(appNames[index])
            items.append(names[index])
        }
        return (
            Self.settleSQL(
                """
                JOIN unnest($1::bigint[], $2::text[], $3::text[]) AS k(project_id, app_name, name)
                    ON i.app_name = k.app_name AND i.name = k.name
                    AND (i.project_id = k.project_id OR (i.project_id IS NULL AND k.project_id IS NULL))
                """), [projects.value, apps.value, items.value]
        )
    }

    /// Counts an entry's items and bytes again (a restore took some); drops it when none are left.
    /// - Returns: whether it is kept.
    fileprivate func countEntry(_ connection: PGConnection, _ id: Int64) throws -> Bool {
        let result = try connection.query(
            """
            WITH c AS (SELECT count(*) AS n, coalesce(sum(size), 0) AS b FROM sodarcache_trash_item WHERE entry_id = $1::bigint),
            u AS (UPDATE sodarcache_trash_entry SET items = c.n, bytes = c.b FROM c WHERE id = $1::bigint AND c.n > 0 RETURNING id),
            d AS (DELETE FROM sodarcache_trash_entry WHERE id = $1::bigint AND (SELECT n FROM c) = 0 RETURNING id)
            SELECT (SELECT n FROM c)
            """, [PGValue(Int(id))])
        return (result.int(0, 0) ?? 0) > 0
    }

    /// Purges deletes made before `before`, then the oldest past `maxBytes`, in one statement:
    /// their copies, and their marked rows (first the rows, then the marks, whose going gives
    /// the totals back what the rows' delete took a second time).
    @discardableResult
    public func trimTrash(_ connection: PGConnection, before: Date, maxBytes: Int64) throws -> (entries: Int, items: Int) {
        let result = try connection.query(
            """
            WITH ranked AS (
                SELECT id, items, deleted_at, sum(bytes) OVER (ORDER BY id DESC) AS newer_bytes FROM sodarcache_trash_entry
            ), doomed AS (
                DELETE FROM sodarcache_trash_entry e USING ranked r
                WHERE e.id = r.id AND (r.deleted_at < to_timestamp($1::float8) OR r.newer_bytes > $2::bigint)
                RETURNING e.id, e.items
            ), items AS (
                DELETE FROM sodarcache_trash_item t USING doomed d WHERE t.entry_id = d.id
            ) SELECT count(*), coalesce(sum(items), 0), coalesce(array_agg(id), '{}')::text FROM doomed
            """, [PGValue(before == .distantFuture ? Double.infinity : before.timeIntervalSince1970), PGValue(Int(maxBytes))])
        let entries = result.int(0, 0) ?? 0
        if entries > 0, tables.itemTable != nil, let ids = result.string(0, 2) {
            try connection.query(
                """
                DELETE FROM sodarcache_item i USING sodarcache_trash_mark m
                WHERE m.item_id = i.id AND m.entry_id = ANY($1::bigint[])
                """, [.text(ids)])
            try connection.query("DELETE FROM sodarcache_trash_mark WHERE entry_id = ANY($1::bigint[])", [.text(ids)])
        }
        return (entries, result.int(0, 1) ?? 0)
    }
}

// MARK: - TrashKeeping

extension PostgresCacheStore: TrashKeeping {
    public var trash: (any TrashKeeping)? {
        switch layout {
        case .sodarcache: self
        case .sodar: siteLocal.isConfigured ? SiteTrash(self) : nil
        }
    }

    private var entryColumns: String {
        """
        e.id, extract(epoch from e.deleted_at), e.os_user, e.host, e.command, e.items, e.bytes, e.db_role,
        (SELECT string_agg(DISTINCT app_name, E'\\n' ORDER BY app_name) FROM \(trashRows) WHERE entry_id = e.id),
        (SELECT count(DISTINCT coalesce(project_uuid::text, '')) FROM \(trashRows) WHERE entry_id = e.id)
        """
    }

    /// What the trash holds, copied and marked (the copies alone before the marks' schema).
    private var trashRows: String { tables.itemTable == nil ? "sodarcache_trash_item" : "sodarcache_trash_row" }

    public func trashEntries(limit: Int) throws -> [TrashEntry] {
        try withConnection { connection in
            let result = try connection.query(
                "SELECT \(entryColumns) FROM sodarcache_trash_entry e ORDER BY e.id DESC LIMIT $1::bigint", [PGValue(max(0, limit))])
            return try result.rows { try $0.trashEntry() }
        }
    }

    public func trashEntry(id: Int64) throws -> TrashEntry? {
        try withConnection { connection in
            let result = try connection.query(
                "SELECT \(entryColumns) FROM sodarcache_trash_entry e WHERE e.id = $1::bigint", [PGValue(Int(id))])
            return result.rowCount == 1 ? try result.row(0).trashEntry() : nil
        }
    }

    public func trashedItems(entry: Int64) throws -> [TrashedItem] {
        try withConnection { connection in try trashedRows(connection, entry: entry, from: trashRows).map(\.item) }
    }

    public func trashedCopies(appName: String, name: String, project: UUID?) throws -> [TrashedCopy] {
        try withConnection { connection in
            // The payload column is not read: a copy's size is its own column.
            let result = try connection.query(
                """
                SELECT t.entry_id, extract(epoch from e.deleted_at), e.os_user, e.db_role, e.command, t.sodar_uuid, t.user_name,
                    t.user_uuid, extract(epoch from t.date_modified), t.size
                FROM \(trashRows) t JOIN sodarcache_trash_entry e ON e.id = t.entry_id
                WHERE t.app_name = $1 AND t.name = $2 AND t.project_uuid IS NOT DISTINCT FROM $3::uuid
                ORDER BY t.entry_id DESC
                """, [.text(appName), .text(name), PGValue(project)])
            return try result.rows { try $0.trashedCopy(app: appName, name: name) }
        }
    }

    public func trashedItem(entry: Int64, uuid: UUID) throws -> TrashedItem? {
        try withConnection { connection in
            let result = try connection.query(
                """
                SELECT sodar_uuid, project_uuid, app_name, name, user_name, user_uuid, extract(epoch from date_modified), data
                FROM \(trashRows) WHERE entry_id = $1::bigint AND sodar_uuid = $2::uuid
                """, [PGValue(Int(entry)), PGValue(uuid)])
            guard result.rowCount == 1 else { return nil }
            return TrashedItem(entry: entry, item: try result.row(0).cacheItem())
        }
    }

    /// An entry's items with their row ids (ctid: the copy table's own; '' from the view of
    /// copies and marks), in (project, app, name) order.
    private func trashedRows(
        _ connection: PGConnection, entry: Int64, from table: String = "sodarcache_trash_item"
    ) throws -> [(row: String, item: TrashedItem)] {
        let ctid = table == "sodarcache_trash_item" ? "ctid::text" : "''"
        let result = try connection.query(
            """
            SELECT sodar_uuid, project_uuid, app_name, name, user_name, user_uuid, extract(epoch from date_modified), data, \(ctid)
            FROM \(table) WHERE entry_id = $1::bigint ORDER BY project_uuid NULLS FIRST, app_name, name
            """, [PGValue(Int(entry))])
        return try (0..<result.rowCount).map { row in
            (result.string(row, 8) ?? "", TrashedItem(entry: entry, item: try result.row(row).cacheItem()))
        }
    }

    /// Refused on SODAR's tables. Marked rows first go to the copy table: a restore then puts
    /// every item back one way.
    public func readyRestore(_ connection: PGConnection, entries: [Int64]) throws {
        guard layout == .sodarcache else { throw Self.projectsBelongToSODAR }
        var ids = PGArrayLiteral()
        for entry in entries { ids.append(Int(entry)) }
        try settleMarks(connection, "WHERE m.entry_id = ANY($1::bigint[])", [ids.value])
    }

    public func restoreSteps(_ connection: PGConnection) -> RestoreSteps { RestoreSteps(connection: connection, store: self) }

    /// A restore's reads and writes on sodarcache's own tables, in its transaction. Where an
    /// item goes and what is there (`TrashPlacing`) it reads on either layout: a restore onto
    /// SODAR's tables decides with them too (`restoreSiteRows`).
    public struct RestoreSteps: TrashRestoreSteps {
        let connection: PGConnection
        let store: PostgresCacheStore
        var items: String { store.tables.items }

        public func entryIsKept(_ entry: Int64) throws -> Bool {
            try connection.query("SELECT 1 FROM sodarcache_trash_entry WHERE id = $1::bigint FOR UPDATE", [PGValue(Int(entry))])
                .rowCount == 1
        }

        /// The rows as (entry, ctid).
        public func trashedRows(entry: Int64) throws -> [(row: String, item: TrashedItem)] {
            try store.trashedRows(connection, entry: entry)
        }

        /// The project's row id, nil inside for site-wide items.
        public func place(of project: UUID?) throws -> Int?? {
            guard let project else { return .some(nil) }
            let found = try connection.query("SELECT id FROM \(store.tables.projects) WHERE sodar_uuid = $1::uuid", [PGValue(project)])
            guard found.rowCount == 1, let id = found.int(0, 0) else { return nil }
            return .some(id)
        }

        public func occupant(at place: Int?, appName: String, name: String) throws -> (uuid: UUID, dateModified: Date)? {
            let present = try connection.query(
                """
                SELECT sodar_uuid, extract(epoch from date_modified) FROM \(items)
                WHERE \(place == nil ? "project_id IS NULL" : "project_id = $3::bigint") AND app_name = $1 AND name = $2
                ORDER BY id LIMIT 1
                """, [.text(appName), .text(name)] + (place.map { [PGValue($0)] } ?? []))
            guard present.rowCount > 0 else { return nil }
            let named = CorruptRow.item(app: appName, name: name, reason: "")
            return (
                try present.row(0).uuid(0, "sodar_uuid", of: named), try present.row(0).date(1, "date_modified", of: named)
            )
        }

        public func holds(uuid: UUID) throws -> Bool {
            try connection.query("SELECT 1 FROM \(items) WHERE sodar_uuid = $1::uuid", [PGValue(uuid)]).rowCount > 0
        }

        public func putBack(_ item: TrashedItem, at place: Int?, from row: String) throws {
            // A later delete's marked row may hold the name: it goes to the copy table first.
            try store.settleMarks(connection, projectIDs: [place], appNames: [item.appName], names: [item.name])
            try connection.query(
                """
                INSERT INTO \(items) (sodar_uuid, project_id, app_name, name, user_name, user_uuid, date_modified, size, data)
                VALUES ($1::uuid, $2::bigint, $3, $4, $5, $6::uuid, to_timestamp($7::float8), $8::bigint, $9)
                """,
                [PGValue(item.uuid), PGValue(place), .text(item.appName), .text(item.name), PGValue(item.user?.username),
                 PGValue(item.user?.uuid), PGValue(item.dateModified.timeIntervalSince1970), PGValue(item.data.count),
                 .bytes(item.data)])
            try connection.query(
                "DELETE FROM sodarcache_trash_item WHERE entry_id = $1::bigint AND ctid = $2::tid", [PGValue(Int(item.entry)), .text(row)])
        }

        public func recount(_ entry: Int64) throws -> Bool { try store.countEntry(connection, entry) }
    }
}
