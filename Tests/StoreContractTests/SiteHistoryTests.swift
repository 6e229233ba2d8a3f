import Foundation
import SodarCache
@testable import SodarCachePostgres
import SodarCacheSQLite
import StoreKernel
import Testing

/// On a SODAR site the history lives in the local store: the versions sodarcache's own writes,
/// deletes and syncs replace, written before the site's transaction commits and reconciled if
/// a crash falls between; SODAR's other writers are not seen.
@Suite struct SiteHistoryTests {
    static func history(_ store: any CacheStore) throws -> any ItemHistory {
        try #require((store as? any StoreEngine)?.history)
    }

    @Test func aDeleteKeepsAVersionAndASyncThatRewritesIdenticalDataKeepsNone() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, project, _) = try TrashContractTests.populated(.sodar)
        let store = fixture.store
        let history = try Self.history(store)
        #expect(!history.seesEveryWriter)
        // A sync's batch: every item of the app deleted, then written again, one of them changed.
        try store.commitBatch(
            deleting: [.all(appName: "timeline", project: project.uuid)],
            writing: [
                CacheWrite(appName: "timeline", name: "a", data: json(#"{"a":1}"#), project: project.uuid),
                CacheWrite(appName: "timeline", name: "b", data: json("[3]"), project: project.uuid),
            ])
        // "a" is the same JSON (jsonb spells it its way): no version; "b" changed: one.
        #expect(try history.versions(appName: "timeline", name: "a", project: project.uuid).isEmpty)
        let b = try history.versions(appName: "timeline", name: "b", project: project.uuid)
        #expect(b.count == 1)
        #expect(try history.version(rev: try #require(b.first).rev)?.data == json("[2]"))

        // A plain delete keeps the payload it took, as a version of the gone item.
        let c = try #require(try store.getCacheItem(appName: "samplesheets", name: "c", project: project.uuid))
        try store.deleteCacheItem(appName: "samplesheets", name: "c", project: project.uuid)
        let kept = try history.versions(appName: "samplesheets", name: "c", project: project.uuid)
        #expect(kept.map(\.uuid) == [c.uuid])
        #expect(try history.version(rev: try #require(kept.first).rev)?.data == json(#""c""#))
        // With the trash off, a delete still keeps its version.
        let untrashed = try fixture.reopen(changes: ChangePolicy(trash: .off))
        try untrashed.deleteCacheItem(appName: "timeline", name: "site", project: nil)
        #expect(try Self.history(untrashed).versions(appName: "timeline", name: "site", project: nil).count == 1)
        // Nothing is left pending in the local store.
        let local = try SQLiteCacheStore(path: try #require(fixture.localTrashPath), registeredApps: [])
        #expect(try local.pendingSiteVersionTransactions().isEmpty)
    }

    @Test func versionsWrittenBySODARsOtherWritersAreNotSeen() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, project, _) = try TrashContractTests.populated(.sodar)
        let store = fixture.store
        // SODAR's own synccache rewrites the row: sodarcache never sees the payload it replaced.
        _ = try fixture.sql(#"UPDATE sodarcache_jsoncacheitem SET data = '[20]'::jsonb WHERE name = 'b'"#)
        try store.setCacheItem(appName: "timeline", name: "b", data: json("[30]"), project: project.uuid)
        let versions = try Self.history(store).versions(appName: "timeline", name: "b", project: project.uuid)
        #expect(versions.count == 1)
        #expect(try Self.history(store).version(rev: try #require(versions.first).rev)?.data == json("[20]"))
    }

    /// Site-wide rows of one name (SODAR's constraint lets them through): a write replaces the
    /// one SODAR reads, keeps its version alone, and leaves the other row as it was.
    @Test func aWriteOverSiteWideDuplicatesReplacesTheFirstAndKeepsTheOther() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, _, _) = try TrashContractTests.populated(.sodar)
        for value in ["[1]", "[2]"] {
            _ = try fixture.sql(
                """
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                VALUES ('timeline', 'dup', now(), gen_random_uuid(), $1::jsonb, NULL, NULL)
                """, [value])
        }
        // The first row already holds [1]: nothing is replaced, so nothing is kept, though the
        // second row differs.
        try fixture.store.setCacheItem(appName: "timeline", name: "dup", data: json("[1]"))
        let history = try Self.history(fixture.store)
        #expect(try history.versions(appName: "timeline", name: "dup", project: nil).isEmpty)
        try fixture.store.setCacheItem(appName: "timeline", name: "dup", data: json("[3]"))
        let kept = try history.versions(appName: "timeline", name: "dup", project: nil)
        #expect(kept.count == 1)
        #expect(try history.version(rev: try #require(kept.first).rev)?.data == json("[1]"))
        let rows = try fixture.sql("SELECT data::text FROM sodarcache_jsoncacheitem WHERE name = 'dup' ORDER BY id")
        #expect((0..<rows.rowCount).map { rows.string($0, 0) } == ["[3]", "[2]"])
    }

    @Test func theVersionsACacheWritingCommandReplacedAreKeptOnce() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, project, _) = try TrashContractTests.populated(.sodar)
        let store = fixture.store
        // The sync engine's snapshot before SODAR's own synccache ran, then its write.
        let before = try #require(try store.getCacheItem(appName: "timeline", name: "b", project: project.uuid))
        _ = try fixture.sql(#"UPDATE sodarcache_jsoncacheitem SET data = '[7]'::jsonb WHERE name = 'b'"#)
        let version = ItemVersion(
            rev: 0, uuid: before.uuid, project: before.project, appName: "timeline", name: "b", user: before.user,
            dateModified: before.dateModified, replacedAt: Date(), size: before.data.count, data: before.data)
        let history = try Self.history(store)
        #expect(try history.keepVersions([version]) == 1)
        #expect(try history.keepVersions([version]) == 0)
        let versions = try history.versions(appName: "timeline", name: "b", project: project.uuid)
        #expect(versions.count == 1)
        #expect(try history.version(rev: try #require(versions.first).rev)?.data == json("[2]"))
    }

    @Test func aPendingVersionIsSettledWhenItsTransactionCommittedAndDroppedWhenItRolledBack() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, project, _) = try TrashContractTests.populated(.sodar)
        let path = try #require(fixture.localTrashPath)
        let a = try #require(try fixture.store.getCacheItem(appName: "timeline", name: "a", project: project.uuid))
        let committed = try #require(
            fixture.sql(#"UPDATE sodarcache_jsoncacheitem SET data = '{"a": 2}'::jsonb WHERE name = 'a' RETURNING txid_current()::text"#)
                .int(0, 0))
        _ = try fixture.sql("BEGIN")
        let rolledBack = try #require(fixture.sql("SELECT txid_current()::text").int(0, 0))
        _ = try fixture.sql("ROLLBACK")

        // As a crash after the local write and before the settle leaves them.
        let local = try SQLiteCacheStore(path: path, registeredApps: [])
        func version(_ data: String) -> ItemVersion {
            ItemVersion(
                rev: 0, uuid: a.uuid, project: a.project, appName: "timeline", name: "a", user: a.user, dateModified: a.dateModified,
                replacedAt: Date(), size: data.utf8.count, data: json(data))
        }
        #expect(try local.keepSiteVersions([version(#"{"a": 1}"#)], transaction: Int64(committed)) == 1)
        #expect(try local.keepSiteVersions([version(#"{"a": 9}"#)], transaction: Int64(rolledBack)) == 1)
        #expect(try local.pendingSiteVersionTransactions().count == 2)
        #expect(try local.siteVersions(appName: "timeline", name: "a", project: project.uuid).isEmpty)

        // The next open settles one and drops the other.
        let store = try fixture.reopen()
        let versions = try Self.history(store).versions(appName: "timeline", name: "a", project: project.uuid)
        #expect(versions.count == 1)
        #expect(try Self.history(store).version(rev: try #require(versions.first).rev)?.data == json(#"{"a": 1}"#))
        #expect(try local.pendingSiteVersionTransactions().isEmpty)
    }

    @Test func aWriteThatFailsOnTheSiteKeepsNoVersion() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, project, _) = try TrashContractTests.populated(.sodar)
        let store = fixture.store
        // The batch rolls back (an unknown user): the version its first write replaced must go too.
        #expect(throws: (any Error).self) {
            try store.commitBatch(
                deleting: [],
                writing: [
                    CacheWrite(appName: "timeline", name: "b", data: json("[5]"), project: project.uuid),
                    CacheWrite(appName: "timeline", name: "z", data: json("[6]"), project: project.uuid, user: User(username: "nobody")),
                ])
        }
        #expect(try Self.history(store).versions(appName: "timeline", name: "b", project: project.uuid).isEmpty)
        let local = try SQLiteCacheStore(path: try #require(fixture.localTrashPath), registeredApps: [])
        #expect(try local.pendingSiteVersionTransactions().isEmpty)
        #expect(try store.getCacheItem(appName: "timeline", name: "b", project: project.uuid)?.data == json("[2]"))
    }
}
