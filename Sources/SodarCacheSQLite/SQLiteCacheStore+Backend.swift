import Foundation
import GRDB
import GRDBSQLite
import JSONKit
import SodarCache
import StoreKernel

// MARK: - CacheBackend

extension SQLiteCacheStore {
    public func upsert(_ write: CacheWrite, now: Date) throws -> CacheItem {
        let item = try writeTransaction(audit: { _ in .wrote(write) }) { db in
            try upsert(db, write, projectID: projectRowID(db, write.project), now: write.dateModified ?? now)
        }
        if logger.logLevel <= .debug {
            logger.debug("Set item \"\(write.appName):\(write.name)\" in \(write.project.map { "project \($0.sodarString)" } ?? "site scope")")
        }
        return item
    }

    /// The batch's transaction; `first` runs in it before the deletes and writes (a change
    /// report reads what they replace).
    public func commit(
        deleting: [CacheDeletion], writing: [CacheWrite], now: Date, first: @escaping (Database) throws -> Void
    ) throws -> Int {
        let body = { (db: Database) throws -> Int in
            try first(db)
            var deleted = 0
            for deletion in deleting {
                switch deletion {
                case .all(let app, let project):
                    deleted += try self.deleteRows(db, matching: CacheFilter(appName: app, project: project))
                case .item(let app, let name, let project):
                    try self.deleteRow(db, appName: app, name: name, project: project)
                    deleted += db.changesCount
                }
            }
            try self.upsertAll(db, writing, now: now)
            return deleted
        }
        // Writes alone keep nothing in the trash, and pay nothing for it.
        let note = { (deleted: Int) in AuditNote.committed(deleting: deleting, writing: writing, deleted: deleted) }
        let deleted = try deleting.isEmpty ? writeTransaction(audit: note, body) : deleteTransaction(audit: note, body)
        if !writing.isEmpty { logger.debug("Set \(writing.count) items in one transaction") }
        return deleted
    }

    /// The item upsert: keeps the item's UUID, and its user when the write has none. Public so
    /// that the benchmark's raw-SQLite ceiling runs exactly this statement.
    public static let upsertSQL = """
        INSERT INTO cache_item
            (uuid, project_id, app_name, name, user_name, user_uuid, date_modified, size, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (project_id, app_name, name) DO UPDATE SET
            user_uuid = CASE WHEN excluded.user_name IS NULL THEN user_uuid ELSE excluded.user_uuid END,
            user_name = coalesce(excluded.user_name, user_name),
            date_modified = excluded.date_modified,
            size = excluded.size,
            data = excluded.data
        RETURNING uuid, user_name, user_uuid
        """

    /// Upserts every write; the caller holds the transaction. A batch returns no items, so
    /// none is built (GRDB's argument arrays and a `Row` per write cost batched upserts ~10%).
    func upsertAll(_ db: Database, _ writes: [CacheWrite], now: Date) throws {
        if writes.isEmpty { return }
        var ids: [UUID: Int64] = [:]
        let statement = try db.cachedStatement(sql: Self.upsertSQL).sqliteStatement
        defer { sqlite3_reset(statement) }
        for write in writes {
            var projectID: Int64 = 0
            if let project = write.project {
                if let known = ids[project] {
                    projectID = known
                } else {
                    projectID = try projectRowID(db, project)
                    ids[project] = projectID
                }
            }
            try Self.step(db, statement, write, projectID: projectID, now: write.dateModified ?? now) { _ in }
        }
    }

