import Foundation
import Logging
import SodarCache

/// An engine over a site whose schema must not change (a SODAR site's tables), beside a local
/// store of sodarcache's own for what that schema cannot hold: the trash of its deletes, the
/// versions its writes replace, the audit trail. The engine gives the site's primitives (its
/// SQL); how a change is kept in two places, and reconciled after a crash between them, is
/// written here, once.
///
/// A change runs in two places, so it is kept in two steps: what it deletes and replaces is
/// written to the local store as pending under the site's transaction id before that
/// transaction commits; settled once it has committed, dropped if it rolled back. A crash
/// between the two leaves it pending, and the next open settles or drops it by asking the site
/// what became of that transaction.
public protocol SiteEngine: AnyObject, Sendable {
    /// The engine's handle on one write transaction.
    associatedtype Transaction

    /// The local store beside the site.
    var siteLocal: SiteLocalStore { get }

    /// What deletes keep, and who changes are recorded as made by.
    var changes: ChangePolicy { get }

    /// The time changes are recorded at.
    var clock: @Sendable () -> Date { get }

    /// What the session may do on the site.
    var capabilities: StoreCapabilities { get }

    /// Where warnings go (a change committed on the site that the local store could not settle).
    var logger: Logger { get }

    /// One write transaction on the site; `audit` says what it changed, recorded in the local
    /// store once it committed.
    func writeTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (Transaction) throws -> T) throws -> T

    /// Inside a write transaction: its id on the site (what `siteTransactionOutcome` is asked
    /// about later) and the role it runs as.
    func siteTransaction(_ transaction: Transaction) throws -> (id: Int64, role: String?)

    /// What became of the site's transaction `id`, as the site tells it.
    func siteTransactionOutcome(_ id: Int64) throws -> SiteTransactionOutcome

    /// Whether any of these items is on the site (a transaction too old for the site to know
    /// committed when none is).
    func siteHolds(anyOf uuids: [UUID]) throws -> Bool

    /// Puts trashed items back on the site's tables as they were, in one transaction, never
    /// over an item written since (`TrashRestore.decide`'s rules).
    /// - Returns: the items skipped and why (the others were put back).
    func restoreSiteRows(_ items: [TrashedItem], entries: [Int64]) throws -> [RestoreReport.Skipped]
}

extension SiteEngine {
    // MARK: - The local store

    /// The local store, opened (and its pending changes reconciled with the site) on first
    /// use; nil when the site has none. Opened once, under the lock: two lanes (a sync's jobs,
    /// the browser's delete beside a sync) that open it at once would each migrate and
    /// reconcile the file, and the instance kept last would lose the others' record of this
    /// session's deletes.
    public func localStore() throws -> (any LocalTrashStore)? {
        guard let open = siteLocal.open else { return nil }
        return try siteLocal.opened.withLock { kept in
            if let kept { return kept }
            let local = try open()
            try reconcile(local)
            try reconcileVersions(local)
            kept = local
            return local
        }
    }

    /// The local store, for a change that cannot go without it.
    /// - Throws: `CacheError.invalidArgument` saying `missing` (why there is none) when there is none.
    public func localStore(orElse missing: String) throws -> any LocalTrashStore {
        guard let local = try localStore() else { throw CacheError.invalidArgument(missing) }
        return local
    }

    /// The local store for a read (a trash listing, the audit trail): the one a change of this
    /// instance opened, else the file opened read-only as it is, neither created, upgraded nor
    /// reconciled (a read writes nothing). nil when there is none yet: nothing kept.
    public func localStoreForReading() throws -> (any LocalTrashStore)? {
        if let kept = siteLocal.openedForChanges { return kept }
        guard siteLocal.isConfigured else { return nil }
        guard let open = siteLocal.openForReading else { return try localStore() }
        if let kept = siteLocal.read.withLock({ $0 }) { return kept }
        // Not kept while there is no file: a later read finds the one another process made.
        guard let local = try open() else { return nil }
        siteLocal.read.withLock { $0 = local }
        return local
    }

    /// Settles the local store's pending deletes whose transaction committed, drops those that
    /// rolled back.
    @discardableResult
    public func reconcile(_ local: any LocalTrashStore) throws -> (settled: Int, dropped: Int) {
        if try local.pendingEntries().isEmpty { return (0, 0) }
        return try local.reconcile(outcome: siteTransactionOutcome, present: siteHolds(anyOf:))
    }

