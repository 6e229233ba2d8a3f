import Foundation
import Logging
import SodarCache
import Testing

@testable import SodarCacheSync

/// A plugin driven by a closure, for engine tests.
struct ClosurePlugin: ProjectAppPlugin {
    var name: String
    var title: String { name }
    var scope: PluginScope = .project
    var body: @Sendable (String?, Project?, any CacheBackend) throws -> Void

    func updateCache(name: String?, project: Project?, user: User?, cache: (any CacheBackend)?) throws {
        guard let cache else { return }
        try body(name, project, cache)
    }
}

struct PluginFailure: Error, CustomStringConvertible {
    var description: String { "irods unreachable" }
}

/// Collects events from worker threads.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [SyncEvent] = []

    func append(_ event: SyncEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    var all: [SyncEvent] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }
}

@Suite("Sync engine")
struct SyncEngineTests {
    let logger = Logger(label: "test")

    func store(projects: Int) throws -> (MemoryStore, [Project]) {
        let store = MemoryStore()
        let category = try store.addProject(Project(title: "Cat", type: .category))
        var list: [Project] = []
        for i in 0..<projects {
            list.append(try store.addProject(Project(title: "P\(i)", parent: category.uuid)))
        }
        return (store, list)
    }

    @Test("a failing plugin is reported and the others go on; its writes are dropped")
    func failuresIsolated() throws {
        let (store, projects) = try store(projects: 3)
        let bad = ClosurePlugin(name: "aaa") { _, project, cache in
            try cache.setCacheItem(appName: "aaa", name: "half", data: Data("{}".utf8), project: project?.uuid)
            if project?.title == "P1" { throw PluginFailure() }
        }
        let good = ClosurePlugin(name: "bbb") { _, project, cache in
            try cache.setCacheItem(appName: "bbb", name: "x", data: Data("[1]".utf8), project: project?.uuid)
        }
        let events = EventLog()
        let summary = try SyncEngine(store: store, plugins: [good, bad], jobs: 2, logger: logger)
            .run(SyncRequest(), cancel: SyncCancellation()) { events.append($0) }
        #expect(summary.succeeded == 5)
        #expect(summary.failed == 1)
        #expect(summary.failures.first?.project?.title == "P1")
        #expect(summary.failures.first?.failure.message == "irods unreachable")
        #expect(summary.itemsWritten == 5)
        #expect(try store.getCacheItem(appName: "aaa", name: "half", project: projects[1].uuid) == nil)
        #expect(try store.getCacheItem(appName: "aaa", name: "half", project: projects[0].uuid) != nil)
        #expect(SyncMessages.finished(summary) == "Cache synchronization finished with errors (see logs)")
        #expect(events.all.contains { if case .failed(app: "aaa", _, _) = $0 { return true } else { return false } })
        // categories are not synced when no project is named
        #expect(store.allItems.allSatisfy { item in projects.contains { $0.uuid == item.project } })
    }

    @Test("each unit's writes land in exactly one transaction")
    func oneTransactionPerUnit() throws {
        let (store, _) = try store(projects: 4)
        let plugin = ClosurePlugin(name: "app") { _, project, cache in
            for i in 0..<3 {
                try cache.setCacheItem(appName: "app", name: "item\(i)", data: Data("{\"i\": \(i)}".utf8), project: project?.uuid)
            }
            // a plugin reading its own write sees it before commit
            let own = try cache.getCacheItem(appName: "app", name: "item2", project: project?.uuid)
            if own?.data != Data("{\"i\": 2}".utf8) { throw PluginFailure() }
        }
        let summary = try SyncEngine(store: store, plugins: [plugin], jobs: 2, logger: logger)
            .run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(summary.isSuccess)
        #expect(store.transactions.count == 4)
        #expect(store.transactions.allSatisfy { $0.count == 3 })
        #expect(summary.itemsWritten == 12)
    }

