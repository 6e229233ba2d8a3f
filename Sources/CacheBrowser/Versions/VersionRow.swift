import Foundation

/// One row of an item's version list (`H`).
public struct VersionRow: Sendable, Hashable {
    public var ref: VersionRef
    /// When this version was written, and by whom.
    public var written: Date
    public var user: String?
    /// Payload bytes.
    public var size: Int
    /// When it stopped being the item: replaced by a write (a revision) or deleted (a trashed
    /// copy); nil for the current version. The list is newest first by it.
    public var ended: Date?
    /// For a trashed copy: who deleted it (OS user, and the database role where there is one)
    /// and with which command.
    public var deletedBy: String?
    public var command: String?

    public init(
        ref: VersionRef, written: Date, user: String?, size: Int, ended: Date? = nil, deletedBy: String? = nil,
        command: String? = nil
    ) {
        self.ref = ref
        self.written = written
        self.user = user
        self.size = size
        self.ended = ended
        self.deletedBy = deletedBy
        self.command = command
    }
}
