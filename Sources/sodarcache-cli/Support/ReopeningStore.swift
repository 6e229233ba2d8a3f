import Foundation
import SodarCache
import StoreKernel
import CacheBrowserRuntime

/// A store that forwards to the engine it holds and, on `reopenIfReplaced()`, swaps in the
/// file now at the path when the one it opened was replaced (a restore from backup). It wraps
/// the engine's primitives; everything derived from them comes from `StoreEngine` itself.
final class ReopeningStore: StoreEngine, ReopeningSource {
    /// The engine, and whether it was closed for a reopen that has not succeeded yet.
    private let current: Locked<(store: any StoreEngine, closed: Bool)>
    private let open: @Sendable () throws -> any StoreEngine
    let path: String

    init(_ store: any StoreEngine, path: String, open: @escaping @Sendable () throws -> any StoreEngine) {
        current = Locked((store, false))
        self.path = path
        self.open = open
    }

    /// The open engine; while a failed reopen left none, every call says the file was replaced.
    func live() throws -> any StoreEngine {
        let (store, closed) = current.withLock { $0 }
        if closed { throw CacheError.storeReplaced(location: path) }
        return store
    }

    /// The engine as opened, for what never fails (its rules, clock and description).
    private var engine: any StoreEngine { current.withLock { $0.store } }

    func reopenIfReplaced() throws -> Bool {
        let (store, closed) = current.withLock { $0 }
        if !closed {
            do {
                _ = try store.changeToken()
                return false
            } catch CacheError.storeReplaced {}
        }
        // The old file's connections close first: SQLite finds the WAL by name, and the new
        // file must never be read through the old one's.
        try current.withLock { state in
            if !state.closed { try state.store.close() }
            state.closed = true
            state.store = try open()
            state.closed = false
        }
        return true
    }

    // MARK: The engine's primitives

    var writeRules: CacheWriteRules { engine.writeRules }
    var clock: @Sendable () -> Date { engine.clock }
    func upsert(_ write: CacheWrite, now: Date) throws -> CacheItem { try live().upsert(write, now: now) }
    func commit(deleting: [CacheDeletion], writing: [CacheWrite], now: Date) throws -> Int {
        try live().commit(deleting: deleting, writing: writing, now: now)
    }
    func commit(
        deleting: [CacheDeletion], writing: [CacheWrite], now: Date, reading: [ItemScope]
    ) throws -> (deleted: Int, before: [StoredPayload]) {
        try live().commit(deleting: deleting, writing: writing, now: now, reading: reading)
    }
    func payloads(in scopes: [ItemScope]) throws -> [StoredPayload] { try live().payloads(in: scopes) }
    /// The engine's (its background counts keep theirs there); a reopened file's engine has new ones.
    var caches: EngineCaches { engine.caches }
    var trash: (any TrashKeeping)? { engine.trash }
    var history: (any ItemHistory)? { engine.history }
    var audit: (any AuditLog)? { engine.audit }
    func readListing(previous: ProjectListing?) throws -> ProjectListing { try live().readListing(previous: previous) }
    func keysetProjectRows(from: ProjectSummary?, backwards: Bool, limit: Int, query: ProjectQuery) throws -> [ProjectSummary]? {
        try live().keysetProjectRows(from: from, backwards: backwards, limit: limit, query: query)
    }
    func listedProjects(_ listing: ProjectListing, positions: [Int]) throws -> [ProjectSummary] {
        try live().listedProjects(listing, positions: positions)
    }
    func readTotals() throws -> (totals: StoreTotals, reuseFor: TimeInterval) { try live().readTotals() }
    func appRows(project: UUID?, from: AppSummary?, backwards: Bool, limit: Int, filter: String?) throws -> [AppSummary] {
        try live().appRows(project: project, from: from, backwards: backwards, limit: limit, filter: filter)
    }
    func itemRows(
        project: UUID?, app: String?, sort: ItemSort, from: ItemSummary?, backwards: Bool, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        try live().itemRows(project: project, app: app, sort: sort, from: from, backwards: backwards, limit: limit, filter: filter)
    }
    func standbyStatus() throws -> StandbyStatus? { try live().standbyStatus() }
    func getCacheItem(appName: String, name: String, project: UUID?) throws -> CacheItem? {
        try live().getCacheItem(appName: appName, name: name, project: project)
    }
    func getUpdateTime(appName: String, name: String, project: UUID?) throws -> Double? {
        try live().getUpdateTime(appName: appName, name: name, project: project)
    }
    func getProjectCache(project: UUID?, dataType: String) throws -> [CacheItem] {
        try live().getProjectCache(project: project, dataType: dataType)
    }
    func item(uuid: UUID) throws -> CacheItem? { try live().item(uuid: uuid) }
    func changeToken() throws -> Int { try live().changeToken() }

    // MARK: Projects

    func project(uuid: UUID) throws -> Project? { try live().project(uuid: uuid) }
    func addProject(_ project: Project) throws -> Project { try live().addProject(project) }
    func updateProject(_ project: Project) throws -> Project { try live().updateProject(project) }
    func importProjects(_ projects: [Project]) throws -> (created: Int, updated: Int) { try live().importProjects(projects) }
    func allProjects() throws -> [Project] { try live().allProjects() }

    // MARK: Maintenance

    func items(matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        try live().items(matching: filter, after: after, limit: limit)
    }
    func forEachItemPage(matching filter: CacheFilter, pageSize: Int, _ body: ([ItemSummary]) throws -> Void) throws {
        try live().forEachItemPage(matching: filter, pageSize: pageSize, body)
    }
    func countItems(matching filter: CacheFilter) throws -> [String: Int] { try live().countItems(matching: filter) }
    func appTotals() throws -> [AppTotals] { try live().appTotals() }
    func scanItems(scope: CacheFilter.Scope, appName: String?, pageSize: Int, _ body: ([ItemSummary]) throws -> Void) throws {
        try live().scanItems(scope: scope, appName: appName, pageSize: pageSize, body)
    }
    func deleteItems(matching filter: CacheFilter) throws -> Int { try live().deleteItems(matching: filter) }
    func deleteItems(uuids: [UUID]) throws -> Int { try live().deleteItems(uuids: uuids) }
    func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) { try live().deleteItems(shown: shown) }

    // MARK: Administration

    var locationDescription: String { engine.locationDescription }
    var busyMeaning: String { engine.busyMeaning }
    var capabilities: StoreCapabilities { engine.capabilities }
    var itemAges: ItemAges { engine.itemAges }
    func installedApps() throws -> [String: String]? { try live().installedApps() }
    func deleteProject(uuid: UUID, withItems: Bool) throws -> Int { try live().deleteProject(uuid: uuid, withItems: withItems) }
    func reclaimSpace() throws -> SpaceReport { try live().reclaimSpace() }
    func close() throws { try live().close() }
}
