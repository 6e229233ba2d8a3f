import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache

/// An in-memory `CacheBrowsing` with the store's ordering and keyset paging.
final class FakeSource: CacheBrowsing, ReopeningSource, Sendable {
    private struct State: Sendable {
        var projects: [Project]
        var cached: [CacheItem]
        var failure: CacheError?
        var pageRequests = 0
        var largestLimit = 0
        var reverseRequests = 0
        var writes = 0
        var replacement: (projects: [Project], items: [CacheItem])?
        var beforeRead: (@Sendable () -> Void)?
    }

    private let state: Locked<State>

    init(projects: [Project], items: [CacheItem]) {
        state = Locked(State(projects: projects, cached: items))
    }

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

    func remove(uuid: UUID) {
        state.withLock { state in
            state.cached.removeAll { $0.uuid == uuid }
            state.writes += 1
        }
    }

    /// Adds or replaces (by UUID) an item, as another process would.
    func put(_ item: CacheItem) {
        state.withLock { state in
            state.cached.removeAll { $0.uuid == item.uuid }
            state.cached.append(item)
            state.writes += 1
        }
    }

    /// Every item now (for checking deletes).
    var allItems: [CacheItem] { state.withLock { $0.cached } }

    private func check(limit: Int = 0, reverse: Bool = false) throws {
        let hook = state.withLock { $0.beforeRead }
        hook?()
        try state.withLock { state in
            state.pageRequests += limit > 0 ? 1 : 0
            state.reverseRequests += reverse ? 1 : 0
            state.largestLimit = max(state.largestLimit, limit)
            if let failure = state.failure { throw failure }
        }
    }

    private func snapshot() -> ([Project], [CacheItem]) {
        state.withLock { ($0.projects, $0.cached) }
    }

    private func summary(_ item: CacheItem) -> ItemSummary {
        ItemSummary(
            uuid: item.uuid, project: item.project, appName: item.appName, name: item.name,
            user: item.user?.username, dateModified: item.dateModified, size: item.size)
    }

    func projectPage(after: ProjectSummary?, limit: Int, filter: String?) throws -> [ProjectSummary] {
        try check(limit: limit)
        return projectRows(after: after, limit: limit, filter: filter)
    }

    private func projectRows(after: ProjectSummary?, limit: Int, filter: String?) -> [ProjectSummary] {
        let (projects, items) = snapshot()
        let byID = Dictionary(uniqueKeysWithValues: projects.map { ($0.uuid, $0) })
        func depth(_ p: Project) -> Int {
            var d = 0
            var parent = p.parent
            while let id = parent, let up = byID[id] { d += 1; parent = up.parent }
            return d
        }
        return projects.sorted { $0.fullTitle < $1.fullTitle }
            .filter { after == nil || $0.fullTitle > after!.project.fullTitle }
            .filter { filter == nil || $0.fullTitle.lowercased().contains(filter!.lowercased()) }
            .prefix(limit)
            .map { p in
                let own = items.filter { $0.project == p.uuid }
                return ProjectSummary(
                    project: p, depth: depth(p), itemCount: own.count, latestUpdate: own.map(\.dateModified).max())
            }
    }

    func appPage(project: UUID?, after: AppSummary?, limit: Int, filter: String?) throws -> [AppSummary] {
        try check(limit: limit)
        return appRows(project: project, after: after, limit: limit, filter: filter)
    }

    private func appRows(project: UUID?, after: AppSummary?, limit: Int, filter: String?) -> [AppSummary] {
        let needle = filter?.lowercased()
        let own = snapshot().1.filter { item in
            item.project == project && (needle.map { item.appName.lowercased().contains($0) } ?? true)
        }
        let names = Set(own.map(\.appName)).sorted().filter { after == nil || $0 > after!.appName }
        return names.prefix(limit).map { name in
            let rows = own.filter { $0.appName == name }
            return AppSummary(
                appName: name, itemCount: rows.count, latestUpdate: rows.map(\.dateModified).max(),
                totalSize: rows.reduce(0) { $0 + $1.size })
        }
    }

