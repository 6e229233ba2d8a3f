import Foundation
import StoreKernel
import Testing
import SodarCache
@testable import SodarCacheSQLite

/// The header totals kept by triggers, and payloads large enough for the streamed read path.
@Suite struct TotalsAndLargeItemTests {
    let fixture: StoreFixture
    let store: SQLiteCacheStore
    let project: Project

    init() throws {
        fixture = try StoreFixture()
        store = fixture.store
        project = try fixture.makeProject()
    }

    /// `makeProject` adds the project under a category: one of each in the tree.
    @Test func totalsFollowInsertsUpdatesAndDeletes() throws {
        _ = try store.setCacheItem(appName: "filesfolders", name: "a", data: json(#"{"k": 1}"#), project: project.uuid)
        _ = try store.setCacheItem(appName: "timeline", name: "b", data: json(#"[1, 2, 3]"#), project: nil)
        #expect(try store.totals() == StoreTotals(projects: 1, categories: 1, items: 2, bytes: 8 + 9, siteItems: 1))
        // An upsert that changes the size moves the bytes, not the count.
        _ = try store.setCacheItem(appName: "filesfolders", name: "a", data: json(#"{"key": 100}"#), project: project.uuid)
        #expect(try store.totals() == StoreTotals(projects: 1, categories: 1, items: 2, bytes: 12 + 9, siteItems: 1))
        _ = try store.deleteCache(appName: "timeline", project: nil)
        #expect(try store.totals() == StoreTotals(projects: 1, categories: 1, items: 1, bytes: 12, siteItems: 0))
        // Another connection to the same file sees the same numbers.
        #expect(try fixture.reopen().totals() == StoreTotals(projects: 1, categories: 1, items: 1, bytes: 12, siteItems: 0))
    }

    @Test func largePayloadReadsBackExactly() throws {
        var text = #"{"rows": ["#
        for i in 0..<60_000 { text += (i == 0 ? "" : ", ") + #"{"id": \#(i), "name": "sample-\#(i)"}"# }
        text += "]}"
        let data = json(text)
        #expect(data.count > ItemReader.inlineLimit)
        let written = try store.setCacheItem(appName: "samplesheets", name: "big", data: data, project: project.uuid)
        let read = try #require(try store.getCacheItem(appName: "samplesheets", name: "big", project: project.uuid))
        #expect(read == written)
        #expect(read.data == data)
        // The browser opens items by UUID: the same bytes through the same large-payload path.
        let byUUID = try #require(try store.item(uuid: written.uuid))
        #expect(byUUID == written)
        // The small-item path still works after the memory map was switched off and on.
        _ = try store.setCacheItem(appName: "samplesheets", name: "small", data: json("{}"), project: project.uuid)
        #expect(try store.getCacheItem(appName: "samplesheets", name: "small", project: project.uuid)?.data == json("{}"))
    }
}
