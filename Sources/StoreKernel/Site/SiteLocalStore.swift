import Foundation
import SodarCache

/// The local store beside a site whose schema must not change: how to open it for changes and
/// for reads, and the instances opened. A site keeps in it what its own tables cannot hold
/// (the trash, the history of its items, the audit trail).
public final class SiteLocalStore: Sendable {
    /// Opens the local store for changes (created or upgraded as needed); called once, on the
    /// first change that records there.
    let open: (@Sendable () throws -> any LocalTrashStore)?
    /// Opens it read-only, as it is (never created or upgraded: a read writes nothing); nil
    /// from it when it does not exist yet. Without it, reads open it as `open` does.
    let openForReading: (@Sendable () throws -> (any LocalTrashStore)?)?
    /// The store opened for changes, once reconciled with the site.
    let opened = Locked<(any LocalTrashStore)?>(nil)
    /// The store opened read-only for a read.
    let read = Locked<(any LocalTrashStore)?>(nil)

    /// - Parameters:
    ///   - open: opens it for changes; nil: this site has no local store.
    ///   - openForReading: opens it read-only as it is.
    public init(
        open: (@Sendable () throws -> any LocalTrashStore)?,
        openForReading: (@Sendable () throws -> (any LocalTrashStore)?)?
    ) {
        self.open = open
        self.openForReading = openForReading
    }

    /// Whether the site has a local store at all.
    public var isConfigured: Bool { open != nil }

    /// The store a change of this instance opened, if one did.
    public var openedForChanges: (any LocalTrashStore)? { opened.withLock { $0 } }
}