    func itemPage(
        project: UUID?, app: String?, sort: ItemSort, after: ItemSummary?, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        try check(limit: limit)
        return itemRows(project: project, app: app, sort: sort, after: after, limit: limit, filter: filter)
    }

    private func itemRows(
        project: UUID?, app: String?, sort: ItemSort, after: ItemSummary?, limit: Int, filter: String?
    ) -> [ItemSummary] {
        let rows = snapshot().1.filter { $0.project == project && (app == nil || $0.appName == app) }
            .filter { filter == nil || $0.name.lowercased().contains(filter!.lowercased()) }
            .map(summary)
        func before(_ a: ItemSummary, _ b: ItemSummary) -> Bool {
            switch sort {
            case .name: return (a.appName, a.name) < (b.appName, b.name)
            case .updated:
                return a.dateModified != b.dateModified ? a.dateModified > b.dateModified : a.name < b.name
            case .size: return a.size != b.size ? a.size > b.size : a.name < b.name
            }
        }
        let sorted = rows.sorted(by: before)
        let start = after.map { a in sorted.firstIndex { before(a, $0) } ?? sorted.count } ?? 0
        return Array(sorted[start...].prefix(limit))
    }

    func allItemsPage(after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        try check(limit: limit)
        let sorted = snapshot().1.map(summary).sorted { $0.name < $1.name }
        return Array(sorted.filter { after == nil || $0.name > after!.name }.prefix(limit))
    }

    // MARK: Reverse keyset: the whole list in order, then the rows just before `before`.

    /// The last `limit` rows before the row `isBefore` finds (nil: the end).
    private func rows<Row>(_ all: [Row], before: Row?, same: (Row, Row) -> Bool, limit: Int) -> [Row] {
        let end = before.map { b in all.firstIndex { same($0, b) } ?? all.count } ?? all.count
        return Array(all[..<end].suffix(limit))
    }

    func projectPage(before: ProjectSummary?, limit: Int, filter: String?) throws -> [ProjectSummary] {
        try check(limit: limit, reverse: true)
        let all = projectRows(after: nil, limit: Int.max, filter: filter)
        return rows(all, before: before, same: { $0.project.uuid == $1.project.uuid }, limit: limit)
    }

    func appPage(project: UUID?, before: AppSummary?, limit: Int, filter: String?) throws -> [AppSummary] {
        try check(limit: limit, reverse: true)
        let all = appRows(project: project, after: nil, limit: Int.max, filter: filter)
        return rows(all, before: before, same: { $0.appName == $1.appName }, limit: limit)
    }

    func itemPage(
        project: UUID?, app: String?, sort: ItemSort, before: ItemSummary?, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        try check(limit: limit, reverse: true)
        let all = itemRows(project: project, app: app, sort: sort, after: nil, limit: Int.max, filter: filter)
        return rows(all, before: before, same: { $0.uuid == $1.uuid }, limit: limit)
    }

    func item(uuid: UUID) throws -> CacheItem? {
        try check()
        return snapshot().1.first { $0.uuid == uuid }
    }

    func project(uuid: UUID) throws -> Project? {
        try check()
        return snapshot().0.first { $0.uuid == uuid }
    }

    func totals() throws -> StoreTotals {
        try check()
        let (projects, items) = snapshot()
        return StoreTotals(
            projects: projects.filter { $0.type == .project }.count,
            categories: projects.filter { $0.type == .category }.count, items: items.count, bytes: items.reduce(0) { $0 + $1.size },
            siteItems: items.filter { $0.project == nil }.count)
    }

    /// What the file at the store's path now holds (a restore from backup): `r` reopens to it.
    var replacement: (projects: [Project], items: [CacheItem])? {
        get { state.withLock { $0.replacement } }
        set { state.withLock { $0.replacement = newValue } }
    }

    func reopenIfReplaced() throws -> Bool {
        state.withLock { state in
            guard let replacement = state.replacement else { return false }
            state.projects = replacement.projects
            state.cached = replacement.items
            state.replacement = nil
            state.writes = 0
            return true
        }
    }

    func changeToken() throws -> Int {
        try check()
        return state.withLock { $0.writes }
    }
}
