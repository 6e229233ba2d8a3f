import Foundation
import Logging
import SodarCache
import SodarCacheMemory
import SodarCacheSQLite
import SodarCacheSync

#if canImport(Glibc)
    import Glibc
#endif

/// `sodarcache-bench sync [--projects N] [--jobs J] [--rounds R] [--direct D]`
///
/// On a fresh temporary store with N projects (default 10,000):
/// 1. end to end: `SyncEngine.run` with one trivial command app (`/usr/bin/printf`, one item
///    per project) on J workers (default: the core count);
/// 2. the engine's own overhead per plugin call: the same units with an in-process plugin that
///    writes one small item, on 1 and J workers, beside a plugin that writes nothing (engine
///    bookkeeping alone) and beside the same writes made straight to the store, one
///    transaction each (the store's share); R alternating rounds (default 3), medians;
/// 3. peak RSS.
enum SyncBench {
    static let commandApp = "benchcommand"
    static let inProcessApp = "benchinprocess"
    static let itemName = "trivial"
    static let payload = Data(#"{"ok": true}"#.utf8)

    struct Options {
        var projects = 10_000
        var jobs = ProcessInfo.processInfo.activeProcessorCount
        var rounds = 3
        var direct = 1_000
    }

    static func run(_ arguments: [String]) {
        do {
            try measure(parse(arguments))
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench sync: \(error)\n".utf8))
            exit(1)
        }
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        for (argument, text) in try BenchArguments.pairs(arguments) {
            let value = try BenchArguments.count(argument, text)
            switch argument {
            case "--projects": options.projects = value
            case "--jobs": options.jobs = value
            case "--rounds": options.rounds = value
            case "--direct": options.direct = value
            default: throw CacheError.invalidArgument("unknown option \(argument)")
            }
        }
        return options
    }

    static func measure(_ options: Options) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-sync-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try SQLiteCacheStore(
            path: directory.appendingPathComponent("store.sqlite3").path,
            registeredApps: [commandApp, inProcessApp], logger: quiet)
        let projects = makeProjects(options.projects)
        var clock = StoreBench.Stopwatch()
        _ = try store.importProjects(projects)
        let importTime = clock.lap()
        let units = projects.filter { $0.type == .project }
        print("sync bench: \(units.count) projects (+\(projects.count - units.count) categories), jobs \(options.jobs), "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(options.rounds) rounds")
        print(String(format: "store in %@; importProjects of %d in %.2f s", directory.path, projects.count, importTime))

        // MARK: 1. End to end with a trivial command app
        let declaration = AppDeclaration(
            name: commandApp, command: ["/usr/bin/printf", #"{"ok": true, "project": "%s"}"#, "{project_uuid}"],
            item: itemName)
        guard let command = CommandPlugin(declaration) else {
            throw CacheError.invalidArgument("the command app has no command")
        }
        print("")
        print("1. end to end: command \(command.command.map { "'\($0)'" }.joined(separator: " ")), item \"\(itemName)\"")
        let commandEngine = SyncEngine(store: store, plugins: [command], jobs: options.jobs, logger: quiet)
        _ = clock.lap()
        let commandSummary = try commandEngine.run(SyncRequest(), cancel: SyncCancellation(), events: { _ in })
        let commandWall = clock.lap()
        try check(commandSummary, units: units.count, what: "command run")
        let stored = try store.getProjectCache(project: units[units.count / 2].uuid, dataType: "json")
            .filter { $0.appName == commandApp }.count
        guard stored == 1 else { throw CacheError.storeFailure("a project holds \(stored) command items, not 1") }
        let workers = min(options.jobs, units.count)
        print("units:                    \(commandSummary.total) (succeeded \(commandSummary.succeeded), failed \(commandSummary.failed))")
        print("items written:            \(commandSummary.itemsWritten)")
        print(String(format: "wall time:                %.2f s", commandWall))
        print(String(format: "items/s end to end:       %.0f", Double(commandSummary.itemsWritten) / commandWall))
        print(String(format: "wall time per unit:       %.3f ms (x %d workers = %.3f ms of worker time per unit)",
                     commandWall / Double(units.count) * 1000, workers, commandWall * Double(workers) / Double(units.count) * 1000))

        // The command plugin called directly, one project after another, writes discarded: what
        // one run of the command costs without the engine and the store.
        let directCount = min(options.direct, units.count)
        let sink = MemoryCacheStore(registeredApps: [command.name])
        for project in units.prefix(directCount) { _ = try sink.addProject(Project(uuid: project.uuid, title: project.fullTitle)) }
        _ = clock.lap()
        for project in units.prefix(directCount) {
            try command.updateCache(name: nil, project: project, user: nil, cache: sink)
        }
        let directTime = clock.lap()
        guard sink.allItems.count == directCount else {
            throw CacheError.storeFailure("the direct command calls wrote \(sink.allItems.count) items, not \(directCount)")
        }
        print(String(format: "command alone (%d direct calls, 1 at a time, no engine, no store): %.3f ms per call",
                     directCount, directTime / Double(directCount) * 1000))

        // MARK: 2. Engine overhead per plugin call, in process
        print("")
        print("2. engine overhead per plugin call (in-process plugin, \(units.count) units, medians of \(options.rounds) rounds)")
        let writer = InProcessPlugin(name: inProcessApp, writes: true)
        let idle = InProcessPlugin(name: inProcessApp, writes: false)
        let writers1 = SyncEngine(store: store, plugins: [writer], jobs: 1, logger: quiet)
        let writersN = SyncEngine(store: store, plugins: [writer], jobs: options.jobs, logger: quiet)
        let idle1 = SyncEngine(store: store, plugins: [idle], jobs: 1, logger: quiet)

        // First run inserts the items; every measured run after it updates them, as a resync does.
        _ = clock.lap()
        try check(writersN.run(SyncRequest(), cancel: SyncCancellation(), events: { _ in }), units: units.count, what: "first run")
        let insertRun = clock.lap()
        print(String(format: "first run (inserts, jobs %d): %.2f s, %.3f ms per call", options.jobs, insertRun, insertRun / Double(units.count) * 1000))

        let writes = units.map { CacheWrite(appName: inProcessApp, name: itemName, data: payload, project: $0.uuid) }
        var planTimes: [Double] = []
        var idleTimes: [Double] = []
        var engine1Times: [Double] = []
        var engineNTimes: [Double] = []
        var setTimes: [Double] = []
        var batchTimes: [Double] = []
        for _ in 0..<options.rounds {
            _ = clock.lap()
            _ = try writers1.plan(SyncRequest())
            planTimes.append(clock.lap())
            let idleSummary = try idle1.run(SyncRequest(), cancel: SyncCancellation(), events: { _ in })
            idleTimes.append(clock.lap())
            try check(idleSummary, units: units.count, what: "no-write run", items: 0)
            let summary1 = try writers1.run(SyncRequest(), cancel: SyncCancellation(), events: { _ in })
            engine1Times.append(clock.lap())
            try check(summary1, units: units.count, what: "jobs 1 run")
            let summaryN = try writersN.run(SyncRequest(), cancel: SyncCancellation(), events: { _ in })
            engineNTimes.append(clock.lap())
            try check(summaryN, units: units.count, what: "jobs \(options.jobs) run")
            for write in writes {
                try store.setCacheItems([write])
            }
            setTimes.append(clock.lap())
            for write in writes {
                _ = try store.commitBatch(deleting: [], writing: [write])
            }
            batchTimes.append(clock.lap())
        }
        let perCall = { (times: [Double]) in median(times) / Double(units.count) * 1000 }
        let rows: [(String, [Double])] = [
            ("engine plan() alone (load + order units)", planTimes),
            ("engine, plugin writes nothing, jobs 1", idleTimes),
            ("engine, plugin writes 1 item, jobs 1", engine1Times),
            ("engine, plugin writes 1 item, jobs \(options.jobs)", engineNTimes),
            ("store setCacheItems([1 item]) x units", setTimes),
            ("store commitBatch([1 item]) x units", batchTimes),
        ]
        print(StoreBench.pad("what", 46) + StoreBench.pad("ms/call", 10) + StoreBench.pad("total s", 9) + "runs (s)")
        for (name, times) in rows {
            print(StoreBench.pad(name, 46) + StoreBench.pad(String(format: "%.4f", perCall(times)), 10)
                  + StoreBench.pad(String(format: "%.2f", median(times)), 9) + list(times))
        }
        let engine1 = perCall(engine1Times)
        let engineN = perCall(engineNTimes)
        let storeShare = perCall(batchTimes)
        print(String(format: "engine overhead per call, jobs 1: %.4f ms = store transaction %.4f ms (commitBatch, as the engine calls it) "
                     + "+ engine bookkeeping %.4f ms", engine1, storeShare, engine1 - storeShare))
        print(String(format: "engine bookkeeping alone (no write, so no transaction): %.4f ms per call", perCall(idleTimes)))
        print(String(format: "engine overhead per call, jobs %d: %.4f ms of wall time (target < 1 ms)", options.jobs, engineN))

        // MARK: 3. Memory
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("")
        print(String(format: "3. peak RSS of the bench process: %.1f MB (getrusage)", Double(usage.ru_maxrss) / 1024))
    }

    // MARK: - Helpers

    /// `count` projects of type PROJECT (the sync units) under `count / 100` categories.
    static func makeProjects(_ count: Int) -> [Project] {
        let categories = (0..<max(1, count / 100)).map { Project(title: "Category \($0)", type: .category) }
        let projects = (0..<count).map { p in
            Project(title: "Project \(p)", type: .project, parent: categories[p % categories.count].uuid)
        }
        return categories + projects
    }

    static func check(_ summary: SyncSummary, units: Int, what: String, items: Int? = nil) throws {
        let expected = items ?? units
        guard summary.total == units, summary.succeeded == units, summary.itemsWritten == expected else {
            let first = summary.failures.first.map { ": first failure \($0.failure)" } ?? ""
            throw CacheError.storeFailure(
                "\(what): \(summary.succeeded) of \(summary.total) units succeeded, \(summary.itemsWritten) items written, "
                    + "expected \(units) and \(expected)\(first)")
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func list(_ values: [Double]) -> String {
        values.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }
}

/// A plugin that does nothing but write one small item through the `cache` it is given (or,
/// with `writes` false, nothing at all): what is left of a sync unit is the engine's own cost.
private struct InProcessPlugin: ProjectAppPlugin {
    let name: String
    let writes: Bool
    var title: String { name }
    var scope: PluginScope { .project }

    func updateCache(name itemName: String?, project: Project?, user: User?, cache: (any CacheBackend)?) throws {
        guard writes, let cache else { return }
        try cache.setCacheItems([CacheWrite(appName: name, name: SyncBench.itemName, data: SyncBench.payload, project: project?.uuid, user: user)])
    }
}
