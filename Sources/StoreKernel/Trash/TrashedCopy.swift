import Foundation
import SodarCache

/// One item's copy kept by a delete, without its payload: what the browser's version list
/// shows of it (`TrashKeeping.trashedCopies`).
public struct TrashedCopy: Sendable, Hashable {
    /// The delete that kept it (`sodarcache trash` lists it under this id).
    public var entry: Int64
    public var deletedAt: Date
    /// Who deleted it: the OS user, and the database role where the store has roles.
    public var osUser: String
    public var role: String?
    /// The command that deleted it.
    public var command: String
    public var uuid: UUID
    /// Who last wrote it before the delete, and when.
    public var user: User?
    public var dateModified: Date
    /// Its payload's bytes.
    public var size: Int

    public init(
        entry: Int64, deletedAt: Date, osUser: String, role: String?, command: String, uuid: UUID, user: User?,
        dateModified: Date, size: Int
    ) {
        self.entry = entry
        self.deletedAt = deletedAt
        self.osUser = osUser
        self.role = role
        self.command = command
        self.uuid = uuid
        self.user = user
        self.dateModified = dateModified
        self.size = size
    }
}
