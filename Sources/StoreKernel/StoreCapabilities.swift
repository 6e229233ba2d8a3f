import Foundation
import SodarCache

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
    /// Why the session may not add, change or delete projects (`project add/set/import/delete`)
    /// though it may write items, if it may not: a role with grants on the item table alone.
    public var whyNotChangeProjects: String?

    public init(
        role: String? = nil, canDelete: Bool, canWrite: Bool, whyNotDelete: String? = nil, whyNotWrite: String? = nil,
        whyNotChangeProjects: String? = nil
    ) {
        self.role = role
        self.canDelete = canDelete
        self.canWrite = canWrite
        self.whyNotDelete = canDelete ? nil : (whyNotDelete ?? "not allowed")
        self.whyNotWrite = canWrite ? nil : (whyNotWrite ?? "not allowed")
        self.whyNotChangeProjects = whyNotChangeProjects
    }

    /// Everything.
    public static let full = StoreCapabilities(canDelete: true, canWrite: true)

    /// Nothing but reads, for one reason.
    public static func readOnly(_ reason: String, role: String? = nil) -> StoreCapabilities {
        StoreCapabilities(role: role, canDelete: false, canWrite: false, whyNotDelete: reason, whyNotWrite: reason)
    }

    /// The same, with nothing beyond reads when `readOnly` (`--read-only`).
    public func limited(readOnly: Bool) -> StoreCapabilities {
        // (A read-only session changes no project either: `readOnly` gives its own reason.)
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
