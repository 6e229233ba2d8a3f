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

/// What the times of a store's items mean.
public enum ItemAges: String, Sendable, Hashable {
    /// Every write moves the update time (sodarcache's own stores).
    case lastWrite = "last_write"
    /// SODAR's tables without commit timestamps: `date_modified` is set when an item is
    /// created and never moved by a rewrite.
    case creation
    /// SODAR's tables with `track_commit_timestamp = on`: the commit time of the row's last
    /// write; rows written before the server kept them show their creation time.
    case commitTime = "commit_time"

    /// For messages and help: "last written", "created", "last written (commit time)".
    public var phrase: String {
        switch self {
        case .lastWrite: return "last written"
        case .creation: return "created"
        case .commitTime: return "last written (commit time)"
        }
    }

    /// Whether deleting by age deletes by the last write.
    public var knowsLastWrite: Bool { self != .creation }
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

/// What the session may do with a store, as the server (or the file system, or `--read-only`)
/// allows it: the browser and the commands offer exactly that, and say why not.
public struct StoreCapabilities: Sendable, Hashable {
    /// The database role, where there is one.
    public var role: String?
    public var canDelete: Bool
    /// Write (set, sync, import): on a SODAR site INSERT and UPDATE on its item table.
    public var canWrite: Bool
    /// Why not, one phrase each ("role reader has no DELETE on public.sodarcache_jsoncacheitem").
    public var whyNotDelete: String?
    public var whyNotWrite: String?

    public init(role: String? = nil, canDelete: Bool, canWrite: Bool, whyNotDelete: String? = nil, whyNotWrite: String? = nil) {
        self.role = role
        self.canDelete = canDelete
        self.canWrite = canWrite
        self.whyNotDelete = canDelete ? nil : (whyNotDelete ?? "not allowed")
        self.whyNotWrite = canWrite ? nil : (whyNotWrite ?? "not allowed")
    }

    /// Everything.
    public static let full = StoreCapabilities(canDelete: true, canWrite: true)

    /// Nothing but reads, for one reason.
    public static func readOnly(_ reason: String, role: String? = nil) -> StoreCapabilities {
        StoreCapabilities(role: role, canDelete: false, canWrite: false, whyNotDelete: reason, whyNotWrite: reason)
    }

    /// The same, with nothing beyond reads when `readOnly` (`--read-only`).
    public func limited(readOnly: Bool) -> StoreCapabilities {
        readOnly ? .readOnly("opened with --read-only", role: role) : self
    }

    /// "read, delete, write", "read, delete", "read only".
    public var summary: String {
        if canWrite && canDelete { return "read, delete, write" }
        if canDelete { return "read, delete" }
        if canWrite { return "read, write" }
        return "read only"
    }
}

extension StoreAdministration {
    /// Everything, unless the engine says otherwise.
    public var capabilities: StoreCapabilities { .full }

    /// Every write moves the update time, unless the engine says otherwise.
    public var itemAges: ItemAges { .lastWrite }

    /// No registry, unless the engine has one.
    public func installedApps() throws -> [String: String]? { nil }
}
