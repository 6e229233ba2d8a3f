import Foundation
import SodarCache
import StoreKernel
import Testing

/// What a sync unit's change report reads: the payloads of an app's items in a project, as
/// they stand (a dry run) or as they stood just before a batch, in its transaction.
@Suite struct ChangeReadingContractTests {
    func engine(_ fixture: ContractStore) throws -> any StoreEngine {
        try #require(fixture.store as? any StoreEngine)
    }

    func names(_ payloads: [StoredPayload]) -> [String] {
        payloads.map { "\($0.app):\($0.name)" }.sorted()
    }

    @Test(arguments: StoreKind.available) func payloadsOfAScopeOnly(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = try engine(fixture)
        let project = try fixture.makeTestProject()
        let other = try fixture.makeProject("Other")
        try store.setCacheItem(appName: "samplesheets", name: "a", data: json(#"{"b": 1, "a": [1, 2]}"#), project: project.uuid)
        try store.setCacheItem(appName: "samplesheets", name: "b", data: json("[]"), project: project.uuid)
        try store.setCacheItem(appName: "timeline", name: "t", data: json("{}"), project: project.uuid)
        try store.setCacheItem(appName: "samplesheets", name: "x", data: json("{}"), project: other.uuid)
        try store.setCacheItem(appName: "samplesheets", name: "site", data: json("{}"), project: nil)

        let scope = ItemScope(project: project.uuid, app: "samplesheets")
        let read = try store.payloads(in: [scope])
        #expect(names(read) == ["samplesheets:a", "samplesheets:b"])
        // As the store holds it: what a read of the item returns (jsonb's spelling on a SODAR site).
        let stored = try #require(try store.getCacheItem(appName: "samplesheets", name: "a", project: project.uuid))
        #expect(read.first { $0.name == "a" }?.data == stored.data)
        #expect(read.allSatisfy { $0.project == project.uuid })

        #expect(names(try store.payloads(in: [ItemScope(project: nil, app: "samplesheets")])) == ["samplesheets:site"])
        #expect(names(try store.payloads(in: [scope, ItemScope(project: project.uuid, app: "timeline")]))
            == ["samplesheets:a", "samplesheets:b", "timeline:t"])
        #expect(try store.payloads(in: []).isEmpty)
        #expect(try store.payloads(in: [ItemScope(project: project.uuid, app: "filesfolders")]).isEmpty)
        let unknown = UUID()
        #expect(throws: CacheError.projectNotFound(unknown.sodarString)) {
            try store.payloads(in: [ItemScope(project: unknown, app: "samplesheets")])
        }
        // A read-only session reads them too (a dry run opens the store so).
        let readOnly = try fixture.reopen(readOnly: true)
        #expect(names(try readOnly.payloads(in: [scope])) == ["samplesheets:a", "samplesheets:b"])
    }

    @Test(arguments: StoreKind.available) func aBatchReturnsWhatItReplaced(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = try engine(fixture)
        let project = try fixture.makeTestProject()
        try store.setCacheItem(appName: "samplesheets", name: "kept", data: json(#"{"v": 1}"#), project: project.uuid)
        try store.setCacheItem(appName: "samplesheets", name: "dropped", data: json(#"{"v": 1}"#), project: project.uuid)
        let scope = ItemScope(project: project.uuid, app: "samplesheets")
        let (written, before) = try store.commitBatch(
            deleting: [.item(appName: "samplesheets", name: "dropped", project: project.uuid)],
            writing: [
                CacheWrite(appName: "samplesheets", name: "kept", data: json(#"{"v": 2}"#), project: project.uuid),
                CacheWrite(appName: "samplesheets", name: "new", data: json("[]"), project: project.uuid),
            ],
            reading: [scope])
        #expect(written == 2)
        #expect(names(before) == ["samplesheets:dropped", "samplesheets:kept"])
        #expect(before.first { $0.name == "kept" }.map { text($0.data).replacingOccurrences(of: " ", with: "") } == #"{"v":1}"#)
        // And it landed.
        #expect(names(try store.payloads(in: [scope])) == ["samplesheets:kept", "samplesheets:new"])

        // Nothing to write: the payloads alone; a refused write lands nothing and reads nothing.
        let (none, now) = try store.commitBatch(deleting: [], writing: [], reading: [scope])
        #expect(none == 0 && names(now) == ["samplesheets:kept", "samplesheets:new"])
        #expect(throws: CacheError.self) {
            try store.commitBatch(
                deleting: [], writing: [CacheWrite(appName: "nope", name: "x", data: json("{}"), project: project.uuid)], reading: [scope])
        }
    }
}
