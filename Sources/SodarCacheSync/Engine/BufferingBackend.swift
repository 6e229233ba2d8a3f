import Foundation
import SodarCache
import StoreKernel

/// The backend a plugin sees during one sync unit: writes are kept until the unit succeeds and
/// then land in one `setCacheItems` transaction; reads see the unit's own writes first.
///
/// Deletes are deferred as well and land with the writes, in the same transaction
/// (`commitBatch`).
final class BufferingBackend: CacheBackend, Sendable {
    /// Names by their bytes, as the store keeps them apart.
    private typealias Key = ItemKey

    private enum Delete {
        case all(app: String?, project: UUID?)
        case one(Key)
    }

    private struct State {
        var writes: [CacheWrite] = []
        var index: [Key: Int] = [:]
        var deletes: [Delete] = []
        var deletedKeys: Set<Key> = []
    }

    private let base: any CacheBackend
    private let state = Locked(State())

    init(base: any CacheBackend) {
        self.base = base
    }

    /// Lands the unit's deletes and then its writes in one transaction.
    /// - Returns: the number of items written.
    func commit() throws -> Int {
        let (deletions, writes) = pending()
        guard !writes.isEmpty || !deletions.isEmpty else { return 0 }
        return try base.commitBatch(deleting: deletions, writing: writes)
    }

    /// `commit()`, reading first the payloads of `reading` as they stand: in the same
    /// transaction on a store engine, else just before it.
    /// - Returns: the number of items written, and the payloads read.
    func commit(reading: [ItemScope]) throws -> (written: Int, before: [StoredPayload]) {
        let (deletions, writes) = pending()
        if let engine = base as? any StoreEngine {
            return try engine.commitBatch(deleting: deletions, writing: writes, reading: reading)
        }
        let before = try Self.payloads(in: reading, of: base)
        guard !writes.isEmpty || !deletions.isEmpty else { return (0, before) }
        return (try base.commitBatch(deleting: deletions, writing: writes), before)
    }

    /// What `commit()` would land: the deletes, then the writes (one per item, the last).
    func pending() -> (deletions: [CacheDeletion], writes: [CacheWrite]) {
        let (writes, deletes) = state.withLock { ($0.writes, $0.deletes) }
        let deletions = deletes.map { delete -> CacheDeletion in
            switch delete {
            case .all(let app, let project): return .all(appName: app, project: project)
            case .one(let key): return .item(appName: key.app, name: key.name, project: key.project)
            }
        }
        return (deletions, writes)
    }

    /// The payloads of `scopes` as the store holds them now (what a dry run compares with).
    func storedPayloads(in scopes: [ItemScope]) throws -> [StoredPayload] {
        try Self.payloads(in: scopes, of: base)
    }

    /// Through the engine's own read where there is one, else from each project's items.
    private static func payloads(in scopes: [ItemScope], of store: any CacheBackend) throws -> [StoredPayload] {
        if let engine = store as? any StoreEngine { return try engine.payloads(in: scopes) }
        var found: [StoredPayload] = []
        for (project, apps) in Dictionary(grouping: Set(scopes), by: \.project) {
            let wanted = Set(apps.map(\.app))
            for item in try store.getProjectCache(project: project, dataType: "json") where wanted.contains(item.appName) {
                found.append(StoredPayload(project: project, app: item.appName, name: item.name, data: item.data))
            }
        }
        return found
    }

    // MARK: - CacheBackend

    func setCacheItem(
        appName: String, name: String, data: Data, dataType: String, project: UUID?, user: User?
    ) throws -> CacheItem {
        let write = CacheWrite(appName: appName, name: name, data: data, dataType: dataType, project: project, user: user)
        try check(write)
        let previous = try? getCacheItem(appName: appName, name: name, project: project)
        add([write])
        return CacheItem(
            uuid: previous?.uuid ?? UUID(), project: project, appName: appName, name: name,
            user: user ?? previous?.user, data: data, dateModified: Date())
    }

    func setCacheItems(_ writes: [CacheWrite]) throws -> Int {
        for write in writes { try check(write) }
        add(writes)
        return writes.count
    }

    /// A plugin's own batch joins the unit's: its deletes and writes are checked, then kept,
    /// and land with everything else the unit did (or not at all).
    func commitBatch(deleting: [CacheDeletion], writing: [CacheWrite]) throws -> Int {
        for write in writing { try check(write) }
        for deletion in deleting {
            switch deletion {
            case .all(let app, let project): _ = try deleteCache(appName: app, project: project)
            case .item(let app, let name, let project): try deleteCacheItem(appName: app, name: name, project: project)
            }
        }
        add(writing)
        return writing.count
    }

