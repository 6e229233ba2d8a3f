import Foundation
import SodarCache

/// The history of a site: the versions sodarcache's own writes, deletes and syncs replaced on
/// its tables, kept in the local store. The site's other writers replace versions it never
/// sees (`seesEveryWriter` is false).
public struct SiteHistory<Engine: SiteEngine>: ItemHistory {
    let engine: Engine

    public init(_ engine: Engine) { self.engine = engine }

    private func local() throws -> any LocalTrashStore {
        try engine.localStore(orElse: "This SODAR site has no local store, where its history would be kept")
    }

    // Reads: from the local store as it is (a read creates or upgrades nothing); none yet
    // holds no versions, and its policy is the default.
    public func versions(appName: String, name: String, project: UUID?) throws -> [ItemVersion] {
        try engine.localStoreForReading()?.siteVersions(appName: appName, name: name, project: project) ?? []
    }

    public func version(rev: Int64) throws -> ItemVersion? { try engine.localStoreForReading()?.siteVersion(rev: rev) }
    public func historyPolicy() throws -> HistoryPolicy { try engine.localStoreForReading()?.historyPolicy() ?? .standard }

    public func storeHistoryPolicy(_ policy: HistoryPolicy) throws { try local().applySiteHistoryPolicy(policy) }

    @discardableResult
    public func keepVersions(_ versions: [ItemVersion]) throws -> Int {
        let local = try local()
        return try local.keepSiteVersions(notYetKept(versions, policy: local.historyPolicy()), transaction: nil)
    }

    public var seesEveryWriter: Bool { false }
}
