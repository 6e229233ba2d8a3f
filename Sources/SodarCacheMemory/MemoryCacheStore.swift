import Foundation
import SodarCache
import StoreKernel
import Synchronization

/// A whole store in memory: the four store protocols with the same validation, ordering,
/// keyset paging and all-or-nothing batches as the SQLite and PostgreSQL stores (it passes the
/// same contract suite). For tests of apps, plugins and the browser, and for benchmarks that
/// must not measure a disk.
public final class MemoryCacheStore: StoreEngine, ReadingCommit {
    /// Names by their bytes, as SQLite and PostgreSQL keep them apart.
    typealias Key = ItemKey

    struct State {
        var items: [Key: CacheItem] = [:]
        var projects: [UUID: ProjectTree.Row] = [:]
        var nextProjectID = 1
        var commits = 0
        var writeBatches: [[CacheWrite]] = []
        var trash: [Int64: TrashedDelete] = [:]
        var nextTrashID: Int64 = 1
        var versions: [Key: [ItemVersion]] = [:]
        var nextRev: Int64 = 1
        var historyPolicy = HistoryPolicy.standard
        var auditLog: [AuditEntry] = []
    }

    /// The memory several handles share (as several processes share a file).
    final class Shared: Sendable {
        let state = Mutex(State())
    }

    let shared: Shared
    public let readOnly: Bool
    public let writeRules: CacheWriteRules
    public let clock: @Sendable () -> Date
    public let caches = EngineCaches()
    /// What deletes keep, and who they are recorded as made by.
    public let changes: ChangePolicy
    /// The trash entries this handle's deletes made, oldest first.
    public let sessionDeletes = Locked<[Int64]>([])
    /// When this handle purges the audit trail of entries past its keep.
    public let auditPurge = AuditPurgeSchedule()

    /// A new, empty store; `clock` stamps its writes (tests give one that ticks).
    public init(
        registeredApps: [String], clock: @escaping @Sendable () -> Date = { Date() }, changes: ChangePolicy = .standard
    ) {
        writeRules = CacheWriteRules(registeredApps: registeredApps)
        shared = Shared()
        readOnly = false
        self.clock = clock
        self.changes = changes
    }

    private init(
        shared: Shared, registeredApps: [String], readOnly: Bool, clock: @escaping @Sendable () -> Date, changes: ChangePolicy
    ) {
        writeRules = CacheWriteRules(registeredApps: registeredApps)
        self.shared = shared
        self.readOnly = readOnly
        self.clock = clock
        self.changes = changes
    }

    /// Another handle on the same memory, with its own registered apps (another process
    /// opening the same store).
    public func view(registeredApps: [String], readOnly: Bool = false, changes: ChangePolicy? = nil) -> MemoryCacheStore {
        MemoryCacheStore(
            shared: shared, registeredApps: registeredApps, readOnly: readOnly, clock: clock, changes: changes ?? self.changes)
    }

    /// Every write that landed, one array per transaction (tests check that a unit is one).
    public var writeBatches: [[CacheWrite]] { shared.state.withLock { $0.writeBatches } }
    /// Every item, in no order.
    public var allItems: [CacheItem] { shared.state.withLock { Array($0.items.values) } }

    /// Puts items exactly as given (UUID, user, time), replacing any with the same key or UUID;
    /// no checks, as a restore from a backup: an item may name a project the store does not
    /// have (an orphan). For fixtures of tests.
    public func restore(_ items: [CacheItem]) {
        try? write { state in
            _ = Self.remove(&state, uuids: Set(items.map(\.uuid)))
            for item in items { state.items[Key(project: item.project, app: item.appName, name: item.name)] = item }
        }
    }

    // MARK: - StoreAdministration

    public var locationDescription: String { "memory" }
    public var busyMeaning: String { "never: the store is in this process" }
    public func reclaimSpace() throws -> SpaceReport { SpaceReport(bytesBefore: 0, bytesAfter: 0, complete: true) }
    public func close() throws {}

