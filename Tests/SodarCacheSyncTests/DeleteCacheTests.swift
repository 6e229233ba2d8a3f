import Foundation
import SodarCache
import Testing

@testable import SodarCacheSync

@Suite("deletecache")
struct DeleteCacheTests {
    func filled() throws -> (MemoryStore, Project) {
        let store = MemoryStore()
        let project = try store.addProject(Project(title: "Lung"))
        let other = try store.addProject(Project(title: "Colon"))
        for (app, name, where_) in [("filestats", "a", project.uuid), ("filestats", "b", other.uuid), ("oldapp", "x", project.uuid), ("oldapp", "y", nil)] as [(String, String, UUID?)] {
            try store.setCacheItem(appName: app, name: name, data: Data("{}".utf8), project: where_)
        }
        return (store, project)
    }

    @Test("orphans: items of unregistered apps, counted per app; dry run deletes nothing")
    func orphans() throws {
        let (store, _) = try filled()
        let dry = try DeleteCache.run(DeleteCacheRequest(orphans: true, dryRun: true), store: store, registeredApps: ["filestats"], configFound: true)
        #expect(dry.count == 2)
        #expect(dry.lines == [#"Would delete 2 item(s) of app "oldapp" (orphaned: app not registered or project gone)"#, "Would delete 2 cached data item(s) from all projects"])
        #expect(store.allItems.count == 4)
        let real = try DeleteCache.run(DeleteCacheRequest(orphans: true), store: store, registeredApps: ["filestats"], configFound: true)
        #expect(real.count == 2)
        #expect(store.allItems.map(\.appName).sorted() == ["filestats", "filestats"])
    }

    @Test("by project with SODAR's message, and 'No cached data found' when empty")
    func byProject() throws {
        let (store, project) = try filled()
        let report = try DeleteCache.run(DeleteCacheRequest(project: project.uuid), store: store, registeredApps: ["filestats", "oldapp"], configFound: true)
        #expect(report.lines.last == "Deleted 2 cached data item(s) from project \"Lung\" (\(project.uuid.sodarString))")
        let again = try DeleteCache.run(DeleteCacheRequest(project: project.uuid), store: store, registeredApps: ["filestats", "oldapp"], configFound: true)
        #expect(again.lines == ["No cached data found"])
    }

    @Test("an unknown project, and an unregistered app without items (a typo), are refused")
    func refusals() throws {
        let (store, _) = try filled()
        let missing = UUID()
        #expect(throws: CacheError.projectNotFound(missing.sodarString)) {
            try DeleteCache.run(DeleteCacheRequest(project: missing), store: store, registeredApps: ["filestats"], configFound: true)
        }
        #expect(throws: CacheError.unknownApp("nope", known: ["filestats"])) {
            try DeleteCache.run(DeleteCacheRequest(app: "nope", dryRun: true), store: store, registeredApps: ["filestats"], configFound: true)
        }
        #expect(store.allItems.count == 4)
    }

    @Test("an app no longer registered: the dry run counts what the real run deletes")
    func unregisteredApp() throws {
        let (store, _) = try filled()
        let request = DeleteCacheRequest(app: "oldapp")
        let dry = try DeleteCache.run(
            DeleteCacheRequest(app: "oldapp", dryRun: true), store: store, registeredApps: ["filestats"], configFound: true)
        #expect(dry.count == 2)
        let real = try DeleteCache.run(request, store: store, registeredApps: ["filestats"], configFound: true)
        #expect(real.count == 2)
        #expect(store.allItems.map(\.appName) == ["filestats", "filestats"])
    }

    @Test("without a config, --orphans and an unregistered app are refused and nothing is deleted")
    func noConfig() throws {
        let (store, _) = try filled()
        for request in [DeleteCacheRequest(orphans: true), DeleteCacheRequest(orphans: true, dryRun: true), DeleteCacheRequest(app: "oldapp")] {
            let error = try #require(throws: SyncError.self) {
                try DeleteCache.run(request, store: store, registeredApps: ["filestats"], configFound: false)
            }
            #expect(error.description.contains("without a config every app"))
            #expect(error.description.contains("--config"))
        }
        #expect(store.allItems.count == 4)
        // A registered app needs no config.
        #expect(try DeleteCache.run(DeleteCacheRequest(app: "filestats"), store: store, registeredApps: ["filestats"], configFound: false).count == 2)
    }
}
