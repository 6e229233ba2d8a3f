import Foundation

/// The files SQLite keeps beside a store file, named once: the engine checks for them, the
/// demo and the factory remove them with the store, and the browser never writes a payload
/// over one.
public enum SQLiteFiles {
    /// The write-ahead log: a writer has (or had) the store open while it is there.
    public static let wal = "-wal"
    /// The shared-memory index of the log.
    public static let shm = "-shm"
    /// The rollback journal (not used in WAL mode, but SQLite may leave one).
    public static let journal = "-journal"
    /// Every file SQLite may keep beside a database.
    public static let sideSuffixes = [wal, shm, journal]

    /// The store file and every side file it may have.
    public static func all(of path: String) -> [String] {
        [path] + sideSuffixes.map { path + $0 }
    }
}