    public func deleteProject(uuid: UUID, withItems: Bool) throws -> Int {
        try deleteWrite(audit: { AuditNote.projectDeleted(uuid, items: $0) }) { state in
            guard let row = state.projects[uuid] else { throw CacheError.projectNotFound(uuid.sodarString) }
            let title = Self.tree(state).node(uuid: uuid)?.project.fullTitle ?? row.title
            let children = state.projects.values.filter { $0.parentID == row.id }.count
            let keys = state.items.keys.filter { $0.project == uuid }
            try ProjectTree.checkDelete(uuid, title: title, children: children, items: keys.count, withItems: withItems)
            for key in keys { state.items[key] = nil }
            // Its items' history goes with it (a project imported again under its UUID starts anew).
            state.versions = state.versions.filter { $0.key.project != uuid }
            state.projects[uuid] = nil
            return keys.count
        }
    }

    // MARK: - CacheBackend

    public func upsert(_ write: CacheWrite, now: Date) throws -> CacheItem {
        try self.write(audit: { _ in .wrote(write) }) { state in
            let item = try Self.upsert(&state, write, now: write.dateModified.map(CacheWriteRules.storedTime) ?? now)
            state.writeBatches.append([write])
            return item
        }
    }

    /// The batch's write; `first` runs in it before the deletes and writes (a change report
    /// reads what they replace).
    public func commit(
        deleting: [CacheDeletion], writing: [CacheWrite], now: Date, first: @escaping (Draft) throws -> Void
    ) throws -> Int {
        // On a copy: a failure leaves the store as it was.
        let body = { (draft: Draft) throws -> Int in
            try first(draft)
            var deleted = 0
            for deletion in deleting {
                switch deletion {
                case .all(let app, let project): deleted += try Self.delete(&draft.state, app: app, project: project)
                case .item(let app, let name, let project):
                    try Self.checkProject(draft.state, project)
                    if draft.state.items.removeValue(forKey: Key(project: project, app: app, name: name)) != nil { deleted += 1 }
                }
            }
            for write in writing {
                _ = try Self.upsert(&draft.state, write, now: write.dateModified.map(CacheWriteRules.storedTime) ?? now)
            }
            if !writing.isEmpty { draft.state.writeBatches.append(writing) }
            return deleted
        }
        let note = { (deleted: Int) in AuditNote.committed(deleting: deleting, writing: writing, deleted: deleted) }
        return try deleting.isEmpty ? writeTransaction(audit: note, body) : deleteTransaction(audit: note, body)
    }

    public func payloads(in draft: Draft, _ scopes: [ItemScope]) throws -> [StoredPayload] {
        try Self.payloads(draft.state, scopes)
    }

    private static func payloads(_ state: borrowing State, _ scopes: [ItemScope]) throws -> [StoredPayload] {
        if scopes.isEmpty { return [] }
        let wanted = Set(scopes)
        for scope in wanted { try checkProject(state, scope.project) }
        return state.items.values.compactMap { item in
            wanted.contains(ItemScope(project: item.project, app: item.appName))
                ? StoredPayload(project: item.project, app: item.appName, name: item.name, data: item.data) : nil
        }
    }

    public func getCacheItem(appName: String, name: String, project: UUID?) throws -> CacheItem? {
        try read { state in
            try Self.checkProject(state, project)
            return state.items[Key(project: project, app: appName, name: name)]
        }
    }

    public func getUpdateTime(appName: String, name: String, project: UUID?) throws -> Double? {
        try getCacheItem(appName: appName, name: name, project: project)?.dateModified.timeIntervalSince1970
    }

    public func getProjectCache(project: UUID?, dataType: String) throws -> [CacheItem] {
        guard dataType == "json" else { throw CacheError.unsupportedDataType(dataType) }
        return try read { state in
            try Self.checkProject(state, project)
            return state.items.values.filter { $0.project == project }.sorted(by: Self.byAppAndName)
        }
    }

    // MARK: - ProjectDirectory

    @discardableResult
    public func addProject(_ project: Project) throws -> Project {
        try changeProjects { rows in try ProjectTree.add(project, to: &rows) }.project(project.uuid)
    }

    @discardableResult
    public func updateProject(_ project: Project) throws -> Project {
        try changeProjects { rows in try ProjectTree.update(project, in: &rows) }.project(project.uuid)
    }

