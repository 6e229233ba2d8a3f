import Foundation
import SodarCache

/// An engine whose batch reads, in its own transaction, before its deletes and writes: a sync
/// unit's change report then sees exactly what the unit replaces, and no other writer lands
/// between the read and the writes. The engine gives the batch's transaction with a first step,
/// and the read; the batch's other forms come from this protocol.
public protocol ReadingCommit: StoreEngine {
    /// The engine's handle on the batch's transaction.
    associatedtype Transaction

    /// As `commit(deleting:writing:now:)`, running `first` in the transaction before the
    /// deletes and writes.
    func commit(
        deleting: [CacheDeletion], writing: [CacheWrite], now: Date, first: @escaping (Transaction) throws -> Void
    ) throws -> Int

    /// The payloads of every item in `scopes`, read in a batch's `transaction` before its
    /// writes, so that no other writer's change lands in between (locking the rows read where
    /// the engine must).
    func payloads(in transaction: Transaction, _ scopes: [ItemScope]) throws -> [StoredPayload]
}

extension ReadingCommit {
    public func commit(deleting: [CacheDeletion], writing: [CacheWrite], now: Date) throws -> Int {
        try commit(deleting: deleting, writing: writing, now: now) { _ in }
    }

    public func commit(
        deleting: [CacheDeletion], writing: [CacheWrite], now: Date, reading: [ItemScope]
    ) throws -> (deleted: Int, before: [StoredPayload]) {
        // Written by the transaction's body, read once it returned (one thread throughout).
        let before = Locked<[StoredPayload]>([])
        let deleted = try commit(deleting: deleting, writing: writing, now: now) { transaction in
            let read = try self.payloads(in: transaction, reading)
            before.withLock { $0 = read }
        }
        return (deleted, before.withLock { $0 })
    }
}
