import Foundation
import SodarCache

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

    /// What this session may do: read always; delete and write as the engine allows.
    var capabilities: StoreCapabilities { get }

    /// What an item's age is on this store: its last write, or (on SODAR's tables, which never
    /// move `date_modified` on a rewrite) its creation, or its last commit time.
    var itemAges: ItemAges { get }

    /// On a SODAR site, the apps SODAR has installed (never orphans), each with the plugin
    /// registry path that covers it; nil where the store has no registry.
    func installedApps() throws -> [String: String]?

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

extension StoreAdministration {
    /// Everything, unless the engine says otherwise.
    public var capabilities: StoreCapabilities { .full }

    /// Every write moves the update time, unless the engine says otherwise.
    public var itemAges: ItemAges { .lastWrite }

    /// No registry, unless the engine has one.
    public func installedApps() throws -> [String: String]? { nil }
}
