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

    /// Makes `policy` the store's, when it differs (versions beyond the new count go).
    /// - Returns: whether anything changed.
    @discardableResult
    func applyHistoryPolicy(_ policy: HistoryPolicy) throws -> Bool

    /// Whether every write of the store's items is seen (false on a SODAR site: only
    /// sodarcache's own writes, deletes and syncs keep versions there).
    var seesEveryWriter: Bool { get }
}

extension ItemHistory {
    public var seesEveryWriter: Bool { true }
}
