import Foundation
import Logging
import SodarCache
import SodarCacheSQLite
import StoreKernel
import Testing

@testable import SodarCacheSync

/// What a sync reports it changes, and what a dry run reports it would change: the same
/// comparison, over the memory store with fake plugins (and SQLite for a command that writes
/// the cache itself).
@Suite("Sync change report and dry run")
struct SyncChangeReportTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let project = Project(title: "Liver")

    /// A store holding the app's items as the last sync left them.
    func store() throws -> MemoryStore {
        let store = MemoryStore(projects: [project])
        for (name, json) in [
            ("same", #"{"a": 1}"#), ("edited", #"{"a": 1, "rows": [{"id": 1}, {"id": 2}], "title": "x"}"#),
            ("reordered", #"{"x": 1, "y": [2, 3]}"#), ("gone", "{}"),
        ] {
            try store.setCacheItem(appName: "app", name: name, data: Data(json.utf8), project: project.uuid)
        }
        // Another app's item in the project: never "no longer written" for this app.
        try store.setCacheItem(appName: "b", name: "other", data: Data("{}".utf8), project: project.uuid)
        return store
    }

    /// Writes what the plugin produces now: one item unchanged, one edited, one with its keys
    /// in another order and its whitespace changed, one new; `gone` is no longer produced.
    let plugin = ClosurePlugin(name: "app") { _, project, cache in
        let writes = [
            ("same", #"{"a": 1}"#), ("edited", #"{"a": 2, "rows": [{"id": 1}, {"id": 2}, {"id": 3}], "title": "y"}"#),
            ("reordered", #"{"y":[2,3],"x":1}"#), ("fresh", "[]"),
        ]
        try cache.setCacheItems(writes.map {
            CacheWrite(appName: "app", name: $0.0, data: Data($0.1.utf8), project: project?.uuid)
        })
    }

    func check(_ summary: SyncSummary, dryRun: Bool) throws {
        #expect(summary.dryRun == dryRun)
        let unit = try #require(summary.changes.first { $0.app == "app" })
        #expect(unit.basis == .writes)
        #expect(unit.project?.uuid == project.uuid)
        #expect(unit.counts == SyncChangeCounts(new: 1, changed: 1, unchanged: 2, notWritten: 1))
        #expect(unit.items(.new).map(\.name) == ["fresh"])
        #expect(unit.items(.notWritten).map(\.name) == ["gone"])
        let edited = try #require(unit.items(.changed).first)
        #expect(edited.name == "edited")
        #expect(edited.paths == [".a", ".rows[2]", ".title"])
        #expect(edited.pathCount == 3)
        #expect(summary.changesByApp.map(\.app) == ["app"])
        #expect(summary.changeTotals.changesStore)
    }

    @Test("a real sync's summary: new, changed with paths, unchanged (key order too), no longer written")
    func realSync() throws {
        let store = try store()
        let summary = try SyncEngine(store: store, plugins: [plugin], logger: logger)
            .run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(summary.isSuccess)
        try check(summary, dryRun: false)
        // It wrote, in one transaction for the unit.
        #expect(try store.getCacheItem(appName: "app", name: "fresh", project: project.uuid) != nil)
        #expect(summary.itemsWritten == 4)
        #expect(store.transactions.last?.count == 4)
        // Run again: nothing new or changed any more.
        let again = try SyncEngine(store: store, plugins: [plugin], logger: logger)
            .run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(again.changeTotals == SyncChangeCounts(unchanged: 4, notWritten: 1))
        #expect(!again.changeTotals.changesStore)
        #expect(SyncMessages.changes(again) == [#"Changes for plugin "app": 0 new, 0 changed, 4 unchanged, 1 no longer written"#])
    }

    @Test("a dry run reports the same and writes nothing: items, change token and transactions as they were")
    func dryRunWritesNothing() throws {
        let store = try store()
        let before = store.allItems.sorted { $0.name < $1.name }
        let token = try store.changeToken()
        let transactions = store.transactionCount
        let summary = try SyncEngine(store: store, plugins: [plugin], logger: logger)
            .run(SyncRequest(), dryRun: true, cancel: SyncCancellation()) { _ in }
        #expect(summary.isSuccess)
        try check(summary, dryRun: true)
        #expect(summary.itemsWritten == 0)
        #expect(store.allItems.sorted { $0.name < $1.name } == before)
        #expect(try store.changeToken() == token)
        #expect(store.transactionCount == transactions)
        #expect(SyncMessages.changes(summary) == [#"Would change for plugin "app": 1 new, 1 changed, 2 unchanged, 1 no longer written"#])
        #expect(SyncMessages.dryRunFinished(summary).hasSuffix("nothing was written"))
    }

    @Test("a dry run works on a store opened read-only")
    func dryRunReadOnly() throws {
        let store = try store()
        let readOnly = store.view(registeredApps: MemoryStore.testApps, readOnly: true)
        let summary = try SyncEngine(store: readOnly, plugins: [plugin], logger: logger)
            .run(SyncRequest(), dryRun: true, cancel: SyncCancellation()) { _ in }
        #expect(summary.isSuccess, "\(summary.failures.map(\.failure.message))")
        try check(summary, dryRun: true)
        // A real sync there fails: the dry run did not pass by luck.
        let real = try SyncEngine(store: readOnly, plugins: [plugin], logger: logger)
            .run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(real.failed == 1)
    }

    @Test("a dry run does not start a command that writes the cache itself, and says so")
    func dryRunSkipsCacheWriters() throws {
        let dir = try TempDir()
        let marker = dir.path + "/ran"
        var declaration = AppDeclaration(name: "sodar", command: ["/bin/sh", "-c", "touch \(marker)"], timeout: 20)
        declaration.writesCache = true
        let sodar = try #require(CommandPlugin(declaration))
        let store = try store()
        let summary = try SyncEngine(store: store, plugins: [sodar, plugin], logger: logger)
            .run(SyncRequest(), dryRun: true, cancel: SyncCancellation()) { _ in }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(summary.total == 1)
        #expect(summary.isSuccess)
        let skipped = try #require(summary.changes.first { $0.app == "sodar" })
        #expect(skipped.basis == .skipped)
        #expect(skipped.skipped?.contains("writes the cache itself") == true)
        #expect(skipped.project?.uuid == project.uuid)
        // Not counted as compared.
        #expect(summary.changesByApp.map(\.app) == ["app"])
        #expect(SyncMessages.dryRunFinished(summary).contains("1 not run (its command writes the cache itself)"))
    }

    @Test("numbers by value for a store that respells them; by text otherwise")
    func numbers() throws {
        let store = MemoryStore(projects: [project])
        // As jsonb keeps a payload: keys reordered, 1.50 respelled 1.5, 1e2 as 100.
        try store.setCacheItem(appName: "app", name: "n", data: Data(#"{"b": 100, "a": 1.5}"#.utf8), project: project.uuid)
        let writer = ClosurePlugin(name: "app") { _, project, cache in
            try cache.setCacheItem(appName: "app", name: "n", data: Data(#"{"a": 1.50, "b": 1e2}"#.utf8), project: project?.uuid)
        }
        let byText = try SyncEngine(store: store, plugins: [writer], logger: logger)
            .run(SyncRequest(), dryRun: true, cancel: SyncCancellation()) { _ in }
        #expect(byText.changeTotals.changed == 1)
        #expect(byText.changes.first?.items.first?.paths == [".b", ".a"])
        let byValue = try SyncEngine(
            store: store, plugins: [writer], logger: logger, changeReport: SyncChangeReport(numbersByValue: true)
        ).run(SyncRequest(), dryRun: true, cancel: SyncCancellation()) { _ in }
        #expect(byValue.changeTotals == SyncChangeCounts(unchanged: 1))
    }

    @Test("a plugin's own deletes are removed items; with -n only that item can be no longer written")
    func deletesAndOneItem() throws {
        let store = try store()
        let pruner = ClosurePlugin(name: "app") { name, project, cache in
            try cache.deleteCacheItem(appName: "app", name: "gone", project: project?.uuid)
            try cache.setCacheItem(appName: "app", name: name ?? "same", data: Data(#"{"a": 1}"#.utf8), project: project?.uuid)
        }
        let summary = try SyncEngine(store: store, plugins: [pruner], logger: logger)
            .run(SyncRequest(), dryRun: true, cancel: SyncCancellation()) { _ in }
        #expect(summary.changeTotals == SyncChangeCounts(unchanged: 1, notWritten: 2, removed: 1))
        #expect(summary.changes.first?.items(.removed).map(\.name) == ["gone"])
        #expect(summary.changes.first?.items(.notWritten).map(\.name) == ["edited", "reordered"])

        let one = try SyncEngine(store: store, plugins: [pruner], logger: logger)
            .run(SyncRequest(itemName: "edited"), dryRun: true, cancel: SyncCancellation()) { _ in }
        #expect(one.changeTotals == SyncChangeCounts(changed: 1, removed: 1))

        // The real run removes it, and says so.
        let real = try SyncEngine(store: store, plugins: [pruner], logger: logger)
            .run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(real.changeTotals.removed == 1)
        #expect(try store.getCacheItem(appName: "app", name: "gone", project: project.uuid) == nil)
    }

    @Test("the report is off when asked: nothing read before the writes, nothing in the summary")
    func off() throws {
        let store = try store()
        let summary = try SyncEngine(store: store, plugins: [plugin], logger: logger, changeReport: .off)
            .run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(summary.isSuccess)
        #expect(summary.changes.isEmpty)
        #expect(SyncMessages.changes(summary).isEmpty)
        #expect(summary.itemsWritten == 4)
    }

    @Test("items past the limit are counted, not listed; paths past the limit say how many more")
    func limits() throws {
        let store = MemoryStore(projects: [project])
        try store.setCacheItem(appName: "app", name: "wide", data: Data(#"{"a":1,"b":1,"c":1,"d":1,"e":1}"#.utf8), project: project.uuid)
        let many = ClosurePlugin(name: "app") { _, project, cache in
            try cache.setCacheItems((0..<10).map { CacheWrite(appName: "app", name: "n\($0)", data: Data("{}".utf8), project: project?.uuid) }
                + [CacheWrite(appName: "app", name: "wide", data: Data(#"{"a":2,"b":2,"c":2,"d":2,"e":2}"#.utf8), project: project?.uuid)])
        }
        let summary = try SyncEngine(
            store: store, plugins: [many], logger: logger, changeReport: SyncChangeReport(itemLimit: 4, pathsPerItem: 2)
        ).run(SyncRequest(), dryRun: true, cancel: SyncCancellation()) { _ in }
        let unit = try #require(summary.changes.first)
        #expect(unit.counts == SyncChangeCounts(new: 10, changed: 1))
        #expect(unit.items.count == 4)
        #expect(unit.itemsLeftOut == 7)
        let wide = try SyncEngine(
            store: store, plugins: [many], logger: logger, changeReport: SyncChangeReport(itemLimit: 100, pathsPerItem: 2)
        ).run(SyncRequest(), dryRun: true, cancel: SyncCancellation()) { _ in }.changes.first?.items(.changed).first
        #expect(wide?.paths == [".a", ".b"])
        #expect(wide?.morePaths == 3)
    }

    @Test("a failing unit reports no changes and writes nothing in either mode")
    func failing() throws {
        let store = try store()
        let failing = ClosurePlugin(name: "app") { _, project, cache in
            try cache.setCacheItem(appName: "app", name: "fresh", data: Data("{}".utf8), project: project?.uuid)
            throw PluginFailure()
        }
        for dryRun in [true, false] {
            let summary = try SyncEngine(store: store, plugins: [failing], logger: logger)
                .run(SyncRequest(), dryRun: dryRun, cancel: SyncCancellation()) { _ in }
            #expect(summary.failed == 1)
            #expect(summary.changes.isEmpty)
            #expect(try store.getCacheItem(appName: "app", name: "fresh", project: project.uuid) == nil)
        }
    }
}

/// A command that writes the cache itself (SODAR's own synccache): what its run changed, against
/// the items just before it. On SQLite, which a command can write from outside the process.
@Suite("Sync change report of a command that writes the cache itself")
struct SyncCacheWriterChangeTests {
    @Test("new, changed and removed items, by name; unchanged ones counted")
    func aroundTheRun() throws {
        let dir = try TempDir()
        let path = dir.path + "/cache.sqlite3"
        let store = try SQLiteCacheStore(path: path, registeredApps: ["samplesheets", "sodar"])
        let project = try store.addProject(Project(title: "Liver"))
        for name in ["kept", "edited", "dropped"] {
            try store.setCacheItem(appName: "samplesheets", name: name, data: Data("{}".utf8), project: project.uuid)
        }
        // Writes as SODAR would, through its own connection: one item changed, one new, one deleted.
        let script = try dir.script("manage.py", """
            sqlite3 '\(path)' "PRAGMA busy_timeout = 5000;
              UPDATE cache_item SET data = '{\\"v\\": 2}', size = 8, date_modified = date_modified + 1 WHERE name = 'edited';
              INSERT INTO cache_item (uuid, project_id, app_name, name, date_modified, size, data)
                SELECT randomblob(16), id, 'samplesheets', 'added', 1, 2, '{}' FROM project;
              DELETE FROM cache_item WHERE name = 'dropped';" || exit 1
            echo 'Cache synchronization OK' >&2
            """)
        var declaration = AppDeclaration(name: "sodar", command: [script], timeout: 20)
        declaration.writesCache = true
        let sodar = try #require(CommandPlugin(declaration))
        let summary = try SyncEngine(store: store, plugins: [sodar], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            .run(SyncRequest(project: project.uuid), cancel: SyncCancellation()) { _ in }
        #expect(summary.isSuccess, "\(summary.failures.map(\.failure.message))")
        let unit = try #require(summary.changes.first)
        #expect(unit.basis == .aroundRun)
        #expect(unit.counts == SyncChangeCounts(new: 1, changed: 1, unchanged: 1, removed: 1))
        #expect(unit.items.map { "\($0.kind.rawValue) \($0.app):\($0.name)" }
            == ["new samplesheets:added", "changed samplesheets:edited", "removed samplesheets:dropped"])
        #expect(unit.items(.changed).first?.paths == [".v"])
        #expect(summary.itemsWritten == 2)
        // The items as they were just before the run are kept as versions: the removed one by
        // the engine; the changed one once (the store's own trigger saw that UPDATE already).
        let dropped = try store.versions(appName: "samplesheets", name: "dropped", project: project.uuid)
        #expect(dropped.count == 1)
        #expect(try store.version(rev: try #require(dropped.first).rev)?.data == Data("{}".utf8))
        let edited = try store.versions(appName: "samplesheets", name: "edited", project: project.uuid)
        #expect(edited.count == 1)
        #expect(try store.version(rev: try #require(edited.first).rev)?.data == Data("{}".utf8))
        #expect(try store.versions(appName: "samplesheets", name: "kept", project: project.uuid).isEmpty)
        #expect(SyncMessages.changes(summary) == [
            #"Changes made by plugin "sodar" (against the items just before its run): 1 new, 1 changed, 1 removed: "#
                + "+samplesheets:added ~samplesheets:edited -samplesheets:dropped",
        ])
    }
}
