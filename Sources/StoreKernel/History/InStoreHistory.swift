import Foundation
import SodarCache

/// A history kept in the store itself (sodarcache's own stores), a batch of versions written in
/// one write transaction of the store's own. The engine gives the steps on one transaction (its
/// SQL); which versions are kept, and how many of an item's, is decided here, once.
public protocol InStoreHistory: ItemHistory {
    /// The engine's handle on one write transaction.
    associatedtype Transaction

    /// One write transaction; `audit` says what it changed, recorded in the same transaction.
    func writeTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (Transaction) throws -> T) throws -> T

    /// Keeps `version` as its item's newest, then drops that item's versions beyond the newest `keep`.
    func keepVersion(_ transaction: Transaction, _ version: ItemVersion, keep: Int) throws

    /// Makes `policy`'s rows (`HistoryPolicy.settings`) the store's, and drops the versions
    /// beyond its counts.
    func replaceHistoryPolicy(_ transaction: Transaction, _ policy: HistoryPolicy) throws
}

extension InStoreHistory {
    @discardableResult
    public func keepVersions(_ versions: [ItemVersion]) throws -> Int {
        let policy = try historyPolicy()
        let kept = try notYetKept(versions, policy: policy)
        if kept.isEmpty { return 0 }
        try writeTransaction(audit: nil) { transaction in
            for version in kept { try keepVersion(transaction, version, keep: policy.versions(of: version.appName)) }
        }
        return kept.count
    }

    public func storeHistoryPolicy(_ policy: HistoryPolicy) throws {
        try writeTransaction(audit: { _ in .history(policy) }) { transaction in try replaceHistoryPolicy(transaction, policy) }
    }
}
