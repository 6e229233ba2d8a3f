import Foundation
import SodarCache
import StoreKernel

extension MemoryCacheStore: InStoreHistory {
    public var history: (any ItemHistory)? { self }

    /// Keeps `old`, replaced by a write of other data, as the policy says.
    static func keepVersion(_ state: inout State, _ old: CacheItem, key: Key, replacedAt: Date, keep: Int? = nil) {
        let version = ItemVersion(rev: state.nextRev, replaced: old, at: replacedAt)
        // `keep` given: the kernel has decided by its policy (`InStoreHistory`); else a write's own.
        guard keep != nil || state.historyPolicy.keeps(version) else { return }
        state.nextRev += 1
        state.versions[key, default: []].append(version)
        state.versions[key] = Array(state.versions[key, default: []].suffix(keep ?? state.historyPolicy.versions(of: old.appName)))
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

    /// Keeps `version` and at most `keep` of its item's, as the kernel's policy decided.
    public func keepVersion(_ draft: Draft, _ version: ItemVersion, keep: Int) throws {
        Self.keepVersion(
            &draft.state, version.item, key: Key(project: version.project, app: version.appName, name: version.name),
            replacedAt: version.replacedAt, keep: keep)
    }

    public func historyPolicy() throws -> HistoryPolicy {
        shared.state.withLock { $0.historyPolicy }
    }

    public func replaceHistoryPolicy(_ draft: Draft, _ policy: HistoryPolicy) throws {
        draft.state.historyPolicy = policy
        for (key, kept) in draft.state.versions { draft.state.versions[key] = Array(kept.suffix(policy.versions(of: key.app))) }
    }
}
