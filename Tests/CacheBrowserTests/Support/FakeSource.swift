import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheMemory
import StoreKernel

/// The browser tests' store: the in-memory store the store contract checks (so ordering and
/// keyset paging are the real stores'), with what a test needs on top: failures on demand,
/// counts of the page requests, a hook before each read, and a replacement file for `r`.
final class FakeSource: CacheBrowsing, ReopeningSource, Sendable {
    private struct State: Sendable {
        var store: MemoryCacheStore
        /// The store's change token once the fixture was in: tokens count from 0 after it.
        var base = 0
        var failure: CacheError?
        var pageRequests = 0
        var largestLimit = 0
        var reverseRequests = 0
        var replacement: (projects: [Project], items: [CacheItem])?
        var beforeRead: (@Sendable () -> Void)?
        /// Project pages come as a large SODAR table's do before its count: bytes unknown.
        var bytesUnknown = false
        /// What `standbyStatus()` answers (a hot standby's lag); nil: not a standby.
        var standby: StandbyStatus?
        /// Whether `history` and `trash` show the store's (false: a store that keeps neither).
        var keepsVersions = true
    }

    private let state: Locked<State>

    init(projects: [Project], items: [CacheItem], clock: (@Sendable () -> Date)? = nil) {
        let store = Self.store(projects: projects, items: items, clock: clock)
        state = Locked(State(store: store, base: (try? store.changeToken()) ?? 0))
    }

    /// A memory store holding `projects` (any order) and `items` exactly as given.
    private static func store(projects: [Project], items: [CacheItem], clock: (@Sendable () -> Date)? = nil) -> MemoryCacheStore {
        // On a clock of their own, tests write through the store: its apps are those of the items,
        // its deletes made by one user whatever the machine.
        let changes = ChangePolicy(attribution: ChangeAttribution(osUser: "jdoe", host: "ws1", command: "delete"))
        let store = clock.map {
            MemoryCacheStore(registeredApps: Array(Set(items.map(\.appName))).sorted(), clock: $0, changes: changes)
        }
            ?? MemoryCacheStore(registeredApps: [])
        do {
            _ = try store.importProjects(projects)
        } catch {
            preconditionFailure("fixture projects break the tree rules: \(error)")
        }
        store.restore(items)
        return store
    }

    private var store: MemoryCacheStore { state.withLock { $0.store } }

    /// The memory store behind it now (with its trash), for the real store actions; `r` on a
    /// replacement gives a new one.
    var engine: MemoryCacheStore { store }

    /// When set, every call throws it (a locked or corrupt store).
    var failure: CacheError? {
        get { state.withLock { $0.failure } }
        set { state.withLock { $0.failure = newValue } }
    }

    /// How many page requests were made and the largest limit asked for.
    var pageRequests: Int { state.withLock { $0.pageRequests } }
    var largestLimit: Int { state.withLock { $0.largestLimit } }
    /// Reverse-keyset requests made (a jump to the end must not load every page).
    var reverseRequests: Int { state.withLock { $0.reverseRequests } }

    /// Called (outside the lock) before every read: a test holds reads back with it.
    var beforeRead: (@Sendable () -> Void)? {
        get { state.withLock { $0.beforeRead } }
        set { state.withLock { $0.beforeRead = newValue } }
    }

    /// Deletes an item, as another process would.
    func remove(uuid: UUID) {
        _ = try? store.deleteItems(uuids: [uuid])
    }

    /// Adds or replaces (by UUID) an item, as another process would.
    func put(_ item: CacheItem) {
        store.restore([item])
    }

    /// Every item now (for checking deletes).
    var allItems: [CacheItem] { store.allItems }
    func allProjects() throws -> [Project] { try store.allProjects() }

    private func check(limit: Int = 0, reverse: Bool = false) throws -> MemoryCacheStore {
        let hook = state.withLock { $0.beforeRead }
        hook?()
        return try state.withLock { state in
            state.pageRequests += limit > 0 ? 1 : 0
            state.reverseRequests += reverse ? 1 : 0
            state.largestLimit = max(state.largestLimit, limit)
            if let failure = state.failure { throw failure }
            return state.store
        }
    }

