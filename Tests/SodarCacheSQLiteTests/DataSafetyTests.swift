import Foundation
import StoreKernel
import Testing
import SodarCache
@testable import SodarCacheSQLite

/// Issue 13's store-level regressions: snapshot listings, names that cannot be told apart,
/// sibling titles, and update times that agree to the microsecond.
@Suite struct DataSafetyTests {
    let fixture: StoreFixture
    let store: SQLiteCacheStore

    init() throws {
        fixture = try StoreFixture()
        store = fixture.store
    }

    @Test func listingIsOneSnapshotWhileAnotherConnectionDeletes() throws {
        let project = try fixture.makeProject()
        let writes = (0..<2_500).map {
            CacheWrite(appName: "samplesheets", name: String(format: "item/%05d", $0), data: json("{}"), project: project.uuid)
        }
        try store.setCacheItems(writes)
        let other = try fixture.reopen()
        var seen = 0
        var pages = 0
        try store.forEachItemPage(matching: CacheFilter(), pageSize: 1_000) { page in
            if pages == 0 {
                // Another process deletes everything after the first page was read.
                let deleted = try other.deleteItems(matching: CacheFilter())
                #expect(deleted == 2_500)
            }
            pages += 1
            seen += page.count
        }
        #expect(seen == 2_500)
        #expect(pages == 3)
        #expect(try store.totals().items == 0)
    }

    @Test func listingOfOrphansIsASnapshotToo() throws {
        try store.setCacheItems((0..<30).map { CacheWrite(appName: "timeline", name: "t\($0)", data: json("[]")) })
        let other = try fixture.reopen()
        var seen = 0
        try store.forEachItemPage(matching: CacheFilter(appNotIn: ["samplesheets"]), pageSize: 10) { page in
            if seen == 0 { try other.deleteCache(appName: "timeline", project: nil) }
            seen += page.count
        }
        #expect(seen == 30)
    }

    @Test(arguments: ["", " ", "\t\n", "\u{3000}", String(repeating: "x", count: 256), String(repeating: "ä", count: 256)])
    func namesThatCannotBeToldApartAreRefused(name: String) throws {
        #expect(throws: CacheError.self) {
            try store.setCacheItem(appName: "samplesheets", name: name, data: json("{}"))
        }
        #expect(throws: CacheError.self) {
            try store.setCacheItems([CacheWrite(appName: "samplesheets", name: "fine", data: json("{}")),
                                     CacheWrite(appName: "samplesheets", name: name, data: json("{}"))])
        }
        #expect(throws: CacheError.self) {
            try store.commitBatch(deleting: [], writing: [CacheWrite(appName: "samplesheets", name: name, data: json("{}"))])
        }
        #expect(try store.totals().items == 0)
    }

    @Test func nameErrorSaysWhy() throws {
        let error = #expect(throws: CacheError.self) {
            try store.setCacheItem(appName: "samplesheets", name: String(repeating: "n", count: 300), data: json("{}"))
        }
        #expect(error?.description.contains("at most 255 characters, this one has 300") == true)
        // An escape is not whitespace: a valid (if odd) name, shown escaped. A tab-only name is not.
        try store.setCacheItem(appName: "samplesheets", name: "\u{1b}", data: json("{}"))
        let tab = #expect(throws: CacheError.self) {
            try store.setCacheItem(appName: "samplesheets", name: "\t", data: json("{}"))
        }
        #expect(tab?.description.contains("\\u0009") == true)
        #expect(tab?.description.contains("only whitespace") == true)
    }

    @Test func longestNameIsAccepted() throws {
        let name = String(repeating: "ä", count: 255)
        try store.setCacheItem(appName: "samplesheets", name: name, data: json("{}"))
        #expect(try store.getCacheItem(appName: "samplesheets", name: name) != nil)
    }

    @Test func siblingsCannotShareATitle() throws {
        let category = try store.addProject(Project(title: "Cancer", type: .category))
        let first = try store.addProject(Project(title: "Liver", type: .project, parent: category.uuid))
        let error = #expect(throws: CacheError.self) {
            try store.addProject(Project(title: "Liver", type: .project, parent: category.uuid))
        }
        #expect(error?.description.contains("\"Liver\" already exists in \"Cancer\"") == true)
        // The same title elsewhere is fine; at the top level it is taken by nobody yet.
        try store.addProject(Project(title: "Liver", type: .project))
        #expect(throws: CacheError.self) { try store.addProject(Project(title: "Cancer", type: .category)) }
        // Renaming onto a sibling's title, or moving next to a namesake, is refused too.
        let second = try store.addProject(Project(title: "Kidney", type: .project, parent: category.uuid))
        var renamed = second
        renamed.title = "Liver"
        #expect(throws: CacheError.self) { try store.updateProject(renamed) }
        // Keeping its own title is not a clash with itself.
        var described = first
        described.description = "new"
        try store.updateProject(described)
        // An import that would create a pair is refused whole.
        let imported = [Project(title: "Kidney", type: .project, parent: category.uuid), Project(title: "Lung", type: .project)]
        #expect(throws: CacheError.self) { try store.importProjects(imported) }
        #expect(try store.allProjects().count == 4)
    }

    @Test func updateTimeIsWholeMicroseconds() throws {
        for index in 0..<200 {
            let item = try store.setCacheItem(appName: "samplesheets", name: "i\(index)", data: json("{}"))
            let time = try #require(try store.getUpdateTime(appName: "samplesheets", name: "i\(index)", project: nil))
            let micros = time * 1_000_000
            #expect(micros == micros.rounded())
            #expect(item.dateModified.timeIntervalSince1970 == time)
        }
    }
}

/// `changeToken()` reads on a connection of its own: it never queues behind this store's writer.
@Suite struct ChangeTokenTests {
    @Test func theTokenAnswersWhileThisStoresWriterIsBusy() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = try? store.writeTransaction { db in
                try db.execute(sql: "DELETE FROM cache_item WHERE 0")
                entered.signal()
                release.wait()
            }
        }
        thread.start()
        entered.wait()
        // The writer lets go after 2 s whatever happens: a token that queued behind it would
        // answer only then.
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { release.signal() }
        let started = Date()
        let token = try store.changeToken()
        #expect(Date().timeIntervalSince(started) < 1)
        try store.setCacheItem(appName: "timeline", name: "x", data: json("{}"))
        #expect(try store.changeToken() != token)
    }
}

/// Single-item gets go through the item reader's own connection; when another thread is using
/// it, a get falls back to the pool instead of waiting, with the same answer.
@Suite struct ItemReaderTests {
    @Test func aGetWhileTheReaderIsBusyFallsBackToThePool() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let project = try fixture.makeProject()
        let written = try store.setCacheItem(appName: "timeline", name: "x", data: json(#"{"a": 1}"#), project: project.uuid)
        let reader = try #require(store.itemReader)
        let fast = try store.getCacheItem(appName: "timeline", name: "x", project: project.uuid)
        let fallback = try reader.whileBusy {
            try store.getCacheItem(appName: "timeline", name: "x", project: project.uuid)
        }
        #expect(fast == written)
        #expect(fallback == written)
        #expect(try reader.whileBusy { try store.getCacheItem(appName: "timeline", name: "none", project: project.uuid) } == nil)
    }
}
