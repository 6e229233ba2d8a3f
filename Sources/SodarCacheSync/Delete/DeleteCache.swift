import Foundation
import SodarCache

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
        return Report(count: count, perApp: perApp, dryRun: request.dryRun, lines: lines)
    }
}
