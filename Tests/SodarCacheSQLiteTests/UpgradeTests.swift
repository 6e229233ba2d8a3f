import Foundation
import GRDB
import SodarCache
import StoreKernel
import Testing
@testable import SodarCacheSQLite

/// Stores written by earlier versions (schema v1 to v4) open and upgrade to the current one
/// with their projects and items intact.
@Suite struct UpgradeTests {
    @Test(arguments: ["v1", "v2", "v3", "v4"])
    func anOlderStoreUpgradesWithItsData(version: String) throws {
        let fixture = try StoreFixture()
        let path = fixture.directory.appendingPathComponent("old-\(version).sqlite3").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteCacheStore.migrator.migrate(queue, upTo: version)
        let category = UUID()
        let twins = [UUID(), UUID()]
        try queue.write { db in
            // As that version wrote them: sort keys by title only, equal sibling titles allowed.
            try db.execute(
                sql: """
                    INSERT INTO project (id, uuid, title, type, parent_uuid, full_title, sort_key, depth)
                    VALUES (1, ?, 'Cat', 'CATEGORY', NULL, 'Cat', 'Cat', 0),
                           (2, ?, 'Twin', 'CATEGORY', ?, 'Cat / Twin', 'Cat' || char(1) || 'Twin', 1),
                           (3, ?, 'Twin', 'CATEGORY', ?, 'Cat / Twin', 'Cat' || char(1) || 'Twin', 1)
                    """,
                arguments: [category, twins[0], category, twins[1], category])
            for (index, project) in [Int64(0), 2, 3].enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO cache_item (uuid, project_id, app_name, name, date_modified, size, data)
                        VALUES (?, ?, 'samplesheets', ?, 1800000000.5, 2, '{}')
                        """,
                    arguments: [UUID(), project, "item\(index)"])
            }
        }
        try queue.close()
        let store = try SQLiteCacheStore(path: path, registeredApps: StoreFixture.apps)
        let totals = try store.totals()
        #expect(totals.items == 3)
        #expect(totals.bytes == 6)
        #expect(totals.siteItems == 1)
        #expect(try store.getCacheItem(appName: "samplesheets", name: "item1", project: twins[0]) != nil)
        #expect(try store.getCacheItem(appName: "samplesheets", name: "item0", project: nil) != nil)
        // v4: each twin's subtree stays together in tree order.
        let order = try store.allProjects().map(\.uuid)
        #expect(order.first == category)
        #expect(Set(order.dropFirst()) == Set(twins))
        // v5: each project's own totals, counted once by the upgrade, give the subtree totals.
        let rows = try store.projectPage(after: nil, limit: 10, query: ProjectQuery())
        #expect(rows.first?.subtree == ProjectTotals(items: 2, bytes: 4, latestUpdate: Date(timeIntervalSince1970: 1_800_000_000.5)))
        #expect(rows.filter { $0.depth == 1 }.map(\.itemCount) == [1, 1])
        // And the upgraded store takes writes, keeping its totals.
        try store.setCacheItem(appName: "samplesheets", name: "new", data: json("[1]"), project: twins[1])
        #expect(try store.totals().items == 4)
        #expect(try store.projectPage(after: nil, limit: 1, query: ProjectQuery()).first?.subtree?.items == 3)
    }

    /// A store file as an older build left it: its migrations up to `version`, nothing else.
    static func olderStore(in fixture: StoreFixture, upTo version: String) throws -> String {
        let path = fixture.directory.appendingPathComponent("old.sqlite3").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteCacheStore.migrator.migrate(queue, upTo: version)
        try queue.close()
        return path
    }

    /// A read of an older store changes nothing and says to run `migrate`; `migrate` says from
    /// which version to which.
    @Test func anOlderStoreIsReadOnlyAfterMigrate() throws {
        let fixture = try StoreFixture()
        let path = try Self.olderStore(in: fixture, upTo: "v2")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let refused = #expect(throws: CacheError.self) {
            try SQLiteCacheStore(path: path, registeredApps: StoreFixture.apps, readOnly: true)
        }
        #expect(refused?.description.contains("run `sodarcache migrate`") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let migrated = try SQLiteCacheStore.migrate(path: path)
        #expect(migrated.from == 2 && migrated.to == SQLiteCacheStore.migrator.migrations.count)
        #expect(try SQLiteCacheStore.migrate(path: path) == (from: migrated.to, to: migrated.to))
        _ = try SQLiteCacheStore(path: path, registeredApps: StoreFixture.apps, readOnly: true)
    }

    /// What `browse` checks before its writable open: an older schema is refused, byte for
    /// byte untouched, a current one passes, a newer one is named.
    @Test func theSchemaCheckRefusesAnOlderOrNewerStoreAndChangesNothing() throws {
        let fixture = try StoreFixture()
        let path = try Self.olderStore(in: fixture, upTo: "v3")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: CacheError.storeNeedsUpgrade(location: path)) { try SQLiteCacheStore.requireCurrentSchema(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        _ = try SQLiteCacheStore.migrate(path: path)
        try SQLiteCacheStore.requireCurrentSchema(path: path)
        let newer = try DatabaseQueue(path: path)
        try newer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        try newer.close()
        #expect(throws: CacheError.storeTooNew(location: path, version: "v99")) { try SQLiteCacheStore.requireCurrentSchema(path: path) }
    }
}