    func projectPage(after: ProjectSummary?, limit: Int, query: ProjectQuery) throws -> [ProjectSummary] {
        uncounted(try check(limit: limit).projectPage(after: after, limit: limit, query: query))
    }

    func projectPage(before: ProjectSummary?, limit: Int, query: ProjectQuery) throws -> [ProjectSummary] {
        uncounted(try check(limit: limit, reverse: true).projectPage(before: before, limit: limit, query: query))
    }

    /// From now on, project pages come with their bytes unknown (see `State.bytesUnknown`).
    func makeBytesUnknown() {
        state.withLock { $0.bytesUnknown = true }
    }

    private func uncounted(_ rows: [ProjectSummary]) -> [ProjectSummary] {
        guard state.withLock({ $0.bytesUnknown }) else { return rows }
        return rows.map { summary in
            var unknown = summary
            unknown.estimated = true
            unknown.bytes = 0
            unknown.share = nil
            if unknown.project.type == .category { unknown.subtree = nil } else { unknown.subtree?.bytes = 0 }
            return unknown
        }
    }

    func appPage(project: UUID?, after: AppSummary?, limit: Int, filter: String?) throws -> [AppSummary] {
        try check(limit: limit).appPage(project: project, after: after, limit: limit, filter: filter)
    }

    func appPage(project: UUID?, before: AppSummary?, limit: Int, filter: String?) throws -> [AppSummary] {
        try check(limit: limit, reverse: true).appPage(project: project, before: before, limit: limit, filter: filter)
    }

    func itemPage(
        project: UUID?, app: String?, sort: ItemSort, after: ItemSummary?, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        try check(limit: limit).itemPage(project: project, app: app, sort: sort, after: after, limit: limit, filter: filter)
    }

    func itemPage(
        project: UUID?, app: String?, sort: ItemSort, before: ItemSummary?, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        try check(limit: limit, reverse: true)
            .itemPage(project: project, app: app, sort: sort, before: before, limit: limit, filter: filter)
    }

    func allItemsPage(after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        try check(limit: limit).allItemsPage(after: after, limit: limit)
    }

    func item(uuid: UUID) throws -> CacheItem? { try check().item(uuid: uuid) }
    func project(uuid: UUID) throws -> Project? { try check().project(uuid: uuid) }
    func totals() throws -> StoreTotals { try check().totals() }
    func changeToken() throws -> Int { try check().changeToken() - state.withLock { $0.base } }

    /// A hot standby's lag as a test sets it (nil: not a standby).
    var standby: StandbyStatus? {
        get { state.withLock { $0.standby } }
        set { state.withLock { $0.standby = newValue } }
    }

    func standbyStatus() throws -> StandbyStatus? { state.withLock { $0.standby } }

    /// What the file at the store's path now holds (a restore from backup): `r` reopens to it.
    var replacement: (projects: [Project], items: [CacheItem])? {
        get { state.withLock { $0.replacement } }
        set { state.withLock { $0.replacement = newValue } }
    }

    func reopenIfReplaced() throws -> Bool {
        guard let replacement = state.withLock({ $0.replacement }) else { return false }
        let fresh = Self.store(projects: replacement.projects, items: replacement.items)
        state.withLock { state in
            state.store = fresh
            state.base = (try? fresh.changeToken()) ?? 0
            state.replacement = nil
        }
        return true
    }
}

// The version list (`H`) reads the memory store's history and trash, unless a test says the
// store keeps neither (a SODAR site without a local trash).
extension FakeSource: VersionKeeping {
    var keepsVersions: Bool {
        get { state.withLock { $0.keepsVersions } }
        set { state.withLock { $0.keepsVersions = newValue } }
    }

    var history: (any ItemHistory)? { keepsVersions ? store.history : nil }
    var trash: (any TrashKeeping)? { keepsVersions ? store.trash : nil }
}