    /// Settles the local store's pending versions whose transaction committed (or is too old
    /// to know), drops those that rolled back.
    @discardableResult
    public func reconcileVersions(_ local: any LocalTrashStore) throws -> (settled: Int, dropped: Int) {
        if try local.pendingSiteVersionTransactions().isEmpty { return (0, 0) }
        return try local.reconcileSiteVersions(outcome: siteTransactionOutcome)
    }

    // MARK: - Changes kept in two places

    /// The site's history policy, when it keeps any versions at all.
    public func siteHistoryPolicy(_ local: any LocalTrashStore) throws -> HistoryPolicy? {
        let policy = try local.historyPolicy()
        return policy.versions > 0 || policy.perApp.values.contains { $0 > 0 } ? policy : nil
    }

    /// The local store, when the session may write and the site's history keeps versions. A
    /// local store that cannot be opened does not stop a write (it never needed one): the
    /// write keeps no version, and says so in the log.
    public func siteHistoryStore() -> (any LocalTrashStore)? {
        guard siteLocal.isConfigured, capabilities.whyNotWrite == nil else { return nil }
        do {
            guard let local = try localStore(), try siteHistoryPolicy(local) != nil else { return nil }
            return local
        } catch {
            logger.warning("The site's local store cannot be read, so this write keeps no version: \(error)")
            return nil
        }
    }

    /// A change that keeps, in the local store, what it deletes (the trash, when on) and the
    /// versions it replaces (the site's history, when on). The engine's deletes hand the rows
    /// they take to the change, and its writes the rows they replace, read first. Before the
    /// commit both are written to the local store as pending under the site transaction's id,
    /// settled after it. A failed commit is settled or dropped by asking the site what became
    /// of the transaction (or at the next open, if the site is gone). `body` gets the change to
    /// collect into; nil when neither the trash nor the history is on.
    public func siteChangeTransaction<T>(
        _ local: any LocalTrashStore, audit: ((T) -> AuditNote)?, _ body: (Transaction, SiteChange?) throws -> T
    ) throws -> T {
        let keepsTrash = changes.trash.enabled
        let history = try siteHistoryPolicy(local)
        guard keepsTrash || history != nil else { return try writeTransaction(audit: audit) { try body($0, nil) } }
        var pending: Int64?
        var pendingVersions: Int64?
        do {
            let result = try writeTransaction(audit: audit.map { note in { note($0).kept(in: pending) } }) { transaction -> T in
                // A delete larger than the trash keeps is not copied to the local store only to
                // be purged at once (the CLI asks first, and deletes it with the trash off).
                let change = SiteChange(keepingVersions: history != nil, maxBytes: keepsTrash ? changes.trash.maxBytes : .max)
                let result = try body(transaction, change)
                let trashed = keepsTrash ? change.deleted : []
                let versions = change.versions?.versions(deleted: change.deleted, at: clock()) ?? []
                if !trashed.isEmpty || !versions.isEmpty {
                    let site = try siteTransaction(transaction)
                    if !trashed.isEmpty {
                        pending = try local.keepPending(
                            trashed, attribution: changes.attribution, role: site.role, at: clock(), transaction: site.id)
                    }
                    if try local.keepSiteVersions(versions, transaction: site.id) > 0 { pendingVersions = site.id }
                }
                return result
            }
            // Committed on the site: the change happened, whatever the local store does now. A
            // settle that fails (a busy or full disk) leaves it pending, and the next open
            // settles it by asking the site about its transaction.
            if let pending {
                do { try local.settle(pending, thisSession: true) } catch {
                    logger.warning("The delete committed; its trash entry stays pending until the next change settles it: \(error)")
                }
            }
            if let pendingVersions {
                do { try local.settleSiteVersions(transaction: pendingVersions) } catch {
                    logger.warning("The change committed; the versions it replaced stay pending until the next change settles them: \(error)")
                }
            }
            return result
        } catch {
            if pending != nil { _ = try? reconcile(local) }
            if pendingVersions != nil { _ = try? reconcileVersions(local) }
            throw error
        }
    }

    /// A delete's transaction: kept in the local store (its trash and the site's history, either
    /// may be off). With the trash off, a local store that cannot open does not stop the delete.
    public func siteDeleteTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (Transaction, SiteChange?) throws -> T) throws -> T {
        guard let local = changes.trash.enabled ? try localStore() : try? localStore() else {
            return try writeTransaction(audit: audit) { try body($0, nil) }
        }
        return try siteChangeTransaction(local, audit: audit, body)
    }

    /// Records a change committed on the site in the local store's audit trail. A local store
    /// that fails now must not turn the committed change into an error.
    public func recordCommitted(_ note: AuditNote) {
        guard changes.audits else { return }
        try? localStore()?.record(note, role: capabilities.role)
    }
}
