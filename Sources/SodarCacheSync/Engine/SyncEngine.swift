import Foundation
import Logging
import SodarCache

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
    private let logger: Logger

    /// - Parameters:
    ///   - store: where items land and projects come from.
    ///   - plugins: the registered apps (`PluginRegistry.plugins(config:)`).
    ///   - jobs: the most units at once (at least 1).
    ///   - projectPaths: paths for projects without one (the config's `[project_paths]`).
    ///   - logger: receives SODAR's log lines.
    public init(
        store: any CacheBackend & ProjectDirectory, plugins: [any ProjectAppPlugin],
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, projectPaths: ProjectPaths = ProjectPaths(),
        logger: Logger
    ) {
        self.store = store
        self.projectPaths = projectPaths
        self.plugins = plugins.sorted { $0.name < $1.name }
        self.jobs = max(1, jobs)
        self.logger = logger
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
                units += resolved.map { SyncUnit(plugin: plugin, project: $0) }
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
        do {
            try SyncCancellation.$current.withValue(cancel) {
                try unit.plugin.updateCache(name: request.itemName, project: unit.project, user: request.user, cache: buffer)
            }
            let written = try buffer.commit()
            shared.withLock {
                $0.summary.succeeded += 1
                $0.summary.itemsWritten += written
            }
            if let project = unit.project {
                logger.debug("Updated cache for plugin \"\(app)\" in project \"\(project.fullTitle)\" (\(project.uuid.sodarString)): \(written) item(s)")
            } else {
                logger.debug("Updated site-wide cache for plugin \"\(app)\": \(written) item(s)")
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