    func getCacheItem(appName: String, name: String, project: UUID?) throws -> CacheItem? {
        let key = Key(project: project, app: appName, name: name)
        let (buffered, deleted) = state.withLock { state in
            (state.index[key].map { state.writes[$0] }, state.deletedKeys.contains(key) || Self.matchesDeleteAll(state.deletes, key))
        }
        let stored = try base.getCacheItem(appName: appName, name: name, project: project)
        if let buffered {
            return CacheItem(
                uuid: stored?.uuid ?? UUID(), project: project, appName: appName, name: name,
                user: buffered.user ?? stored?.user, data: buffered.data, dateModified: Date())
        }
        return deleted ? nil : stored
    }

    func getUpdateTime(appName: String, name: String, project: UUID?) throws -> Double? {
        try getCacheItem(appName: appName, name: name, project: project)?.dateModified.timeIntervalSince1970
    }

    func getProjectCache(project: UUID?, dataType: String) throws -> [CacheItem] {
        var items = try base.getProjectCache(project: project, dataType: dataType)
        let (writes, deletes, deletedKeys) = state.withLock { ($0.writes, $0.deletes, $0.deletedKeys) }
        items.removeAll { item in
            let key = Key(project: item.project, app: item.appName, name: item.name)
            return deletedKeys.contains(key) || Self.matchesDeleteAll(deletes, key)
        }
        for write in writes where write.project == project {
            let item = CacheItem(
                uuid: UUID(), project: project, appName: write.appName, name: write.name, user: write.user,
                data: write.data, dateModified: Date())
            let key = Key(project: project, app: write.appName, name: write.name)
            if let at = items.firstIndex(where: { Key(project: project, app: $0.appName, name: $0.name) == key }) {
                items[at].data = write.data
                items[at].dateModified = item.dateModified
                if let user = write.user { items[at].user = user }
            } else {
                items.append(item)
            }
        }
        return items.sorted { Key(project: nil, app: $0.appName, name: $0.name) < Key(project: nil, app: $1.appName, name: $1.name) }
    }

    func deleteCache(appName: String?, project: UUID?) throws -> Int {
        // Counts what the unit can see: its own pending writes, and the stored items of the
        // project when one is given.
        let stored = try project.map { try base.getProjectCache(project: $0, dataType: "json") }?
            .filter { appName == nil || $0.appName == appName }.count ?? 0
        let dropped = state.withLock { state -> Int in
            let before = state.writes.count
            state.writes.removeAll { (appName == nil || $0.appName == appName) && (project == nil || $0.project == project) }
            Self.reindex(&state)
            state.deletes.append(.all(app: appName, project: project))
            return before - state.writes.count
        }
        return max(stored, dropped)
    }

    func deleteCacheItem(appName: String, name: String, project: UUID?) throws {
        let key = Key(project: project, app: appName, name: name)
        state.withLock { state in
            if let at = state.index[key] {
                state.writes.remove(at: at)
                Self.reindex(&state)
            }
            state.deletedKeys.insert(key)
            state.deletes.append(.one(key))
        }
    }

    // MARK: - Private

    /// The checks the store would make, so the plugin hears of a bad write at once.
    private func check(_ write: CacheWrite) throws {
        try CacheWriteRules.checkContent(name: write.name, dataType: write.dataType, data: write.data)
    }

    private func add(_ writes: [CacheWrite]) {
        state.withLock { state in
            for write in writes {
                let key = Key(project: write.project, app: write.appName, name: write.name)
                state.deletedKeys.remove(key)
                if let at = state.index[key] {
                    var merged = write
                    if merged.user == nil { merged.user = state.writes[at].user }
                    state.writes[at] = merged
                } else {
                    state.index[key] = state.writes.count
                    state.writes.append(write)
                }
            }
        }
    }

    private static func reindex(_ state: inout State) {
        state.index = [:]
        for (i, write) in state.writes.enumerated() {
            state.index[Key(project: write.project, app: write.appName, name: write.name)] = i
        }
    }

    private static func matchesDeleteAll(_ deletes: [Delete], _ key: Key) -> Bool {
        deletes.contains { delete in
            if case .all(let app, let project) = delete {
                return (app == nil || app == key.app) && (project == nil || project == key.project)
            }
            return false
        }
    }
}