    /// Binds one write to the upsert statement through SQLite's C API (as the benchmark's raw
    /// ceiling does), steps it, and hands its `RETURNING` row to `returned`.
    static func step(
        _ db: Database, _ s: SQLiteStatement?, _ write: CacheWrite, projectID: Int64, now: Date,
        returned: (SQLiteStatement?) throws -> Void
    ) throws {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_reset(s)
        sqlite3_clear_bindings(s)
        var uuid = FastUUID.make(now: now).uuid
        _ = withUnsafeBytes(of: &uuid) { sqlite3_bind_blob(s, 1, $0.baseAddress, 16, transient) }
        sqlite3_bind_int64(s, 2, projectID)
        sqlite3_bind_text(s, 3, write.appName, -1, transient)
        sqlite3_bind_text(s, 4, write.name, -1, transient)
        if let user = write.user {
            sqlite3_bind_text(s, 5, user.username, -1, transient)
            if var userUUID = user.uuid?.uuid {
                _ = withUnsafeBytes(of: &userUUID) { sqlite3_bind_blob(s, 6, $0.baseAddress, 16, transient) }
            }
        }
        sqlite3_bind_double(s, 7, CacheWriteRules.storedTime(now).timeIntervalSince1970)
        sqlite3_bind_int64(s, 8, Int64(write.data.count))
        _ = write.data.withUnsafeBytes {
            sqlite3_bind_blob(s, 9, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), transient)
        }
        var code = sqlite3_step(s)
        while code == SQLITE_ROW {
            try returned(s)
            code = sqlite3_step(s)
        }
        if code != SQLITE_DONE {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    public func getCacheItem(appName: String, name: String, project: UUID?) throws -> CacheItem? {
        // Reads need no registered app: items of an app dropped from the config stay readable.
        if let reader = itemReader {
            let projectID = try knownProjectRowID(project)
            do {
                if let hit = try reader.get(projectID: projectID, app: appName, name: name) {
                    return try hit?.item(project: project, app: appName, name: name)
                }
            } catch let error as ItemReaderError {
                throw map(error, app: appName, name: name)
            } catch let corrupt as CorruptRow {
                throw corrupt.error(location: path)
            }
        }
        return try read { db in
            let projectID = try projectRowID(db, project)
            let statement = try db.cachedStatement(
                sql: """
                    SELECT uuid, user_name, user_uuid, date_modified, data FROM cache_item
                    WHERE project_id = ? AND app_name = ? AND name = ?
                    """)
            statement.setUncheckedArguments([projectID, appName, name])
            guard let row = try Row.fetchOne(statement) else { return nil }
            let named = CorruptRow.item(app: appName, name: name, reason: "")
            return CacheItem(
                uuid: try row.uuid(0, "uuid", of: named), project: project, appName: appName, name: name,
                user: Self.user(name: try row.optionalText(1, "user_name", of: named), uuid: try row.optionalUUID(2, "user_uuid", of: named)),
                data: try row.payload(4, "data", of: named), dateModified: try row.date(3, "date_modified", of: named))
        }
    }

    public func getUpdateTime(appName: String, name: String, project: UUID?) throws -> Double? {
        try read { db in
            let projectID = try projectRowID(db, project)
            return try Double.fetchOne(
                db.cachedStatement(
                    sql: "SELECT date_modified FROM cache_item WHERE project_id = ? AND app_name = ? AND name = ?"),
                arguments: [projectID, appName, name])
        }
    }

    public func getProjectCache(project: UUID?, dataType: String) throws -> [CacheItem] {
        guard dataType == "json" else { throw CacheError.unsupportedDataType(dataType) }
        return try read { db in
            let projectID = try projectRowID(db, project)
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT uuid, NULL, app_name, name, user_name, user_uuid, date_modified, data
                        FROM cache_item WHERE project_id = ? ORDER BY app_name, name
                        """),
                arguments: [projectID])
            var items: [CacheItem] = []
            while let row = try rows.next() { items.append(try row.cacheItem(project: .some(project))) }
            return items
        }
    }

    /// Deletes one item; the caller holds the transaction.
    func deleteRow(_ db: Database, appName: String, name: String, project: UUID?) throws {
        let projectID = try projectRowID(db, project)
        try db.cachedStatement(
            sql: "DELETE FROM cache_item WHERE project_id = ? AND app_name = ? AND name = ?"
        ).execute(arguments: [projectID, appName, name])
    }

    // MARK: - Helpers

    /// The row id items of `project` are stored under: 0 for site-wide items.
    /// - Throws: `CacheError.projectNotFound` for a project the store does not know.
    ///
    /// Inside a transaction (every write and delete) the id is always read, never taken from
    /// the cache: another process may have deleted the project, and SQLite may have given its
    /// row id to a new one, so a cached id could name the wrong project.
    func projectRowID(_ db: Database, _ project: UUID?) throws -> Int64 {
        guard let project else { return 0 }
        if !db.isInsideTransaction, let id = projectIDs.id(project) { return id }
        guard
            let id = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM project WHERE uuid = ?"), arguments: [project])
        else {
            throw CacheError.projectNotFound(project.sodarString)
        }
        projectIDs.remember(project, id)
        return id
    }

    /// `projectRowID` outside a transaction: the cache first, then one read.
    func knownProjectRowID(_ project: UUID?) throws -> Int64 {
        guard let project else { return 0 }
        if let id = projectIDs.id(project) { return id }
        return try read { db in try projectRowID(db, project) }
    }

    /// Creates or replaces one item; keeps its UUID, and its user when `user` is nil.
    func upsert(_ db: Database, _ write: CacheWrite, projectID: Int64, now: Date) throws -> CacheItem {
        let statement = try db.cachedStatement(sql: Self.upsertSQL).sqliteStatement
        defer { sqlite3_reset(statement) }
        var row: (uuid: UUID?, userName: String?, userUUID: UUID?)?
        try Self.step(db, statement, write, projectID: projectID, now: now) { s in
            row = (Self.uuidColumn(s, 0), sqlite3_column_text(s, 1).map { String(cString: $0) }, Self.uuidColumn(s, 2))
        }
        guard let row, let uuid = row.uuid else {
            throw CacheError.storeFailure("upsert of \"\(write.appName):\(write.name)\" returned nothing")
        }
        // The date as stored (whole microseconds), so that it equals what a read returns.
        return CacheItem(
            uuid: uuid, project: write.project, appName: write.appName, name: write.name,
            user: Self.user(name: row.userName, uuid: row.userUUID), data: write.data,
            dateModified: CacheWriteRules.storedTime(now))
    }

    /// A failure of the item reader or the change watcher (their own connections, SQLite's C
    /// API) as GRDB's would be mapped; a malformed UUID names the item `app`:`name`.
    func map(_ error: ItemReaderError, app: String? = nil, name: String? = nil) -> CacheError {
        if error.message == ItemReaderError.malformedUUID {
            return CorruptRow.item(app: app, name: name, reason: "a malformed UUID in uuid").error(location: path)
        }
        return Self.map(DatabaseError(resultCode: ResultCode(rawValue: error.code), message: error.message), path: path)
    }

    static func user(name: String?, uuid: UUID?) -> User? {
        name.map { User(username: $0, uuid: uuid) }
    }
}
