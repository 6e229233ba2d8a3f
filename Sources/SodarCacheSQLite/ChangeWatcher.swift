import Foundation
import GRDBSQLite
import SodarCache

/// An opaque "something was committed" counter on a read-only connection of its own:
/// SQLite's `PRAGMA data_version` changes on a connection whenever any *other* connection
/// commits, and this one never writes, so every commit counts (this process's writer's too).
/// It never queues behind the writer, as a read on the writer connection did.
final class ChangeWatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: OpaquePointer?
    private var statement: OpaquePointer?

    /// Opens the connection, or returns nil when it cannot.
    init?(path: String, busyTimeoutMilliseconds: Int32) {
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
            sqlite3_prepare_v3(connection, "PRAGMA data_version", -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
                == SQLITE_OK
        else {
            sqlite3_finalize(statement)
            sqlite3_close_v2(connection)
            return nil
        }
        sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)
    }

    deinit { close() }

    /// The current counter.
    /// - Throws: the SQLite result code and message.
    func token() throws(ItemReaderError) -> Int {
        lock.lock()
        defer { lock.unlock() }
        guard let statement else { throw ItemReaderError(code: SQLITE_MISUSE, message: "the store was closed") }
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_ROW else {
            throw ItemReaderError(code: code, message: String(cString: sqlite3_errmsg(connection)))
        }
        return Int(sqlite3_column_int64(statement, 0))
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        sqlite3_finalize(statement)
        sqlite3_close_v2(connection)
        statement = nil
        connection = nil
    }
}
