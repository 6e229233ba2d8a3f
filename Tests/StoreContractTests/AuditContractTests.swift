import Foundation
import SodarCache
import SodarCacheMemory
@testable import SodarCachePostgres
import SodarCacheSQLite
import StoreKernel
import Testing

/// Every change made through sodarcache leaves one audit entry, in the change's own
/// transaction on sodarcache's own stores (in the local store on a SODAR site): the same words
/// on every engine.
@Suite struct AuditContractTests {
    static let kinds = StoreKind.available

    @Test(arguments: kinds) func writesDeletesAndRestoresAreRecordedWithWhoAndWhat(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let project = try fixture.makeTestProject()
        let who = ChangeAttribution(osUser: "erin", host: "node-3", command: "set")
        let store = try fixture.reopen(changes: ChangePolicy(trash: .standard, attribution: who))
        let audit = try #require(store.audit)
        try store.setCacheItem(appName: "timeline", name: "a", data: json("[1]"), dataType: "json", project: project.uuid, user: nil)
        try store.setCacheItems([
            CacheWrite(appName: "timeline", name: "b", data: json("[2]"), project: project.uuid),
            CacheWrite(appName: "samplesheets", name: "c", data: json("[3]"), project: nil),
        ])
        #expect(try store.deleteCache(appName: "timeline", project: project.uuid) == 2)
        let trash = try #require(store.trash)
        let entry = try #require(try trash.trashEntries(limit: 1).first)
        _ = try trash.restore(entries: [entry.id])

        // (The fixture's project was added before, by another handle: its entry comes last.)
        let entries = try audit.auditEntries(since: nil, limit: 4)
        #expect(entries.map(\.action) == ["restore", "delete", "write", "write"])
        #expect(entries.allSatisfy { $0.osUser == "erin" && $0.host == "node-3" && $0.command == "set" && $0.outcome == "ok" })
        #expect(entries[3].what == "timeline:a in project \(project.uuid.sodarString)")
        #expect(entries[2].what == "wrote 2 items of samplesheets, timeline in 1 project and site-wide")
        #expect(entries[1].what.hasPrefix("deleted 2 items (all of timeline in project \(project.uuid.sodarString))"))
        #expect(entries[1].what.hasSuffix("(trash \(entry.id))"))
        #expect(entries[0].what.contains("2 items of timeline"))
        // Newest first, and `since` and `limit` narrow it.
        #expect(try audit.auditEntries(since: nil, limit: 2).count == 2)
        #expect(try audit.auditEntries(since: Date().addingTimeInterval(3600), limit: 10).isEmpty)
        // A failure, recorded after its change rolled back.
        try audit.record(AuditNote(action: "write", what: "synccache", outcome: "failed: boom"))
        #expect(try audit.auditEntries(since: nil, limit: 1).first?.outcome == "failed: boom")
    }

    @Test(arguments: kinds) func noAuditTrailWhenItsKeepIsZero(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let project = try fixture.makeTestProject()
        let store = try fixture.reopen(changes: ChangePolicy(trash: .off, auditKeep: 0))
        let before = try #require(store.audit).auditEntries(since: nil, limit: 100).count
        try store.setCacheItem(appName: "timeline", name: "a", data: json("[1]"), dataType: "json", project: project.uuid, user: nil)
        try store.deleteCacheItem(appName: "timeline", name: "a", project: project.uuid)
        #expect(try #require(store.audit).auditEntries(since: nil, limit: 100).count == before)
    }
}

/// The audit trail's purge: not a DELETE with every entry, but when an entry is past the keep,
/// and at most once an hour per store handle.
@Suite struct AuditPurgeContractTests {
    static let kinds = StoreKind.available

    /// The purges a handle ran (a SODAR site's: its local store's).
    static func purges(_ store: any CacheStore) -> Int? {
        switch store {
        case let sqlite as SQLiteCacheStore: sqlite.auditPurge.purges
        case let memory as MemoryCacheStore: memory.auditPurge.purges
        case let postgres as PostgresCacheStore where postgres.layout == .sodar:
            (postgres.siteLocal.openedForChanges as? SQLiteCacheStore)?.auditPurge.purges
        case let postgres as PostgresCacheStore: postgres.auditPurge.purges
        default: nil
        }
    }

    @Test(arguments: kinds) func aWritePurgesOnlyWhenAnEntryIsPastTheKeepAndAtMostHourly(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let start = Date().addingTimeInterval(-86_400).rounded
        let now = Locked(start)
        let store = try fixture.reopen(
            changes: ChangePolicy(trash: .standard, auditKeep: 600), clock: { now.withLock { $0 } })
        let audit = try #require(store.audit)
        func write(_ name: String, at minutes: Double) throws {
            now.withLock { $0 = start.addingTimeInterval(minutes * 60) }
            try store.setCacheItem(appName: "timeline", name: name, data: json("[1]"), dataType: "json", project: nil, user: nil)
        }
        func kept() throws -> [String] {
            try audit.auditEntries(since: nil, limit: 100).filter { $0.action == "write" }.map(\.what).map { String($0.prefix(while: { $0 != " " })) }
        }
        // Nothing old: writes never purge.
        try write("a", at: 0)
        try write("b", at: 1)
        try write("c", at: 2)
        #expect(Self.purges(store) == 0)
        #expect(try kept() == ["timeline:c", "timeline:b", "timeline:a"])
        // Past the keep (10 minutes): the next write purges what is old.
        try write("d", at: 11.5)
        #expect(Self.purges(store) == 1)
        #expect(try kept() == ["timeline:d", "timeline:c"])
        // c is old now too, but this handle purged less than an hour ago: kept a while longer.
        try write("e", at: 30)
        #expect(Self.purges(store) == 1)
        #expect(try kept() == ["timeline:e", "timeline:d", "timeline:c"])
        // An hour after the purge: everything past the keep goes.
        try write("f", at: 72)
        #expect(Self.purges(store) == 2)
        #expect(try kept() == ["timeline:f"])
        // Within the hour after a purge no write asks or deletes.
        try write("g", at: 73)
        #expect(Self.purges(store) == 2)
    }
}

extension Date {
    /// Whole seconds (SQLite and PostgreSQL keep them exactly).
    fileprivate var rounded: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
