import Foundation
import GRDB
import SodarCache
import StoreKernel

// MARK: - Deletes that keep what they delete

extension SQLiteCacheStore: InStoreTrash {
    /// Writes the entry and its context row: the `trash_keep` trigger copies every row deleted
    /// while the context row names it.
    public func openTrashEntry(_ db: Database, at now: Date, by who: ChangeAttribution) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO trash_entry (deleted_at, os_user, host, command) VALUES (?, ?, ?, ?)",
            arguments: [now.timeIntervalSince1970, who.osUser, who.host, who.command])
        let id = db.lastInsertedRowID
        try db.execute(sql: "INSERT OR REPLACE INTO trash_context (id, entry_id) VALUES (1, ?)", arguments: [id])
        return id
    }

    public func closeTrashEntry(_ db: Database, _ id: Int64) throws -> Bool {
        try db.execute(sql: "DELETE FROM trash_context")
        return try countEntry(db, id)
    }

    /// Counts an entry's items and bytes; drops it when it kept nothing.
    /// - Returns: whether it is kept.
    func countEntry(_ db: Database, _ id: Int64) throws -> Bool {
        let row = try Row.fetchOne(
            db, sql: "SELECT count(*), total(size) FROM trash_item WHERE entry_id = ?", arguments: [id])
        let items: Int = row?[0] ?? 0
        let bytes = Int64((row?[1] as Double?) ?? 0)
        if items == 0 {
            try db.execute(sql: "DELETE FROM trash_entry WHERE id = ?", arguments: [id])
            return false
        }
        try db.execute(sql: "UPDATE trash_entry SET items = ?, bytes = ? WHERE id = ?", arguments: [items, bytes, id])
        return true
    }

    @discardableResult
    public func trimTrash(_ db: Database, before: Date, maxBytes: Int64) throws -> (entries: Int, items: Int) {
        let entries = try Row.fetchAll(
            db, sql: "SELECT id, deleted_at, items, bytes FROM trash_entry WHERE pending_xact IS NULL"
        ).map { TrashEntrySize(id: $0[0], deletedAt: Date(timeIntervalSince1970: $0[1]), items: $0[2], bytes: $0[3]) }
        let doomed = TrashPolicy.doomed(entries, before: before, maxBytes: maxBytes)
        for entry in doomed {
            try db.execute(sql: "DELETE FROM trash_item WHERE entry_id = ?", arguments: [entry.id])
            try db.execute(sql: "DELETE FROM trash_entry WHERE id = ?", arguments: [entry.id])
        }
        return (doomed.count, doomed.reduce(0) { $0 + $1.items })
    }
}

// MARK: - TrashKeeping

extension SQLiteCacheStore: TrashKeeping {
    public var trash: (any TrashKeeping)? { self }

    /// The migration that made the trash's tables.
    static let trashSchema = "v6"

    private static let entryColumns = """
        e.id, e.deleted_at, e.os_user, e.host, e.command, e.items, e.bytes, e.db_role,
        (SELECT group_concat(app_name, char(10)) FROM (SELECT DISTINCT app_name FROM trash_item WHERE entry_id = e.id ORDER BY 1)),
        (SELECT count(DISTINCT coalesce(project_uuid, x'')) FROM trash_item WHERE entry_id = e.id)
        """

