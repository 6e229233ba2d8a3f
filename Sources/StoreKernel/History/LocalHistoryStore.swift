import Foundation

/// The history of a store whose schema must not change (a SODAR site's tables), kept in the
/// site's local store: the versions sodarcache saw before its own writes, deletes and syncs
/// replaced them. SODAR's other writers (its own `synccache`, the web UI) replace versions
/// sodarcache never sees.
///
/// Kept like the trash, in two steps: the versions a site transaction replaces are written
/// here as pending under its transaction id before it commits; settled once it has committed,
/// dropped if it rolled back. A crash between the two is reconciled at the next open.
public protocol LocalHistoryStore: Sendable {
    /// The policy the local store applies to the site's versions.
    func historyPolicy() throws -> HistoryPolicy

    /// Makes `policy` the site's, when it differs (versions beyond the new counts go).
    /// - Returns: whether anything changed.
    @discardableResult
    func applySiteHistoryPolicy(_ policy: HistoryPolicy) throws -> Bool

    /// Keeps the versions the policy keeps (an app's count above 0, a payload within the size
    /// cap): pending under the site's `transaction`, or at once when it is nil (a change already
    /// committed on the site, such as SODAR's own `synccache`).
    /// - Returns: how many were kept.
    @discardableResult
    func keepSiteVersions(_ versions: [ItemVersion], transaction: Int64?) throws -> Int

    /// The site's transaction committed: its versions join the history (the oldest beyond the
    /// policy's count go).
    func settleSiteVersions(transaction: Int64) throws

    /// The site's transaction rolled back: nothing was replaced.
    func dropSiteVersions(transaction: Int64) throws

    /// The site transactions whose versions are still pending.
    func pendingSiteVersionTransactions() throws -> [Int64]

    /// An item's settled versions, newest first, without payloads.
    func siteVersions(appName: String, name: String, project: UUID?) throws -> [ItemVersion]

    /// One settled version, with its payload.
    func siteVersion(rev: Int64) throws -> ItemVersion?
}

extension LocalHistoryStore {
    /// Settles or drops the pending versions of every site transaction that has ended.
    ///
    /// A transaction too old for the site to know is settled: each pending row holds a payload
    /// that was on the site when the transaction started, so keeping it never shows a version
    /// that did not exist (at worst one equal to the current payload).
    /// - Returns: how many transactions were settled and dropped.
    @discardableResult
    public func reconcileSiteVersions(outcome: (Int64) throws -> SiteTransactionOutcome) throws -> (settled: Int, dropped: Int) {
        var settled = 0, dropped = 0
        for transaction in try pendingSiteVersionTransactions() {
            switch try outcome(transaction) {
            case .committed, .unknown:
                try settleSiteVersions(transaction: transaction)
                settled += 1
            case .rolledBack:
                try dropSiteVersions(transaction: transaction)
                dropped += 1
            case .inProgress:
                continue
            }
        }
        return (settled, dropped)
    }
}
