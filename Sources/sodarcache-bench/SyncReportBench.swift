import Foundation
import Logging
import SodarCache
import SodarCacheSQLite
import SodarCacheSync

/// `sodarcache-bench sync-report [--projects N] [--items K] [--rounds R]`
///
/// What a real sync's change report costs against the sync engine's own overhead: N projects
/// (default 1,000) on a fresh SQLite store, an in-process plugin writing K items per project
/// (default 10) in one `setCacheItems`, run through `SyncEngine` (jobs 1) with the report on
/// (`SyncChangeReport()`, the default: the unit's scopes are read before its writes in the
/// same transaction, and each changed payload is diffed for its paths) and off
/// (`SyncChangeReport.off`: nothing read before the writes), taking turns. Small (~60-byte)
/// and 1 KB payloads; every payload changed since the last run, and none changed (an
/// identical rewrite, as SODAR's syncs mostly are). Median of R rounds (default 3).
enum SyncReportBench {
    static let app = "benchreport"

    static func run(_ arguments: [String]) {
        do {
            var projects = 1_000, items = 10, rounds = 3
            for (argument, text) in try BenchArguments.pairs(arguments) {
                let value = try BenchArguments.count(argument, text)
                switch argument {
                case "--projects": projects = value
                case "--items": items = value
                case "--rounds": rounds = value
                default: throw CacheError.invalidArgument("unknown option \(argument)")
                }
            }
            try measure(projects: projects, items: items, rounds: rounds)
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench sync-report: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The plugin's output: a small or ~1 KB object, its values set by `generation`.
    static func payload(_ item: Int, project: UUID, generation: Int, large: Bool) -> Data {
        var text = #"{"item": \#(item), "generation": \#(generation)"#
        if large {
            text += #", "rows": ["#
            text += (0..<21).map { #"{"id": \#($0), "name": "sample_\#(item)_\#($0)", "size": \#($0 * 997 + generation)}"# }
                .joined(separator: ", ")
            text += "]"
        }
        return Data((text + "}").utf8)
    }

    static func measure(projects count: Int, items: Int, rounds: Int) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-report-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try SQLiteCacheStore(path: directory.appendingPathComponent("store.sqlite3").path, registeredApps: [app], logger: quiet)
        // History off: this measures the report, not the versions it would keep.
        try store.applyHistoryPolicy(.off)
        let projects = SyncBench.makeProjects(count)
        _ = try store.importProjects(projects)
        let units = projects.filter { $0.type == .project }.count
        let generation = Locked(0), large = Locked(false)
        let plugin = ReportPlugin(name: app) { project in
            let (g, big) = (generation.withLock { $0 }, large.withLock { $0 })
            return (0..<items).map { CacheWrite(appName: app, name: "item/\($0)", data: payload($0, project: project, generation: g, large: big), project: project) }
        }
        let on = SyncEngine(store: store, plugins: [plugin], jobs: 1, logger: quiet)
        let off = SyncEngine(store: store, plugins: [plugin], jobs: 1, logger: quiet, changeReport: .off)
        print("sync-report bench: \(units) projects x \(items) items, jobs 1, \(rounds) rounds, load \(loadAverage())")
        for big in [false, true] {
            large.withLock { $0 = big }
            _ = try off.run(SyncRequest(), cancel: SyncCancellation()) { _ in }
            for changed in [true, false] {
                var onTimes: [Double] = [], offTimes: [Double] = []
                var lastChanges = 0
                for round in 0..<rounds {
                    for reporting in round % 2 == 0 ? [true, false] : [false, true] {
                        if changed { generation.withLock { $0 += 1 } }
                        var watch = StoreBench.Stopwatch()
                        let summary = try (reporting ? on : off).run(SyncRequest(), cancel: SyncCancellation()) { _ in }
                        let seconds = watch.lap()
                        guard summary.failed == 0, summary.succeeded == units else {
                            throw CacheError.storeFailure("a run failed: \(summary.failures.first.map { "\($0.failure)" } ?? "?")")
                        }
                        if reporting {
                            onTimes.append(seconds)
                            lastChanges = summary.changeTotals.changed
                        } else {
                            offTimes.append(seconds)
                        }
                    }
                }
                let expected = changed ? units * items : 0
                guard lastChanges == expected else {
                    throw CacheError.storeFailure("the report counted \(lastChanges) changed items, expected \(expected)")
                }
                let perUnitOn = SyncBench.median(onTimes) / Double(units) * 1000
                let perUnitOff = SyncBench.median(offTimes) / Double(units) * 1000
                print(String(
                    format: "%@ payloads (%d bytes), %@: report off %.3f ms/unit, on %.3f ms/unit: +%.3f ms (%.2fx)  (runs off %@; on %@ s)",
                    big ? "1 KB" : "small", payload(0, project: UUID(), generation: 1, large: big).count,
                    changed ? "every item changed" : "nothing changed", perUnitOff, perUnitOn, perUnitOn - perUnitOff,
                    perUnitOn / perUnitOff, SyncBench.list(offTimes), SyncBench.list(onTimes)))
            }
        }
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }
}

/// Writes the items `writes` gives for the project, in one call.
private struct ReportPlugin: ProjectAppPlugin {
    let name: String
    let writes: @Sendable (UUID) -> [CacheWrite]
    var title: String { name }
    var scope: PluginScope { .project }

    func updateCache(name itemName: String?, project: Project?, user: User?, cache: (any CacheBackend)?) throws {
        guard let cache, let project else { return }
        try cache.setCacheItems(writes(project.uuid))
    }
}
