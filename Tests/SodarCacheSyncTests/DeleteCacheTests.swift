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
        let dry = try DeleteCache.run(DeleteCacheRequest(orphans: true, dryRun: true), store: store, registeredApps: ["filestats"])
        #expect(dry.count == 2)
        #expect(dry.lines == [#"Would delete 2 item(s) of app "oldapp" (orphaned: app not registered or project gone)"#, "Would delete 2 cached data item(s) from all projects"])
        #expect(store.allItems.count == 4)
        let real = try DeleteCache.run(DeleteCacheRequest(orphans: true), store: store, registeredApps: ["filestats"])
        #expect(real.count == 2)
        #expect(store.allItems.map(\.appName).sorted() == ["filestats", "filestats"])
    }

    @Test("by project with SODAR's message, and 'No cached data found' when empty")
    func byProject() throws {
        let (store, project) = try filled()
        let report = try DeleteCache.run(DeleteCacheRequest(project: project.uuid), store: store, registeredApps: ["filestats", "oldapp"])
        #expect(report.lines.last == "Deleted 2 cached data item(s) from project \"Lung\" (\(project.uuid.sodarString))")
        let again = try DeleteCache.run(DeleteCacheRequest(project: project.uuid), store: store, registeredApps: ["filestats", "oldapp"])
        #expect(again.lines == ["No cached data found"])
    }

    @Test("unknown project and unknown app are refused")
    func refusals() throws {
        let (store, _) = try filled()
        let missing = UUID()
        #expect(throws: CacheError.projectNotFound(missing.sodarString)) {
            try DeleteCache.run(DeleteCacheRequest(project: missing), store: store, registeredApps: ["filestats"])
        }
        #expect(throws: CacheError.unknownApp("nope", known: ["filestats"])) {
            try DeleteCache.run(DeleteCacheRequest(app: "nope"), store: store, registeredApps: ["filestats"])
        }
        #expect(store.allItems.count == 4)
    }
}
