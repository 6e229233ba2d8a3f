import Foundation

/// The trash of a store whose schema must not change (a SODAR site's tables), kept in a store
/// of sodarcache's own on this host: the local store.
///
/// A delete there runs in two places, so it is kept in two steps: its items are written here
/// as pending, tagged with the site's transaction id, before the site's transaction commits;
/// settled once it has committed, dropped if it rolled back. A crash between the two leaves a
/// pending entry, which the next open settles or drops by asking the site what became of that
/// transaction (`reconcile`).
public protocol LocalTrashStore: TrashKeeping, AuditLog, LocalHistoryStore {
    /// Records a change made on the site (its transaction committed), with the site's role.
    func record(_ note: AuditNote, role: String?) throws

    /// Keeps `items` as a delete not yet committed on the site.
    /// - Returns: the entry's id.
    func keepPending(
        _ items: [TrashedItem], attribution: ChangeAttribution, role: String?, at: Date, transaction: Int64
    ) throws -> Int64

    /// The site's transaction committed: the entry is a delete like any other; one of this
    /// session's (`deletesThisSession`) when this process made it now, not at a reconcile.
    func settle(_ entry: Int64, thisSession: Bool) throws

    /// The site's transaction rolled back: nothing was deleted.
    func drop(_ entry: Int64) throws

    /// Entries whose site transaction's outcome is not known yet, with that transaction's id.
    func pendingEntries() throws -> [(entry: Int64, transaction: Int64)]

    /// Takes items a restore put back on the site out of the trash (entries left empty go).
    func removeRestored(_ items: [TrashedItem]) throws
}

/// What became of a site transaction, as the site tells it.
public enum SiteTransactionOutcome: Sendable {
    case committed, rolledBack, inProgress
    /// Too old for the server to know: decided by whether the items are still there.
    case unknown
}

extension LocalTrashStore {
    /// Settles or drops every pending entry whose site transaction has ended.
    /// - Parameters:
    ///   - outcome: what became of a transaction, asked of the site.
    ///   - present: for a transaction too old to know, whether any of these items is still on the site.
    /// - Returns: how many entries were settled and dropped.
    @discardableResult
    public func reconcile(
        outcome: (Int64) throws -> SiteTransactionOutcome, present: ([UUID]) throws -> Bool
    ) throws -> (settled: Int, dropped: Int) {
        var settled = 0, dropped = 0
        for (entry, transaction) in try pendingEntries() {
            var result = try outcome(transaction)
            if case .unknown = result {
                result = try present(trashedItems(entry: entry).map(\.uuid)) ? .rolledBack : .committed
            }
            switch result {
            case .committed:
                try settle(entry, thisSession: false)
                settled += 1
            case .rolledBack:
                try drop(entry)
                dropped += 1
            case .inProgress, .unknown:
                continue
            }
        }
        return (settled, dropped)
    }
}
