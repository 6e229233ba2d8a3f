import Foundation
import Logging
import SodarCache
import StoreKernel

/// Runs app plugins per (plugin, project) unit with a bounded number of workers; each unit's
/// writes land in one transaction when it succeeds, so every item ends at its old or its new
/// value, never half a project.
public final class SyncEngine: Sendable {
    private let store: any CacheBackend & ProjectDirectory
    /// Sorted by name (SODAR calls plugins in name order).
    public let plugins: [any ProjectAppPlugin]
    /// At most this many units run at once.
    public let jobs: Int
    /// Paths for projects the store has none for (a SODAR site's database).
    public let projectPaths: ProjectPaths
    /// Whether units of apps whose command writes the cache itself (`writes_cache`) may start
    /// it. Such a command writes with its own credentials (SODAR's), past any limit of this
    /// session; when false, those units fail without starting it.
    public let mayStartCacheWritingCommands: Bool
    /// Apps whose items this engine writes itself (through a unit's buffer): not counted as a
    /// cache-writing command's writes when they land meanwhile.
    private let ownWrittenApps: Set<String>
    private let logger: Logger

    /// - Parameters:
    ///   - store: where items land and projects come from.
    ///   - plugins: the registered apps (`PluginRegistry.plugins(config:)`).
    ///   - jobs: the most units at once (at least 1).
    ///   - projectPaths: paths for projects without one (the config's `[project_paths]`).
    ///   - logger: receives SODAR's log lines.
    ///   - mayStartCacheWritingCommands: false for a session that may not write: units of
    ///     `writes_cache` apps then fail without starting their command.
    public init(
        store: any CacheBackend & ProjectDirectory, plugins: [any ProjectAppPlugin],
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, projectPaths: ProjectPaths = ProjectPaths(),
        logger: Logger, mayStartCacheWritingCommands: Bool = true
    ) {
        self.store = store
        self.projectPaths = projectPaths
        self.plugins = plugins.sorted { $0.name < $1.name }
        self.jobs = max(1, jobs)
        self.logger = logger
        self.mayStartCacheWritingCommands = mayStartCacheWritingCommands
        ownWrittenApps = Set(plugins.filter { plugin in
            !(plugin is DeclaredAppPlugin) && (plugin as? CommandPlugin)?.declaration.writesCache != true
        }.map(\.name))
    }

    /// The units a request stands for, in run order (plugin name, then project tree order).
    /// - Throws: `CacheError.projectNotFound` for an unknown project, `.unknownApp` for an
    ///   unknown app, or a store error.
    public func plan(_ request: SyncRequest) throws -> [SyncUnit] {
        var selected = plugins
        if let app = request.app {
            selected = plugins.filter { $0.name == app }
            guard !selected.isEmpty else {
                throw CacheError.unknownApp(app, known: plugins.map(\.name))
            }
        }
        let projects: [Project]
        if let uuid = request.project {
            guard let project = try store.project(uuid: uuid) else {
                throw CacheError.projectNotFound(uuid.sodarString)
            }
            // A category caches nothing itself: syncing it means syncing every project beneath it.
            projects = project.type == .category ? try self.projects(under: project) : [project]
        } else {
            projects = try store.allProjects().filter { $0.type == .project }
        }
        let resolved = projects.map(projectPaths.resolve)
        var units: [SyncUnit] = []
        for plugin in selected where !(plugin is DeclaredAppPlugin) {
            switch plugin.scope {
            case .site:
                if request.project == nil { units.append(SyncUnit(plugin: plugin, project: nil)) }
            case .project:
                if request.project == nil, (plugin as? CommandPlugin)?.runsOncePerSite == true {
                    // Its site_command syncs every project in one run (SODAR's synccache
                    // without -p), rather than one run per project.
                    units.append(SyncUnit(plugin: plugin, project: nil))
                } else {
                    units += resolved.map { SyncUnit(plugin: plugin, project: $0) }
                }
            }
        }
        return units
    }