    public func importProjects(_ projects: [Project]) throws -> (created: Int, updated: Int) {
        var counts = (created: 0, updated: 0)
        _ = try changeProjects { rows in counts = try ProjectTree.merge(projects, into: &rows) }
        return counts
    }

    public func project(uuid: UUID) throws -> Project? {
        read { state in Self.tree(state).node(uuid: uuid)?.project }
    }

    public func allProjects() throws -> [Project] {
        read { state in Self.tree(state).nodes.map(\.project) }
    }

    // MARK: - CacheBrowsing

    public func readListing(previous: ProjectListing?) throws -> ProjectListing {
        read { state in Self.listing(state) }
    }

    public func appRows(project: UUID?, from: AppSummary?, backwards: Bool, limit: Int, filter: String?) throws -> [AppSummary] {
        Self.rows(try apps(project: project, filter: filter), from: from, backwards: backwards, limit: limit) {
            Self.less($0.appName, $1.appName)
        }
    }

    public func itemRows(
        project: UUID?, app: String?, sort: ItemSort, from: ItemSummary?, backwards: Bool, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        Self.rows(
            try items(project: project, app: app, sort: sort, filter: filter), from: from, backwards: backwards, limit: limit,
            by: sort.precedes(byApp: app == nil))
    }

    /// The rows of `ordered` (sorted `by`) after `from`, or (`backwards`) before it, nearest first.
    private static func rows<Row>(
        _ ordered: [Row], from: Row?, backwards: Bool, limit: Int, by precedes: (Row, Row) -> Bool
    ) -> [Row] {
        let beyond = ordered.filter { row in from.map { backwards ? precedes(row, $0) : precedes($0, row) } ?? true }
        return backwards ? beyond.suffix(max(limit, 0)).reversed() : Array(beyond.prefix(max(limit, 0)))
    }

    public func item(uuid: UUID) throws -> CacheItem? {
        read { state in state.items.values.first { $0.uuid == uuid } }
    }

    public func readTotals() throws -> (totals: StoreTotals, reuseFor: TimeInterval) {
        read { state in
            let items = state.items.values
            let totals = StoreTotals(
                projects: state.projects.values.filter { $0.type == .project }.count,
                categories: state.projects.values.filter { $0.type == .category }.count, items: items.count,
                bytes: items.map(\.size).reduce(0, +), siteItems: items.filter { $0.project == nil }.count)
            return (totals, 0)
        }
    }

    public func changeToken() throws -> Int { read { $0.commits } }

    // MARK: - CacheMaintenance

    public func items(matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        // By the order, not by finding `after`: an item gone meanwhile is continued after where it stood.
        let (all, order) = try read { state in (try Self.matching(state, filter), Self.matchingOrder(Self.tree(state), filter)) }
        return Self.rows(all, from: after, backwards: false, limit: limit, by: order)
    }

