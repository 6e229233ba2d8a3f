import Foundation
import SodarCache
import StoreKernel

extension MemoryCacheStore: ItemHistory {
    public var history: (any ItemHistory)? { self }

    /// Keeps `old`, replaced by a write of other data, as the policy says.
    static func keepVersion(_ state: inout State, _ old: CacheItem, key: Key, replacedAt: Date) {
        let version = ItemVersion(rev: state.nextRev, replaced: old, at: replacedAt)
        guard state.historyPolicy.keeps(version) else { return }
        state.nextRev += 1
        state.versions[key, default: []].append(version)
        state.versions[key] = Array(state.versions[key, default: []].suffix(state.historyPolicy.versions(of: old.appName)))
    }

    public func versions(appName: String, name: String, project: UUID?) throws -> [ItemVersion] {
        shared.state.withLock { state in
            (state.versions[Key(project: project, app: appName, name: name)] ?? []).reversed().map { version in
                var listed = version
                listed.data = nil
                return listed
            }
        }
    }

    public func version(rev: Int64) throws -> ItemVersion? {
        shared.state.withLock { state in state.versions.values.lazy.flatMap { $0 }.first { $0.rev == rev } }
    }

    @discardableResult
    public func keepVersions(_ versions: [ItemVersion]) throws -> Int {
        let kept = try notYetKept(versions, policy: historyPolicy())
        if kept.isEmpty { return 0 }
        try write { state in
            for version in kept {
                Self.keepVersion(
                    &state, version.item, key: Key(project: version.project, app: version.appName, name: version.name),
                    replacedAt: version.replacedAt)
            }
        }
        return kept.count
    }

    public func historyPolicy() throws -> HistoryPolicy {
        shared.state.withLock { $0.historyPolicy }
    }

    public func storeHistoryPolicy(_ policy: HistoryPolicy) throws {
        try write(audit: { _ in .history(policy) }) { state in
            state.historyPolicy = policy
            for (key, kept) in state.versions { state.versions[key] = Array(kept.suffix(policy.versions(of: key.app))) }
        }
    }
}
