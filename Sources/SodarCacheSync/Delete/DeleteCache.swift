import Foundation
import SodarCache
import StoreKernel

/// `deletecache` semantics over the store's maintenance API, with SODAR's log lines.
public enum DeleteCache {
    /// What a delete did (or, on a dry run, would do).
    public struct Report: Sendable, Hashable {
        /// Items deleted, or that would be deleted on a dry run.
        public var count: Int
        /// The same per app name.
        public var perApp: [String: Int]
        public var dryRun: Bool
        /// SODAR-style lines to log: per-app counts, then the summary line.
        public var lines: [String]
    }

    /// Checks a request before anything is listed or deleted, so that a dry run lists exactly
    /// what the real run deletes.
    /// - Parameters:
    ///   - registeredApps: the registered app names (`PluginRegistry.appNames`).
    ///   - configFound: whether a config file was read. Without one only the built-in apps are
    ///     registered, so every other app's items would count as orphans: `orphans` and an
    ///     unregistered `app` are refused then.
    ///   An unregistered app with no items at all is most likely a typo: refused as unknown.
    /// - Returns: the request's project, if it names one.
    /// - Throws: `CacheError.projectNotFound`, `.unknownApp`, `SyncError.deleteWithoutConfig`.
    @discardableResult
    public static func check(
        _ request: DeleteCacheRequest, store: any CacheMaintenance & ProjectDirectory, registeredApps: [String],
        configFound: Bool
    ) throws -> Project? {
        if !configFound {
            if request.orphans { throw SyncError.deleteWithoutConfig(app: nil) }
            if let app = request.app, !registeredApps.contains(app) { throw SyncError.deleteWithoutConfig(app: app) }
        }
        if let app = request.app, !request.orphans, !registeredApps.contains(app),
            try store.countItems(matching: CacheFilter(appName: app)).values.reduce(0, +) == 0
        {
            throw CacheError.unknownApp(app, known: registeredApps.sorted())
        }
        guard let uuid = request.project else { return nil }
        guard let found = try store.project(uuid: uuid) else { throw CacheError.projectNotFound(uuid.sodarString) }
        return found
    }

    /// Deletes the matching items in one transaction (or counts them on a dry run). An app that
    /// is no longer registered may be named: its items are still there to delete.
    /// - Parameters: as `check`, which runs first.
    /// - Throws: what `check` throws, or a store error.
    public static func run(
        _ request: DeleteCacheRequest, store: any CacheMaintenance & ProjectDirectory, registeredApps: [String],
        configFound: Bool
    ) throws -> Report {
        let project = try check(request, store: store, registeredApps: registeredApps, configFound: configFound)
        let filter = request.filter(registeredApps: registeredApps)
        if request.subtree, let project, project.type == .category {
            return try runSubtree(request, category: project, filter: filter, store: store)
        }
        let perApp = try store.countItems(matching: filter).filter { $0.value > 0 }
        let expected = perApp.values.reduce(0, +)
        let count = request.dryRun || expected == 0 ? expected : try store.deleteItems(matching: filter)

        var lines = perApp.keys.sorted().map { app in
            "\(request.dryRun ? "Would delete" : "Deleted") \(perApp[app] ?? 0) item(s) of app \"\(app)\"\(request.orphans ? " (orphaned: app not registered or project gone)" : "")"
        }
        if count == 0 {
            lines = ["No cached data found"]
        } else {
            let scope = project.map { "project \"\($0.fullTitle)\" (\($0.uuid.sodarString))" }
                ?? (request.site ? "site-wide items" : "all projects")
            lines.append("\(request.dryRun ? "Would delete" : "Deleted") \(count) cached data item(s) from \(scope)")
        }
        if request.dryRun, let project, project.type == .category {
            let beneath = try subtreeItems(of: project, filter: filter, store: store, includingRoot: false)
            if !beneath.items.isEmpty {
                lines.append(
                    "\(beneath.items.count) more item(s) lie in \(beneath.projects) project(s) beneath category \"\(project.fullTitle)\": "
                        + "--subtree takes them too")
            }
        }
        return Report(count: count, perApp: perApp, dryRun: request.dryRun, lines: lines)
    }

    /// The items `filter` matches in `category`'s subtree, each with the row version read now,
    /// and in how many projects they lie.
    public static func subtreeItems(
        of category: Project, filter: CacheFilter, store: any CacheMaintenance & ProjectDirectory, includingRoot: Bool = true
    ) throws -> (items: [ItemSummary], projects: Int) {
        var items: [ItemSummary] = []
        var projects = 0
        for uuid in ProjectTree.subtree(of: category.uuid, in: try store.allProjects()) where includingRoot || uuid != category.uuid {
            var part = filter
            part.scope = .project(uuid)
            var found = 0
            try store.forEachItemPage(matching: part, pageSize: 1000) { page in
                items += page
                found += page.count
            }
            if found > 0 { projects += 1 }
        }
        return (items, projects)
    }

    /// `--subtree` on a category: the items of every project beneath it as read now, deleted by
    /// identity and row version in one transaction (an item written since is kept).
    static func runSubtree(
        _ request: DeleteCacheRequest, category: Project, filter: CacheFilter, store: any CacheMaintenance & ProjectDirectory
    ) throws -> Report {
        let (items, projects) = try subtreeItems(of: category, filter: filter, store: store)
        var perApp: [String: Int] = [:]
        for item in items { perApp[item.appName, default: 0] += 1 }
        var count = items.count
        var changed = 0
        if !request.dryRun && !items.isEmpty {
            (count, changed) = try store.deleteItems(
                shown: Dictionary(items.map { ($0.uuid, ShownItem($0)) }, uniquingKeysWith: { first, _ in first }))
        }
        let verb = request.dryRun ? "Would delete" : "Deleted"
        var lines = perApp.keys.sorted().map { "\(verb) \(perApp[$0] ?? 0) item(s) of app \"\($0)\"" }
        if items.isEmpty {
            lines = ["No cached data found"]
        } else {
            lines.append(
                "\(verb) \(count) cached data item(s) from category \"\(category.fullTitle)\" (\(category.uuid.sodarString)) "
                    + "and the projects beneath it (\(projects) with items)")
            if changed > 0 { lines.append("Kept \(changed) item(s) written since they were read") }
        }
        return Report(count: count, perApp: perApp, dryRun: request.dryRun, lines: lines)
    }
}
