import Foundation

/// The earlier versions of items that a store keeps: an overwrite whose payload differs keeps
/// the one it replaced, in the write's own transaction (a rewrite of identical data keeps
/// nothing: SODAR rewrites every item on every sync).
public protocol ItemHistory: Sendable {
    /// An item's kept versions, newest first, without payloads.
    func versions(appName: String, name: String, project: UUID?) throws -> [ItemVersion]

    /// One version, with its payload.
    func version(rev: Int64) throws -> ItemVersion?

    /// The policy the store applies now (it is kept in the store: every host writing it keeps
    /// the same history).
    func historyPolicy() throws -> HistoryPolicy

    /// Stores `policy` as the store's and drops the versions beyond its counts, in one
    /// transaction (the engine's primitive; callers use `applyHistoryPolicy`).
    func storeHistoryPolicy(_ policy: HistoryPolicy) throws

    /// Keeps versions a writer the store does not see replaced (a sync's command that writes
    /// the cache itself, such as SODAR's `synccache`), as the policy says (an app's count, the
    /// size cap); each `replacedAt` is when the run ended. A version the store kept already
    /// (the same item UUID and update time as its newest) is not kept twice.
    /// - Returns: how many were kept.
    @discardableResult
    func keepVersions(_ versions: [ItemVersion]) throws -> Int

    /// Whether every write of the store's items is seen (false on a SODAR site: only
    /// sodarcache's own writes, deletes and syncs keep versions there).
    var seesEveryWriter: Bool { get }
}

extension ItemHistory {
    public var seesEveryWriter: Bool { true }

    /// Makes `policy` the store's, when it differs (versions beyond the new count go).
    /// - Returns: whether anything changed.
    @discardableResult
    public func applyHistoryPolicy(_ policy: HistoryPolicy) throws -> Bool {
        if try historyPolicy() == policy { return false }
        try storeHistoryPolicy(policy)
        return true
    }

    /// `versions` without those the store keeps already (its newest version of the item has
    /// the same UUID and update time) and without those the policy keeps none of.
    public func notYetKept(_ versions: [ItemVersion], policy: HistoryPolicy) throws -> [ItemVersion] {
        try versions.filter { version in
            guard policy.keeps(version) else { return false }
            guard let newest = try self.versions(appName: version.appName, name: version.name, project: version.project).first else {
                return true
            }
            return !(newest.uuid == version.uuid && newest.dateModified == version.dateModified)
        }
    }
}