    @Test("never more than `jobs` units at once")
    func jobsBound() throws {
        let (store, _) = try store(projects: 16)
        let running = Locked((now: 0, peak: 0))
        let plugin = ClosurePlugin(name: "app") { _, _, _ in
            running.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) }
            usleep(20_000)
            running.withLock { $0.now -= 1 }
        }
        _ = try SyncEngine(store: store, plugins: [plugin], jobs: 3, logger: logger)
            .run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        let peak = running.withLock { $0.peak }
        #expect(peak <= 3)
        #expect(peak >= 2)
    }

    @Test("limits by project, app and item name")
    func limits() throws {
        let (store, projects) = try store(projects: 3)
        let calls = Locked<[String]>([])
        let a = ClosurePlugin(name: "a") { name, project, _ in calls.withLock { $0.append("a \(project?.title ?? "-") \(name ?? "-")") } }
        let b = ClosurePlugin(name: "b") { name, project, _ in calls.withLock { $0.append("b \(project?.title ?? "-") \(name ?? "-")") } }
        let site = ClosurePlugin(name: "s", scope: .site) { _, project, _ in calls.withLock { $0.append("s \(project?.title ?? "-")") } }
        let engine = SyncEngine(store: store, plugins: [b, site, a], jobs: 1, logger: logger)
        _ = try engine.run(SyncRequest(project: projects[2].uuid, app: "b", itemName: "n"), cancel: SyncCancellation()) { _ in }
        #expect(calls.withLock { $0 } == ["b P2 n"])
        calls.withLock { $0 = [] }
        _ = try engine.run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(calls.withLock { $0 } == ["a P0 -", "a P1 -", "a P2 -", "b P0 -", "b P1 -", "b P2 -", "s -"])
    }

    @Test("unknown project and unknown app give SODAR's messages")
    func unknowns() throws {
        let (store, _) = try store(projects: 1)
        let engine = SyncEngine(store: store, plugins: [FileStatsPlugin()], jobs: 1, logger: logger)
        let missing = UUID()
        let projectError = try #require(throws: CacheError.self) {
            try engine.run(SyncRequest(project: missing), cancel: SyncCancellation()) { _ in }
        }
        #expect(projectError.description == "Project not found with UUID=\(missing.sodarString)")
        let appError = try #require(throws: CacheError.self) {
            try engine.run(SyncRequest(app: "nope"), cancel: SyncCancellation()) { _ in }
        }
        #expect(appError.description == "Unknown app \"nope\" (registered apps: filestats)")
    }

    @Test("cancellation kills running commands, starts nothing new and keeps finished work")
    func cancellation() throws {
        let dir = try TempDir()
        let (store, projects) = try store(projects: 6)
        // P0 finishes at once; the others sleep until killed.
        let script = try dir.script("slow", #"[ "$1" = "P0" ] || sleep 60; printf '{}'"#)
        let plugin = try #require(CommandPlugin(AppDeclaration(name: "cmd", command: [script, "{project_title}"], item: "x")))
        let cancel = SyncCancellation()
        let events = EventLog()
        let start = Date()
        let summary = try SyncEngine(store: store, plugins: [plugin], jobs: 2, logger: logger)
            .run(SyncRequest(), cancel: cancel) { event in
                events.append(event)
                if case .finished = event {
                    DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { cancel.cancel() }
                }
            }
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(summary.cancelled)
        #expect(summary.succeeded == 1)
        #expect(summary.failed == 0)
        #expect(summary.skipped == 5)
        #expect(try store.getCacheItem(appName: "cmd", name: "x", project: projects[0].uuid) != nil)
        #expect(store.transactionCount == 1)
        #expect(events.all.filter { if case .started = $0 { return true } else { return false } }.count <= 3)
        if case .cancelled = events.all.last {} else { Issue.record("last event should be .cancelled") }
    }

    @Test("the progress line shows done/total and failures at a fixed width")
    func progressLine() {
        var printer = SyncProgressPrinter()
        let project = Project(title: "Cancer\u{1b}[2J")
        printer.apply(.planned(total: 4))
        printer.apply(.started(app: "filestats", project: project))
        printer.apply(.finished(app: "filestats", project: project, itemsWritten: 2))
        printer.apply(.failed(app: "filestats", project: project, failure: SyncFailure(message: "x")))
        let line = printer.line(width: 60)
        #expect(line == "[#######--------] 2/4  1 failed  filestats: Cancer?[2J" + String(repeating: " ", count: 6))
        #expect(line.count == 60)
        #expect(printer.closing() == "1 of 4 done, 2 item(s) written, 1 failed, 2 not done")
    }
}
