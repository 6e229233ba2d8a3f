import Foundation
import GRDBSQLite
import SodarCache

/// The hot read path for `getCacheItem`: one read-only connection with one prepared
/// statement, bypassing GRDB's reader pool and row boxing.
///
/// Safe because each single SELECT runs on one consistent WAL snapshot in autocommit
/// mode, and the lock serializes the connection between threads. A thread that finds
/// the lock taken falls back to the pool instead of waiting.
final class ItemReader: @unchecked Sendable {
    struct Hit {
        var uuid: UUID
        var userName: String?
        var userUUID: UUID?
        var dateModified: Double
        var data: Data
    }

    private let lock = NSLock()
    private var connection: OpaquePointer?
    private var getStatement: OpaquePointer?
    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Opens the connection, or returns nil when it cannot (the pool then serves every get).
    init?(path: String, busyTimeoutMilliseconds: Int32) {
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            sqlite3_close_v2(connection)
            return nil
        }
        sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)
        SQLiteCacheStore.tune(connection)
    }

    deinit {
        sqlite3_finalize(getStatement)
        sqlite3_close_v2(connection)
    }

    /// The item's columns; `.none` when the connection is busy with another thread.
    /// - Throws: the SQLite result code when the statement fails.
    func get(projectID: Int64, app: String, name: String) throws(ItemReaderError) -> Hit?? {
        guard lock.try() else { return .none }
        defer { lock.unlock() }
        if getStatement == nil {
            // Prepared on first use: the schema does not exist before the first migration.
            let sql = """
                SELECT uuid, user_name, user_uuid, date_modified, data FROM cache_item
                WHERE project_id = ? AND app_name = ? AND name = ?
                """
            let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &getStatement, nil)
            guard code == SQLITE_OK else {
                throw ItemReaderError(code: code, message: String(cString: sqlite3_errmsg(connection)))
            }
        }
        let s = getStatement
        defer { sqlite3_reset(s) }
        sqlite3_bind_int64(s, 1, projectID)
        sqlite3_bind_text(s, 2, app, -1, transient)
        sqlite3_bind_text(s, 3, name, -1, transient)
        let code = sqlite3_step(s)
        if code == SQLITE_DONE { return .some(nil) }
        guard code == SQLITE_ROW else {
            throw ItemReaderError(code: code, message: String(cString: sqlite3_errmsg(connection)))
        }
        guard let uuid = Self.uuid(s, 0) else {
            throw ItemReaderError(code: SQLITE_CORRUPT, message: "item without a UUID")
        }
        let userName = sqlite3_column_text(s, 1).map { String(cString: $0) }
        let userUUID = Self.uuid(s, 2)
        let date = sqlite3_column_double(s, 3)
        let count = Int(sqlite3_column_bytes(s, 4))
        let data = count == 0 ? Data() : Data(bytes: sqlite3_column_blob(s, 4), count: count)
        return .some(Hit(uuid: uuid, userName: userName, userUUID: userUUID, dateModified: date, data: data))
    }

    private static func uuid(_ statement: OpaquePointer?, _ column: Int32) -> UUID? {
        guard sqlite3_column_bytes(statement, column) == 16, let bytes = sqlite3_column_blob(statement, column) else {
            return nil
        }
        return bytes.withMemoryRebound(to: uuid_t.self, capacity: 1) { UUID(uuid: $0.pointee) }
    }
}

/// A failed step on the fast read path.
struct ItemReaderError: Error {
    var code: Int32
    var message: String
}