    /// Runs the request: plans it, logs SODAR's lines, runs the units on up to `jobs` threads,
    /// and returns what happened. Blocks until every started unit has ended.
    ///
    /// - Parameters:
    ///   - cancel: cancels the run: running commands are killed, no unit starts after it.
    ///   - events: progress, called from worker threads (serialize what it touches).
    /// - Throws: what `plan(_:)` throws; a failing unit never throws, it is in the summary.
    public func run(
        _ request: SyncRequest, cancel: SyncCancellation, events: @escaping @Sendable (SyncEvent) -> Void
    ) throws -> SyncSummary {
        let units = try plan(request)
        if let uuid = request.project, let project = try? store.project(uuid: uuid) {
            logger.info("\(SyncMessages.limitingSync(to: project))")
        } else {
            logger.info("\(SyncMessages.allProjects)")
        }
        events(.planned(total: units.count))

        let shared = Locked(Progress())
        let work: @Sendable () -> Void = { [self] in
            while !cancel.isCancelled {
                guard let index = shared.withLock({ $0.take(limit: units.count) }) else { return }
                runUnit(units[index], request: request, cancel: cancel, shared: shared, events: events)
            }
        }
        let workers = min(jobs, units.count)
        if workers > 0 {
            let group = DispatchGroup()
            for _ in 1..<workers {
                group.enter()
                let thread = Thread {
                    work()
                    group.leave()
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            work()
            group.wait()
        }

        var summary = shared.withLock { $0.summary }
        summary.total = units.count
        summary.cancelled = cancel.isCancelled
        summary.skipped = units.count - summary.succeeded - summary.failed
        if summary.cancelled {
            events(.cancelled)
            logger.warning("\(SyncMessages.cancelled(summary))")
        } else {
            // Before SODAR's closing line, which stays the last.
            logger.info("\(SyncMessages.written(summary))")
            logger.info("\(SyncMessages.finished(summary))")
        }
        return summary
    }

    // MARK: - Private

    /// The projects (not categories) in `category`'s subtree, in tree order.
    private func projects(under category: Project) throws -> [Project] {
        var inside: Set<UUID> = [category.uuid]
        var found: [Project] = []
        // Tree order puts every parent before its children.
        for project in try store.allProjects() {
            guard let parent = project.parent, inside.contains(parent) else { continue }
            inside.insert(project.uuid)
            if project.type == .project { found.append(project) }
        }
        return found
    }

    /// An item's identity, for counting what a cache-writing command wrote.
    private struct ItemKey: Hashable {
        var project: UUID?
        var app: String
        var name: String
    }

    /// What tells one write of an item from another.
    private struct ItemVersion: Equatable {
        var dateModified: Date
        var size: Int
        var digest: Int
    }

    /// The items a cache-writing command's unit may write, as they stand: its project's, or
    /// every item for a run without a project (a site_command, a site-scope app), apart from
    /// those this engine writes itself. The store protocols give no row version, and on
    /// SODAR's tables SODAR's own rewrite keeps `date_modified`: a digest of the payload tells
    /// a rewrite with new data (one with identical data goes unseen). This reads every payload
    /// of the scope, twice per unit. Nil (logged) when the store could not be read: the count
    /// is then left out, not the unit failed.
    private func versions(for unit: SyncUnit) -> [ItemKey: ItemVersion]? {
        do {
            let projects: [UUID?] = try unit.project.map { [$0.uuid] } ?? ([nil] + store.allProjects().map(\.uuid))
            var versions: [ItemKey: ItemVersion] = [:]
            for project in projects {
                for item in try store.getProjectCache(project: project) where !ownWrittenApps.contains(item.appName) {
                    var hasher = Hasher()
                    hasher.combine(item.data)
                    versions[ItemKey(project: item.project, app: item.appName, name: item.name)] = ItemVersion(
                        dateModified: item.dateModified, size: item.data.count, digest: hasher.finalize())
                }
            }
            return versions
        } catch {
            logger.warning("Cannot count the items \"\(unit.plugin.name)\" writes: \(error)")
            return nil
        }
    }

    private struct Progress {
        var next = 0
        var summary = SyncSummary()

        mutating func take(limit: Int) -> Int? {
            guard next < limit else { return nil }
            defer { next += 1 }
            return next
        }
    }

    private func runUnit(
        _ unit: SyncUnit, request: SyncRequest, cancel: SyncCancellation, shared: Locked<Progress>,
        events: @Sendable (SyncEvent) -> Void
    ) {
        let app = unit.plugin.name
        events(.started(app: app, project: unit.project))
        let buffer = BufferingBackend(base: store)
        let writesCache = (unit.plugin as? CommandPlugin)?.declaration.writesCache == true
        do {
            var before: [ItemKey: ItemVersion]?
            if writesCache, let command = unit.plugin as? CommandPlugin {
                // Capability check: the one place a command that writes the cache with its own
                // credentials is started.
                guard mayStartCacheWritingCommands else {
                    throw SyncError.commandNotAllowed(
                        command: command.arguments(project: unit.project, itemName: request.itemName),
                        reason: "it writes the cache with its own credentials, and this session may not write")
                }
                before = versions(for: unit)
            }
            try SyncCancellation.$current.withValue(cancel) {
                try unit.plugin.updateCache(name: request.itemName, project: unit.project, user: request.user, cache: buffer)
            }
            var written = try buffer.commit()
            if let before, let after = versions(for: unit) {
                written += after.filter { before[$0.key] != $0.value }.count
            }
            shared.withLock {
                $0.summary.succeeded += 1
                $0.summary.itemsWritten += written
            }
            if let project = unit.project {
                logger.debug("Updated cache for plugin \"\(app)\" in project \"\(project.fullTitle)\" (\(project.uuid.sodarString)): \(written) item(s)")
            } else {
                let scope = (unit.plugin as? CommandPlugin)?.runsOncePerSite == true ? "whole-site" : "site-wide"
                logger.debug("Updated \(scope) cache for plugin \"\(app)\": \(written) item(s)")
            }
            events(.finished(app: app, project: unit.project, itemsWritten: written))
        } catch SyncError.commandCancelled {
            // Killed by cancellation: not a failure, counted as not done.
            logger.debug("Cancelled plugin \"\(app)\"\(unit.project.map { " in project \"\($0.fullTitle)\"" } ?? "")")
        } catch {
            let failure = SyncFailure(error)
            shared.withLock {
                $0.summary.failed += 1
                $0.summary.failures.append(SyncSummary.Failure(app: app, project: unit.project, failure: failure))
            }
            logger.error("\(SyncMessages.updateFailed(plugin: app, project: unit.project, failure: failure))")
            events(.failed(app: app, project: unit.project, failure: failure))
        }
    }
}