    public func trashEntries(limit: Int) throws -> [TrashEntry] {
        guard hasSchema(Self.trashSchema) else { return [] }
        return try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.entryColumns) FROM trash_entry e WHERE e.pending_xact IS NULL ORDER BY e.id DESC LIMIT ?",
                arguments: [max(0, limit)]
            ).map { try $0.trashEntry() }
        }
    }

    public func trashEntry(id: Int64) throws -> TrashEntry? {
        guard hasSchema(Self.trashSchema) else { return nil }
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.entryColumns) FROM trash_entry e WHERE e.id = ? AND e.pending_xact IS NULL", arguments: [id])
                .map { try $0.trashEntry() }
        }
    }

    public func trashedItems(entry: Int64) throws -> [TrashedItem] {
        guard hasSchema(Self.trashSchema) else { return [] }
        return try read { db in try trashedRows(db, entry: entry).map(\.item) }
    }

    public func trashedCopies(appName: String, name: String, project: UUID?) throws -> [TrashedCopy] {
        try read { db in
            // The payload column is not read: a copy's size is its own column.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.entry_id, e.deleted_at, e.os_user, e.db_role, e.command, t.uuid, t.user_name, t.user_uuid,
                        t.date_modified, t.size
                    FROM trash_item t JOIN trash_entry e ON e.id = t.entry_id
                    WHERE t.app_name = ? AND t.name = ? AND t.project_uuid IS ? AND e.pending_xact IS NULL
                    ORDER BY t.entry_id DESC
                    """,
                arguments: [appName, name, project]
            ).map { try $0.trashedCopy(app: appName, name: name) }
        }
    }

    public func trashedItem(entry: Int64, uuid: UUID) throws -> TrashedItem? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT t.uuid, t.project_uuid, t.app_name, t.name, t.user_name, t.user_uuid, t.date_modified, t.data
                    FROM trash_item t JOIN trash_entry e ON e.id = t.entry_id
                    WHERE t.entry_id = ? AND t.uuid = ? AND e.pending_xact IS NULL
                    """,
                arguments: [entry, uuid]
            ).map { row in TrashedItem(entry: entry, item: try row.cacheItem()) }
        }
    }

    /// An entry's items with their row ids, in (project, app, name) order.
    private func trashedRows(_ db: Database, entry: Int64) throws -> [(row: Int64, item: TrashedItem)] {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT uuid, project_uuid, app_name, name, user_name, user_uuid, date_modified, data, rowid
                FROM trash_item WHERE entry_id = ? ORDER BY project_uuid, app_name, name
                """,
            arguments: [entry])
        var items: [(Int64, TrashedItem)] = []
        while let row = try rows.next() { items.append((row[8], TrashedItem(entry: entry, item: try row.cacheItem()))) }
        return items
    }

    public func restoreSteps(_ db: Database) -> RestoreSteps { RestoreSteps(db: db, store: self) }

    /// A restore's reads and writes, in its transaction.
    public struct RestoreSteps: TrashRestoreSteps {
        let db: Database
        let store: SQLiteCacheStore

        public func entryIsKept(_ entry: Int64) throws -> Bool {
            try Bool.fetchOne(db, sql: "SELECT 1 FROM trash_entry WHERE id = ? AND pending_xact IS NULL", arguments: [entry]) == true
        }

        public func trashedRows(entry: Int64) throws -> [(row: Int64, item: TrashedItem)] {
            try store.trashedRows(db, entry: entry)
        }

        /// The project's row id; 0 for site-wide items.
        public func place(of project: UUID?) throws -> Int64? {
            guard let project else { return 0 }
            return try Int64.fetchOne(db, sql: "SELECT id FROM project WHERE uuid = ?", arguments: [project])
        }

        public func occupant(at place: Int64, appName: String, name: String) throws -> (uuid: UUID, dateModified: Date)? {
            guard let row = try Row.fetchOne(
                db, sql: "SELECT uuid, date_modified FROM cache_item WHERE project_id = ? AND app_name = ? AND name = ?",
                arguments: [place, appName, name])
            else { return nil }
            let named = CorruptRow.item(app: appName, name: name, reason: "")
            return (try row.uuid(0, "uuid", of: named), try row.date(1, "date_modified", of: named))
        }

        public func holds(uuid: UUID) throws -> Bool {
            try Bool.fetchOne(db, sql: "SELECT 1 FROM cache_item WHERE uuid = ?", arguments: [uuid]) == true
        }

        public func putBack(_ item: TrashedItem, at place: Int64, from row: Int64) throws {
            try db.execute(
                sql: """
                    INSERT INTO cache_item (uuid, project_id, app_name, name, user_name, user_uuid, date_modified, size, data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    item.uuid, place, item.appName, item.name, item.user?.username, item.user?.uuid,
                    item.dateModified.timeIntervalSince1970, item.data.count, item.data,
                ])
            try db.execute(sql: "DELETE FROM trash_item WHERE rowid = ?", arguments: [row])
        }

        public func recount(_ entry: Int64) throws -> Bool { try store.countEntry(db, entry) }
    }
}

// MARK: - LocalTrashStore (this store as a SODAR site's local store)

extension SQLiteCacheStore: LocalTrashStore {
    public func keepPending(
        _ items: [TrashedItem], attribution: ChangeAttribution, role: String?, at: Date, transaction: Int64
    ) throws -> Int64 {
        try writeTransaction { db in
            try db.execute(
                sql: """
                    INSERT INTO trash_entry (deleted_at, os_user, host, command, db_role, pending_xact, items, bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    at.timeIntervalSince1970, attribution.osUser, attribution.host, attribution.command, role, transaction,
                    items.count, items.reduce(0) { $0 + $1.data.count },
                ])
            let id = db.lastInsertedRowID
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO trash_item
                        (entry_id, uuid, project_uuid, app_name, name, user_name, user_uuid, date_modified, size, data)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for item in items {
                try insert.execute(arguments: [
                    id, item.uuid, item.project, item.appName, item.name, item.user?.username, item.user?.uuid,
                    item.dateModified.timeIntervalSince1970, item.data.count, item.data,
                ])
            }
            return id
        }
    }

    public func settle(_ entry: Int64, thisSession: Bool) throws {
        let policy = changes.trash
        try writeTransaction { db in
            try db.execute(sql: "UPDATE trash_entry SET pending_xact = NULL WHERE id = ?", arguments: [entry])
            try trimTrash(db, before: policy.purgeBefore(clock()), maxBytes: policy.maxBytes)
        }
        if thisSession { sessionDeletes.withLock { $0.append(entry) } }
    }

    public func drop(_ entry: Int64) throws {
        try writeTransaction { db in
            try db.execute(sql: "DELETE FROM trash_item WHERE entry_id = ?", arguments: [entry])
            try db.execute(sql: "DELETE FROM trash_entry WHERE id = ?", arguments: [entry])
        }
    }

    public func pendingEntries() throws -> [(entry: Int64, transaction: Int64)] {
        guard hasSchema(Self.trashSchema) else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT id, pending_xact FROM trash_entry WHERE pending_xact IS NOT NULL ORDER BY id")
                .map { ($0[0], $0[1]) }
        }
    }

    public func removeRestored(_ items: [TrashedItem]) throws {
        if items.isEmpty { return }
        let entries = Set(items.map(\.entry))
        var emptied: Set<Int64> = []
        try writeTransaction { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM trash_item WHERE entry_id = ? AND uuid = ?")
            for item in items { try delete.execute(arguments: [item.entry, item.uuid]) }
            for entry in entries where try !countEntry(db, entry) { emptied.insert(entry) }
        }
        sessionDeletes.withLock { $0.removeAll { emptied.contains($0) } }
    }
}
