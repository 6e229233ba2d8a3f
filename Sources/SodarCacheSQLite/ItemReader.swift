import Foundation
import GRDBSQLite
import SodarCache
import StoreKernel

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

        /// The item it is, as its key named it (a `CorruptRow` for no valid time).
        func item(project: UUID?, app: String, name: String) throws -> CacheItem {
            CacheItem(
                uuid: uuid, project: project, appName: app, name: name,
                user: SQLiteCacheStore.user(name: userName, uuid: userUUID), data: data,
                dateModified: try CorruptRow.checkedDate(
                    dateModified, column: "date_modified", row: CorruptRow.item(app: app, name: name, reason: "")))
        }
    }

    private let lock = NSLock()
    private var connection: OpaquePointer?
    private var getStatement: OpaquePointer?
    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Opens the connection, or returns nil when it cannot (the pool then serves every get).
    init?(path: String, busyTimeoutMilliseconds: Int32) {
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil) == SQLITE_OK else {
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

    /// Closes the connection now (a replaced store being reopened); later gets fall back to the pool.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        sqlite3_finalize(getStatement)
        sqlite3_close_v2(connection)
        getStatement = nil
        connection = nil
    }

    /// Runs `body` while this reader counts as busy (another thread in the middle of a get):
    /// what a concurrent get meets.
    func whileBusy<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The item's columns; `.none` when the connection is busy with another thread.
    /// - Throws: the SQLite result code when the statement fails.
    func get(projectID: Int64, app: String, name: String) throws(ItemReaderError) -> Hit?? {
        guard lock.try() else { return .none }
        defer { lock.unlock() }
        guard connection != nil else { return .none }
        if getStatement == nil {
            // Prepared on first use: the schema does not exist before the first migration.
            // Large payloads are not loaded by the statement (SQLite would assemble their
            // overflow pages in a buffer of its own, which we would then copy): see `readLarge`.
            let sql = """
                SELECT uuid, user_name, user_uuid, date_modified, id,
                    CASE WHEN size <= \(Self.inlineLimit) THEN data END
                FROM cache_item WHERE project_id = ? AND app_name = ? AND name = ?
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
        var hit = try Self.hit(s)
        if sqlite3_column_type(s, 5) == SQLITE_NULL {
            sqlite3_reset(s)
            return .some(try readLarge(s))
        }
        let count = Int(sqlite3_column_bytes(s, 5))
        hit.data = count == 0 ? Data() : Data(bytes: sqlite3_column_blob(s, 5), count: count)
        return .some(hit)
    }

    /// Payloads above this many bytes are read by `readLarge`.
    static let inlineLimit = 1 << 20

    /// Reads a large item (the statement `s` bound to its key) straight into its `Data`, in one
    /// read transaction so the row and its payload are the same version. The memory map is off
    /// meanwhile: mapped payload pages would count in this process's resident memory, twice
    /// the payload in all (`sodarcache get` of 50 MB went from 3.5x to ~1.5x its size).
    private func readLarge(_ s: OpaquePointer?) throws(ItemReaderError) -> Hit? {
        try exec("PRAGMA mmap_size = 0")
        defer { sqlite3_exec(connection, "PRAGMA mmap_size = \(SQLiteCacheStore.mmapSize)", nil, nil, nil) }
        try exec("BEGIN")
        defer { sqlite3_exec(connection, "COMMIT", nil, nil, nil) }
        defer { sqlite3_reset(s) }
        let code = sqlite3_step(s)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw failure(code) }
        var hit = try Self.hit(s)
        var blob: OpaquePointer?
        let opened = sqlite3_blob_open(connection, "main", "cache_item", "data", sqlite3_column_int64(s, 4), 0, &blob)
        defer { sqlite3_blob_close(blob) }
        guard opened == SQLITE_OK else { throw failure(opened) }
        var data = Data(count: Int(sqlite3_blob_bytes(blob)))
        let read = data.withUnsafeMutableBytes { sqlite3_blob_read(blob, $0.baseAddress, Int32($0.count), 0) }
        guard read == SQLITE_OK else { throw failure(read) }
        hit.data = data
        return hit
    }

    /// The row `s` stepped to (`uuid, user_name, user_uuid, date_modified`), its payload not read yet.
    private static func hit(_ s: OpaquePointer?) throws(ItemReaderError) -> Hit {
        guard let uuid = SQLiteCacheStore.uuidColumn(s, 0) else {
            throw ItemReaderError(code: SQLITE_CORRUPT, message: ItemReaderError.malformedUUID)
        }
        return Hit(
            uuid: uuid, userName: sqlite3_column_text(s, 1).map { String(cString: $0) }, userUUID: SQLiteCacheStore.uuidColumn(s, 2),
            dateModified: seconds(s, 3), data: Data())
    }

    private func exec(_ sql: String) throws(ItemReaderError) {
        let code = sqlite3_exec(connection, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw failure(code) }
    }

    private func failure(_ code: Int32) -> ItemReaderError {
        ItemReaderError(code: code, message: String(cString: sqlite3_errmsg(connection)))
    }

    /// A time column as seconds; NaN when it holds no number (text, a blob, NULL): the store
    /// reports the row as corrupt rather than read it as 1970.
    private static func seconds(_ statement: OpaquePointer?, _ column: Int32) -> Double {
        let type = sqlite3_column_type(statement, column)
        return type == SQLITE_FLOAT || type == SQLITE_INTEGER ? sqlite3_column_double(statement, column) : .nan
    }
}

/// A failed step on the fast read path.
struct ItemReaderError: Error {
    var code: Int32
    var message: String

    /// The row's UUID is not 16 bytes: a corrupt row, not a corrupt file.
    static let malformedUUID = "item without a valid UUID"
}