    public func forEachItemPage(
        matching filter: CacheFilter, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws {
        // The copy taken under the lock is the snapshot.
        let all = try read { state in try Self.matching(state, filter) }
        var start = 0
        while start < all.count {
            let end = min(start + max(1, pageSize), all.count)
            try body(Array(all[start..<end]))
            start = end
        }
    }

    public func countItems(matching filter: CacheFilter) throws -> [String: Int] {
        let all = try read { state in try Self.matching(state, filter) }
        return Dictionary(grouping: all, by: \.appName).mapValues(\.count)
    }

    public func appTotals() throws -> [AppTotals] {
        let all = read { state in state.items.values.map(Self.summary) }
        return Dictionary(grouping: all, by: \.appName).map { app, items in
            AppTotals(
                appName: app, items: items.count, bytes: items.reduce(0) { $0 + $1.size },
                oldest: items.map(\.dateModified).min(), newest: items.map(\.dateModified).max())
        }.sorted { Self.less($0.appName, $1.appName) }
    }

    @discardableResult
    public func deleteItems(matching filter: CacheFilter) throws -> Int {
        try deleteWrite(audit: { .deleted($0, AuditNote.describe(filter)) }) { state in
            Self.remove(&state, uuids: Set(try Self.matching(state, filter).map(\.uuid)))
        }
    }

    @discardableResult
    public func deleteItems(uuids: [UUID]) throws -> Int {
        if uuids.isEmpty { return 0 }
        let doomed = Set(uuids)
        return try deleteWrite(audit: { .deletedByUUID($0) }) { state in Self.remove(&state, uuids: doomed) }
    }

    @discardableResult
    public func deleteItems(shown: [UUID: ShownItem]) throws -> (deleted: Int, changed: Int) {
        if shown.isEmpty { return (0, 0) }
        return try deleteWrite(audit: { .deletedAsShown($0) }) { state in
            var deleted = 0, changed = 0
            for (key, item) in state.items {
                guard let seen = shown[item.uuid] else { continue }
                if item.dateModified <= seen.dateModified {
                    state.items[key] = nil
                    deleted += 1
                } else {
                    changed += 1
                }
            }
            return (deleted, changed)
        }
    }

    // MARK: - Private

    private func read<T>(_ body: (borrowing State) throws -> T) rethrows -> T {
        try shared.state.withLock { state in try body(state) }
    }

    /// A write on a copy of the state, kept only when `body` returns: all or nothing.
    func write<T>(audit: ((T) -> AuditNote)? = nil, _ body: (inout State) throws -> T) throws -> T {
        if readOnly { throw CacheError.storeUnwritable(location: locationDescription, reason: "opened read-only") }
        return try shared.state.withLock { state in
            var copy = state
            let value = try body(&copy)
            if let audit { record(&copy, audit(value)) }
            copy.commits += 1
            state = copy
            return value
        }
    }

    /// A write that deletes: with the trash on, what it took is kept (`InStoreTrash`).
    private func deleteWrite<T>(audit: ((T) -> AuditNote)? = nil, _ body: (inout State) throws -> T) throws -> T {
        try deleteTransaction(audit: audit) { draft in try body(&draft.state) }
    }

    /// A change to projects on a copy of the rows (`ProjectTree`'s changes check them), kept
    /// when `body` returns; the tree after it.
    private func changeProjects(_ body: (inout [UUID: ProjectTree.Row]) throws -> Void) throws -> ProjectTree {
        try write(audit: { _ in AuditNote(action: "project", what: "changed the project tree") }) { state -> ProjectTree in
            var rows = state.projects
            try body(&rows)
            // New rows get ids; parents by UUID become ids.
            for (uuid, row) in rows where row.id == 0 {
                rows[uuid]?.id = state.nextProjectID
                state.nextProjectID += 1
            }
            let ids = rows.mapValues(\.id)
            for (uuid, row) in rows {
                if let parentUUID = row.parentUUID {
                    rows[uuid]?.parentID = ids[parentUUID]
                    rows[uuid]?.parentUUID = nil
                }
            }
            state.projects = rows
            return ProjectTree(rows: Array(rows.values))
        }
    }

    private static func tree(_ state: borrowing State) -> ProjectTree { ProjectTree(rows: Array(state.projects.values)) }

    private static func checkProject(_ state: borrowing State, _ project: UUID?) throws {
        if let project, state.projects[project] == nil { throw CacheError.projectNotFound(project.sodarString) }
    }

    private static func upsert(_ state: inout State, _ write: CacheWrite, now: Date) throws -> CacheItem {
        try checkProject(state, write.project)
        let key = Key(project: write.project, app: write.appName, name: write.name)
        let old = state.items[key]
        let item = CacheItem(
            uuid: old?.uuid ?? UUID(), project: write.project, appName: write.appName, name: write.name,
            user: write.user ?? old?.user, data: write.data, dateModified: now)
        if let old, old.data != write.data { keepVersion(&state, old, key: key, replacedAt: now) }
        state.items[key] = item
        return item
    }

    /// Removes the items with these UUIDs.
    /// - Returns: how many there were.
    private static func remove(_ state: inout State, uuids: Set<UUID>) -> Int {
        let keys = state.items.filter { uuids.contains($0.value.uuid) }.map(\.key)
        for key in keys { state.items[key] = nil }
        return keys.count
    }

    private static func delete(_ state: inout State, app: String?, project: UUID?) throws -> Int {
        try checkProject(state, project)
        let keys = state.items.keys.filter { (app == nil || $0.app == app) && (project == nil || $0.project == project) }
        for key in keys { state.items[key] = nil }
        return keys.count
    }

    private static func summary(_ item: CacheItem) -> ItemSummary {
        ItemSummary(
            uuid: item.uuid, project: item.project, appName: item.appName, name: item.name, user: item.user?.username,
            dateModified: item.dateModified, size: item.size)
    }

    /// The tree with every project's own totals (counted from the items: a test double).
    private static func listing(_ state: borrowing State) -> ProjectListing {
        let tree = tree(state)
        var own: [Int: ProjectTotals] = [:]
        for item in state.items.values {
            guard let project = item.project, let node = tree.node(uuid: project) else { continue }
            own[node.id, default: .zero].add(ProjectTotals(items: 1, bytes: item.size, latestUpdate: item.dateModified))
        }
        return ProjectListing(tree: tree, own: own)
    }

    private func apps(project: UUID?, filter: String?) throws -> [AppSummary] {
        try read { state in
            try Self.checkProject(state, project)
            let items = state.items.values.filter { $0.project == project && ProjectTree.matches($0.appName, filter: filter) }
            return Dictionary(grouping: items, by: \.appName).map { app, items in
                AppSummary(
                    appName: app, itemCount: items.count, latestUpdate: items.map(\.dateModified).max(),
                    totalSize: items.map(\.size).reduce(0, +))
            }.sorted { Self.less($0.appName, $1.appName) }
        }
    }

    private func items(project: UUID?, app: String?, sort: ItemSort, filter: String?) throws -> [ItemSummary] {
        try read { state in
            try Self.checkProject(state, project)
            return state.items.values
                .filter { $0.project == project && (app == nil || $0.appName == app) && ProjectTree.matches($0.name, filter: filter) }
                .map(Self.summary).sorted(by: sort.precedes(byApp: app == nil))
        }
    }

    /// Every item `filter` matches, in `items(matching:)` order: site-wide first, then each
    /// project in tree order, by (app, name); orphans by item UUID.
    private static func matching(_ state: borrowing State, _ filter: CacheFilter) throws -> [ItemSummary] {
        if case .project(let uuid) = filter.scope { try checkProject(state, uuid) }
        let tree = Self.tree(state)
        return state.items.values.filter { item in
            switch filter.scope {
            case .all: break
            case .site: if item.project != nil { return false }
            case .project(let uuid): if item.project != uuid { return false }
            }
            if let app = filter.appName, item.appName != app { return false }
            if let older = filter.olderThan, item.dateModified >= older { return false }
            let projectGone = item.project.map { tree.node(uuid: $0) == nil } ?? false
            if let registered = filter.appNotIn { return !registered.contains(item.appName) || projectGone }
            // Items of projects that are gone have no place in tree order.
            return !projectGone
        }.map(summary).sorted(by: matchingOrder(tree, filter))
    }

    /// The order `matching` sorts by (an item of a project not in `tree` sorts as site-wide).
    private static func matchingOrder(_ tree: ProjectTree, _ filter: CacheFilter) -> (ItemSummary, ItemSummary) -> Bool {
        if filter.appNotIn != nil { return { ItemSort.KeyValue.uuid($0.uuid).ascends(to: .uuid($1.uuid)) == true } }
        let position = { (item: ItemSummary) -> Int in item.project.map { (tree.position(uuid: $0) ?? -1) + 1 } ?? 0 }
        let byName = ItemSort.name.precedes(byApp: true)
        return { position($0) != position($1) ? position($0) < position($1) : byName($0, $1) }
    }

    // MARK: - Orders (bytewise, as SQLite's BINARY collation and PostgreSQL's "C"; items' by `ItemSort`)

    static func less(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(b.utf8) }
    static func byAppAndName(_ a: CacheItem, _ b: CacheItem) -> Bool {
        a.appName != b.appName ? less(a.appName, b.appName) : less(a.name, b.name)
    }
}
