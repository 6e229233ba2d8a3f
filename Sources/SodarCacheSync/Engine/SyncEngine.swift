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
    /// What each unit's summary says it changed (`SyncSummary.changes`).
    public let changeReport: SyncChangeReport
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
    ///   - changeReport: how the summary reports what each unit changed.
    public init(
        store: any CacheBackend & ProjectDirectory, plugins: [any ProjectAppPlugin],
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, projectPaths: ProjectPaths = ProjectPaths(),
        logger: Logger, mayStartCacheWritingCommands: Bool = true, changeReport: SyncChangeReport = SyncChangeReport()
    ) {
        self.changeReport = changeReport
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
    ///   - dryRun: run the plugins as a real sync does but write nothing: each unit's writes
    ///     are compared with the items as they stand (`SyncSummary.changes`) and dropped.
    ///     Units of apps whose command writes the cache itself (`writes_cache`) are not run
    ///     (their command would write); the summary lists them as skipped, and why.
    ///   - cancel: cancels the run: running commands are killed, no unit starts after it.
    ///   - events: progress, called from worker threads (serialize what it touches).
    /// - Throws: what `plan(_:)` throws; a failing unit never throws, it is in the summary.
    public func run(
        _ request: SyncRequest, dryRun: Bool = false, cancel: SyncCancellation,
        events: @escaping @Sendable (SyncEvent) -> Void
    ) throws -> SyncSummary {
        var units = try plan(request)
        var notRun: [SyncUnitChanges] = []
        if dryRun {
            notRun = units.filter(Self.writesCache).map { unit in
                SyncUnitChanges(
                    app: unit.plugin.name, project: unit.project, basis: .skipped, skipped: SyncMessages.dryRunSkips)
            }
            units.removeAll(where: Self.writesCache)
        }
        if let uuid = request.project, let project = try? store.project(uuid: uuid) {
            logger.info("\(SyncMessages.limitingSync(to: project))")
        } else {
            logger.info("\(SyncMessages.allProjects)")
        }
        if dryRun { logger.info("\(SyncMessages.dryRun)") }
        for skipped in notRun {
            logger.info("\(SyncMessages.skipped(plugin: skipped.app, project: skipped.project))")
        }
        events(.planned(total: units.count))

        let shared = Locked(Progress())
        let work: @Sendable () -> Void = { [self, units] in
            while !cancel.isCancelled {
                guard let index = shared.withLock({ $0.take(limit: units.count) }) else { return }
                runUnit(units[index], index: index, request: request, dryRun: dryRun, cancel: cancel, shared: shared, events: events)
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

        var summary = shared.withLock { progress in
            var summary = progress.summary
            summary.changes = notRun + progress.changes.sorted { $0.index < $1.index }.map(\.changes)
            return summary
        }
        summary.total = units.count
        summary.dryRun = dryRun
        summary.cancelled = cancel.isCancelled
        summary.skipped = units.count - summary.succeeded - summary.failed
        for line in SyncMessages.changes(summary) { logger.info("\(line)") }
        if summary.cancelled {
            events(.cancelled)
            logger.warning("\(SyncMessages.cancelled(summary))")
        } else if dryRun {
            logger.info("\(SyncMessages.dryRunFinished(summary))")
        } else {
            // Before SODAR's closing line, which stays the last.
            logger.info("\(SyncMessages.written(summary))")
            logger.info("\(SyncMessages.finished(summary))")
        }
        return summary
    }

    /// Whether the unit's command writes the cache itself (with its own credentials).
    private static func writesCache(_ unit: SyncUnit) -> Bool {
        (unit.plugin as? CommandPlugin)?.declaration.writesCache == true
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

    /// An item as it stood, and what tells one write of it from another (the store protocols
    /// give no row version, and on SODAR's tables SODAR's own rewrite keeps `date_modified`: a
    /// digest of the payload tells a rewrite with new data).
    private struct Snapshot {
        var item: CacheItem
        var digest: Int

        func sameWrite(as other: Snapshot) -> Bool {
            item.dateModified == other.item.dateModified && item.data.count == other.item.data.count && digest == other.digest
        }
    }

    /// The items a cache-writing command's unit may write, as they stand, payloads included:
    /// its project's, or every item for a run without a project (a site_command, a site-scope
    /// app), apart from those this engine writes itself. Read before and after the run: the
    /// payloads before it are the versions a changed item keeps, and the report's changed
    /// paths (this holds the scope's payloads in memory for the run). Nil (logged) when the
    /// store could not be read: the count is then left out, not the unit failed.
    private func snapshot(for unit: SyncUnit) -> [ItemKey: Snapshot]? {
        do {
            let projects: [UUID?] = try unit.project.map { [$0.uuid] } ?? ([nil] + store.allProjects().map(\.uuid))
            var items: [ItemKey: Snapshot] = [:]
            for project in projects {
                for item in try store.getProjectCache(project: project) where !ownWrittenApps.contains(item.appName) {
                    var hasher = Hasher()
                    hasher.combine(item.data)
                    items[ItemKey(project: item.project, app: item.appName, name: item.name)] = Snapshot(item: item, digest: hasher.finalize())
                }
            }
            return items
        } catch {
            logger.warning("Cannot count the items \"\(unit.plugin.name)\" writes: \(error)")
            return nil
        }
    }

    /// What a command that writes the cache itself changed, against the items just before its
    /// run (with the changed paths); the payloads it replaced or removed are kept as versions
    /// in the store's history, as its own writes keep them (the store did not see these writes).
    private func ranChanges(_ unit: SyncUnit, before: [ItemKey: Snapshot], after: [ItemKey: Snapshot]) -> SyncUnitChanges {
        func payloads(_ items: [ItemKey: Snapshot]) -> [StoredPayload] {
            items.values.map { StoredPayload(project: $0.item.project, app: $0.item.appName, name: $0.item.name, data: $0.item.data) }
        }
        let (changes, replaced) = UnitChangeComparer(report: changeReport).compareRun(
            app: unit.plugin.name, project: unit.project, before: payloads(before), after: payloads(after))
        keepReplaced(replaced.compactMap { before[ItemKey(project: $0.project, app: $0.app, name: $0.name)]?.item })
        return changes
    }

    /// Keeps, in the store's history, the payloads a command that writes the cache itself
    /// replaced. A failure is logged: the run's writes stand.
    private func keepReplaced(_ items: [CacheItem]) {
        guard !items.isEmpty, let history = (store as? any StoreEngine)?.history else { return }
        let now = Date()
        let versions = items.map { StoreKernel.ItemVersion(replaced: $0, at: now) }
        do {
            try history.keepVersions(versions)
        } catch {
            logger.warning("Cannot keep the versions a cache-writing command replaced: \(error)")
        }
    }

    private struct Progress {
        var next = 0
        var summary = SyncSummary()
        /// Each unit's changes with its place in the run order (units end in any order).
        var changes: [(index: Int, changes: SyncUnitChanges)] = []

        mutating func take(limit: Int) -> Int? {
            guard next < limit else { return nil }
            defer { next += 1 }
            return next
        }
    }

    private func runUnit(
        _ unit: SyncUnit, index: Int, request: SyncRequest, dryRun: Bool, cancel: SyncCancellation, shared: Locked<Progress>,
        events: @Sendable (SyncEvent) -> Void
    ) {
        let app = unit.plugin.name
        events(.started(app: app, project: unit.project))
        let buffer = BufferingBackend(base: store)
        let writesCache = Self.writesCache(unit)
        var before: [ItemKey: Snapshot]?
        /// A command that writes the cache itself may have written before it failed or was
        /// killed: what it changed is reported (and its versions kept) all the same.
        func keepRanChanges() {
            guard let before, let after = snapshot(for: unit) else { return }
            let changes = ranChanges(unit, before: before, after: after)
            if changeReport.enabled { shared.withLock { $0.changes.append((index, changes)) } }
        }
        do {
            if writesCache, let command = unit.plugin as? CommandPlugin {
                // Capability check: the one place a command that writes the cache with its own
                // credentials is started.
                guard mayStartCacheWritingCommands else {
                    throw SyncError.commandNotAllowed(
                        command: command.arguments(project: unit.project, itemName: request.itemName),
                        reason: "it writes the cache with its own credentials, and this session may not write")
                }
                before = snapshot(for: unit)
            }
            try SyncCancellation.$current.withValue(cancel) {
                try unit.plugin.updateCache(name: request.itemName, project: unit.project, user: request.user, cache: buffer)
            }
            var written = 0
            var changes: SyncUnitChanges?
            let comparer = UnitChangeComparer(report: changeReport)
            let scope = ItemScope(project: unit.plugin.scope == .site ? nil : unit.project?.uuid, app: app)
            if !writesCache && (dryRun || changeReport.enabled) {
                let (deletions, writes) = buffer.pending()
                let scopes = UnitChangeComparer.scopes(unit: scope, writes: writes, deletions: deletions)
                let stored: [StoredPayload]
                if dryRun {
                    stored = try buffer.storedPayloads(in: scopes)
                } else {
                    let committed = try buffer.commit(reading: scopes)
                    written = committed.written
                    stored = committed.before
                }
                changes = comparer.compare(
                    app: app, project: unit.project, unit: scope, itemName: request.itemName, before: stored,
                    deletions: deletions, writes: writes)
            } else {
                written = try buffer.commit()
            }
            if let before, let after = snapshot(for: unit) {
                written += after.filter { entry in before[entry.key].map { !$0.sameWrite(as: entry.value) } ?? true }.count
                let ran = ranChanges(unit, before: before, after: after)
                if changeReport.enabled { changes = ran }
            }
            shared.withLock {
                $0.summary.succeeded += 1
                $0.summary.itemsWritten += written
                if let changes { $0.changes.append((index, changes)) }
            }
            let outcome = changes.map { ": \($0.counts.description)" } ?? ": \(written) item(s)"
            let verb = dryRun ? "Compared" : "Updated"
            if let project = unit.project {
                logger.debug("\(verb) cache for plugin \"\(app)\" in project \"\(project.fullTitle)\" (\(project.uuid.sodarString))\(outcome)")
            } else {
                let scope = (unit.plugin as? CommandPlugin)?.runsOncePerSite == true ? "whole-site" : "site-wide"
                logger.debug("\(verb) \(scope) cache for plugin \"\(app)\"\(outcome)")
            }
            events(.finished(app: app, project: unit.project, itemsWritten: written))
        } catch SyncError.commandCancelled {
            keepRanChanges()
            // Killed by cancellation: not a failure, counted as not done.
            logger.debug("Cancelled plugin \"\(app)\"\(unit.project.map { " in project \"\($0.fullTitle)\"" } ?? "")")
        } catch {
            keepRanChanges()
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
