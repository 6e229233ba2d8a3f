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

    /// Deletes the matching items in one transaction (or counts them on a dry run).
    /// - Parameter registeredApps: the registered app names (`PluginRegistry.appNames`).
    /// - Throws: `CacheError.projectNotFound`, `.unknownApp` (an app named without `orphans`
    ///   must be registered), or a store error.
    public static func run(
        _ request: DeleteCacheRequest, store: any CacheMaintenance & ProjectDirectory, registeredApps: [String]
    ) throws -> Report {
        var project: Project? = nil
        if let uuid = request.project {
            guard let found = try store.project(uuid: uuid) else { throw CacheError.projectNotFound(uuid.sodarString) }
            project = found
        }
        if let app = request.app, !request.orphans, !registeredApps.contains(app) {
            throw CacheError.unknownApp(app, known: registeredApps.sorted())
        }
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
