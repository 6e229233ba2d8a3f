import Foundation

/// What a command line or a browser needs of an open store beyond the cache API: where it is,
/// and the chores that differ per engine.
public protocol StoreAdministration: Sendable {
    /// Where the store is, as it may be shown: a file path, or a URI without its password.
    var locationDescription: String { get }

    /// The apps whose items may be written, sorted by name.
    var registeredApps: [String] { get }

    /// What "busy" means for this engine, for messages: another process holds what a write
    /// needs (SQLite: the file's write lock; PostgreSQL: a row or table lock past the timeout).
    var busyMeaning: String { get }

    /// Deletes a project or an empty category; with `withItems`, its items too, in one
    /// transaction. Refused while it has items (without `withItems`) or child projects, and
    /// in a SODAR site's database.
    /// - Returns: the number of items deleted.
    func deleteProject(uuid: UUID, withItems: Bool) throws -> Int

    /// Gives the space of deleted items back where the engine can.
    func reclaimSpace() throws -> SpaceReport

    /// Closes the store's connections (before the store is opened again, e.g. replaced).
    func close() throws
}

/// What `StoreAdministration.reclaimSpace()` did.
public struct SpaceReport: Sendable, Hashable {
    public var bytesBefore: Int64
    public var bytesAfter: Int64
    /// False when others still hold the old space: it is given back once they finish.
    public var complete: Bool
    public var bytesReclaimed: Int64 { max(0, bytesBefore - bytesAfter) }

    public init(bytesBefore: Int64, bytesAfter: Int64, complete: Bool) {
        self.bytesBefore = bytesBefore
        self.bytesAfter = bytesAfter
        self.complete = complete
    }
}

/// A store as the command line and the browser hold it.
public typealias ManagedStore = CacheStore & StoreAdministration
