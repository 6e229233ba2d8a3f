import Foundation
import SodarCache

/// An engine that keeps its trash in the store itself, each delete's copies written in the
/// delete's own transaction (sodarcache's own stores). The engine gives the steps on one
/// transaction (its SQL); when they run, what this handle's session remembers and what the
/// audit trail names are decided here, once.
public protocol InStoreTrash: TrashKeeping {
    /// The engine's handle on one write transaction.
    associatedtype Transaction
    /// A restore's reads and writes on one transaction.
    associatedtype RestoreSteps: TrashRestoreSteps

    /// What deletes keep, and who they are recorded as made by.
    var changes: ChangePolicy { get }

    /// The time a delete is recorded at.
    var clock: @Sendable () -> Date { get }

    /// The entries this handle's deletes made, oldest first (`deletesThisSession`).
    var sessionDeletes: Locked<[Int64]> { get }

    /// One write transaction; `audit` says what it changed, recorded in the same transaction.
    func writeTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (Transaction) throws -> T) throws -> T

    /// The transaction of a delete, a restore or a purge, which an engine may hold apart from
    /// ordinary writes (default: `writeTransaction`).
    func trashTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (Transaction) throws -> T) throws -> T

    /// Runs a delete's body while `entry` is open (default: as it is), for an engine whose
    /// deletes need to know their entry.
    func keepingUnder<T>(_ entry: Int64, _ body: () throws -> T) rethrows -> T

    /// Readies `entries` for a restore in its transaction, before any step (default: nothing).
    func readyRestore(_ transaction: Transaction, entries: [Int64]) throws

    /// Opens a delete's entry, made `at` by `attribution`, before its rows go: what is deleted
    /// in the transaction from then on is kept under it.
    /// - Returns: the entry's id.
    func openTrashEntry(_ transaction: Transaction, at: Date, by attribution: ChangeAttribution) throws -> Int64

    /// Closes a delete's entry after its rows went: nothing more is kept under it; it is
    /// counted, or dropped when it keeps nothing.
    /// - Returns: whether it is kept.
    func closeTrashEntry(_ transaction: Transaction, _ entry: Int64) throws -> Bool

    /// Purges deletes made before `before`, then the oldest past `maxBytes` (the rules of
    /// `TrashPolicy.doomed`).
    /// - Returns: how many deletes and items went.
    @discardableResult
    func trimTrash(_ transaction: Transaction, before: Date, maxBytes: Int64) throws -> (entries: Int, items: Int)

    /// The steps of a restore in `transaction` (`TrashRestore` decides).
    func restoreSteps(_ transaction: Transaction) -> RestoreSteps
}

extension InStoreTrash {
    public var deletesThisSession: [Int64] { sessionDeletes.withLock { $0 } }

    public func trashTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (Transaction) throws -> T) throws -> T {
        try writeTransaction(audit: audit, body)
    }

    public func keepingUnder<T>(_ entry: Int64, _ body: () throws -> T) rethrows -> T { try body() }

    public func readyRestore(_ transaction: Transaction, entries: [Int64]) throws {}

    /// A write transaction for a delete: with the trash on, the delete's entry is opened first,
    /// then counted (or dropped, when nothing was deleted) and the trash trimmed to the policy
    /// before the commit. All of it lands with the delete, or none of it.
    package func deleteTransaction<T>(audit: ((T) -> AuditNote)? = nil, _ body: (Transaction) throws -> T) throws -> T {
        let policy = changes.trash
        guard policy.enabled else { return try trashTransaction(audit: audit, body) }
        let now = clock()
        var kept: Int64?
        let result = try trashTransaction(audit: audit.map { note in { note($0).kept(in: kept) } }) { transaction -> T in
            let entry = try openTrashEntry(transaction, at: now, by: changes.attribution)
            let result = try keepingUnder(entry) { try body(transaction) }
            kept = try closeTrashEntry(transaction, entry) ? entry : nil
            try trimTrash(transaction, before: policy.purgeBefore(now), maxBytes: policy.maxBytes)
            return result
        }
        if let kept { sessionDeletes.withLock { $0.append(kept) } }
        return result
    }

    /// The deletes' items put back in one transaction; entries the restore emptied leave
    /// this session's undo.
    public func restore(entries: [Int64]) throws -> RestoreReport {
        let (report, emptied) = try trashTransaction(audit: { .restored($0.report, entries: entries) }) { transaction -> (report: RestoreReport, emptied: Set<Int64>) in
            try readyRestore(transaction, entries: entries)
            return try TrashRestore.run(entries, restoreSteps(transaction))
        }
        sessionDeletes.withLock { $0.removeAll { emptied.contains($0) } }
        return report
    }

    /// By age only: the size cap is the deletes' to apply (a purge takes what it was asked about).
    @discardableResult
    public func purgeTrash(before: Date?) throws -> (entries: Int, items: Int) {
        try trashTransaction(audit: { .purged($0) }) { transaction in
            try trimTrash(transaction, before: before ?? .distantFuture, maxBytes: .max)
        }
    }
}
