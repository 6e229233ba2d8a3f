import Foundation
import SodarCache
@testable import SodarCachePostgres
import SodarCacheSQLite
import StoreKernel
import Testing

/// Every delete keeps what it deleted, and a restore puts it back as it was, never over
/// newer data: the same on every engine that keeps a trash.
@Suite struct TrashContractTests {
    static let kinds = StoreKind.available

    static func trash(_ store: any CacheStore) throws -> any TrashKeeping {
        try #require((store as? any StoreEngine)?.trash)
    }

    /// Three items in a project (one with a user), one site-wide.
    static func populated(_ kind: StoreKind) throws -> (ContractStore, Project, User) {
        let fixture = try ContractStore(kind)
        let project = try fixture.makeTestProject()
        let user = try fixture.makeUser("alice")
        let store = fixture.store
        try store.setCacheItem(appName: "timeline", name: "a", data: json(#"{"a": 1}"#), dataType: "json", project: project.uuid, user: user)
        try store.setCacheItem(appName: "timeline", name: "b", data: json("[2]"), project: project.uuid)
        try store.setCacheItem(appName: "samplesheets", name: "c", data: json(#""c""#), project: project.uuid)
        try store.setCacheItem(appName: "timeline", name: "site", data: json("3"), project: nil)
        return (fixture, project, user)
    }

    /// `populated`, then timeline "a" deleted (the delete returned) and timeline "b" after it.
    static func aThenBDeleted(_ kind: StoreKind) throws -> (ContractStore, Project, any TrashKeeping, first: TrashEntry) {
        let (fixture, project, _) = try Self.populated(kind)
        let trash = try Self.trash(fixture.store)
        try fixture.store.deleteCacheItem(appName: "timeline", name: "a", project: project.uuid)
        let first = try #require(try trash.trashEntries(limit: 1).first)
        try fixture.store.deleteCacheItem(appName: "timeline", name: "b", project: project.uuid)
        return (fixture, project, trash, first)
    }

    @Test(arguments: kinds) func aDeleteKeepsItsItemsAndARestorePutsThemBackAsTheyWere(kind: StoreKind) throws {
        let (fixture, project, user) = try Self.populated(kind)
        let store = fixture.store
        let before = try #require(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid))
        #expect(try store.deleteCache(appName: "timeline", project: project.uuid) == 2)
        #expect(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid) == nil)

        let trash = try Self.trash(store)
        let entries = try trash.trashEntries(limit: 10)
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(entry.items == 2)
        #expect(entry.bytes == Int64(#"{"a": 1}"#.utf8.count + "[2]".utf8.count))
        #expect(entry.apps == ["timeline"])
        #expect(entry.projects == 1)
        #expect(entry.command == "api")
        #expect(!entry.osUser.isEmpty)
        #expect(try trash.trashEntry(id: entry.id)?.items == 2)
        let kept = try trash.trashedItems(entry: entry.id)
        #expect(kept.map(\.name) == ["a", "b"])
        #expect(kept.first?.uuid == before.uuid)
        #expect(kept.first?.data == before.data)
        #expect(kept.first?.dateModified == before.dateModified)
        #expect(kept.first?.user?.username == user.username)

        let report = try trash.restore(entries: [entry.id])
        #expect(report.restored.count == 2)
        #expect(report.skipped.isEmpty)
        let after = try #require(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid))
        #expect(after.uuid == before.uuid)
        #expect(after.data == before.data)
        #expect(after.dateModified == before.dateModified)
        #expect(after.user?.username == user.username)
        #expect(try store.getCacheItem(appName: "timeline", name: "b", project: project.uuid)?.data == json("[2]"))
        // A delete fully restored leaves the trash.
        #expect(try trash.trashEntries(limit: 10).isEmpty)
        #expect(try store.totals().items == 4)
    }

    @Test(arguments: kinds) func oneItemsTrashedCopiesAreListedNewestFirstAndReadBackOneByOne(kind: StoreKind) throws {
        let (fixture, project, user) = try Self.populated(kind)
        let store = fixture.store
        let first = try #require(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid))
        #expect(try store.deleteCache(appName: "timeline", project: project.uuid) == 2)
        try store.setCacheItem(appName: "timeline", name: "a", data: json(#"{"a": 2}"#), project: project.uuid)
        let second = try #require(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid))
        #expect(try store.deleteCache(appName: "timeline", project: project.uuid) == 1)
        let trash = try Self.trash(store)
        let copies = try trash.trashedCopies(appName: "timeline", name: "a", project: project.uuid)
        #expect(copies.map(\.uuid) == [second.uuid, first.uuid])
        #expect(copies.map(\.size) == [#"{"a": 2}"#.utf8.count, #"{"a": 1}"#.utf8.count])
        #expect(copies[0].entry > copies[1].entry)
        #expect(copies[1].user?.username == user.username)
        #expect(copies[1].dateModified == first.dateModified)
        #expect(copies.allSatisfy { $0.command == "api" && !$0.osUser.isEmpty })
        // Another item of that name site-wide, or another name, is not one of its copies.
        #expect(try trash.trashedCopies(appName: "timeline", name: "a", project: nil).isEmpty)
        #expect(try trash.trashedCopies(appName: "timeline", name: "b", project: project.uuid).count == 1)
        let kept = try #require(try trash.trashedItem(entry: copies[1].entry, uuid: first.uuid))
        #expect(kept.data == first.data)
        #expect(kept.name == "a")
        #expect(try trash.trashedItem(entry: copies[0].entry, uuid: first.uuid) == nil)
        // Restored, a copy is no longer listed.
        _ = try trash.restore(entries: [copies[0].entry])
        #expect(try trash.trashedCopies(appName: "timeline", name: "a", project: project.uuid).map(\.uuid) == [first.uuid])
    }

    @Test(arguments: kinds) func everyKindOfDeleteKeepsWhatItDeleted(kind: StoreKind) throws {
        let (fixture, project, _) = try Self.populated(kind)
        let store = fixture.store
        let trash = try Self.trash(store)
        try store.deleteCacheItem(appName: "timeline", name: "site", project: nil)
        try store.commitBatch(
            deleting: [.item(appName: "timeline", name: "b", project: project.uuid)],
            writing: [CacheWrite(appName: "timeline", name: "new", data: json("1"), project: project.uuid)])
        let a = try #require(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid))
        #expect(try store.deleteItems(uuids: [a.uuid]) == 1)
        let c = try #require(try store.items(matching: CacheFilter(appName: "samplesheets"), after: nil, limit: 10).first)
        #expect(try store.deleteItems(shown: [c.uuid: ShownItem(c)]).deleted == 1)
        #expect(try store.deleteItems(matching: CacheFilter(appName: "timeline")) == 1)
        let names = try trash.trashEntries(limit: 10).map { try trash.trashedItems(entry: $0.id).map(\.name) }
        #expect(names == [["new"], ["c"], ["a"], ["b"], ["site"]])
        // Entries come newest first, with ids that grow.
        let ids = try trash.trashEntries(limit: 10).map(\.id)
        #expect(ids == ids.sorted(by: >))
        #expect(try trash.trashEntries(limit: 2).count == 2)
    }

    @Test(arguments: StoreKind.ownProjects) func aProjectDeletedWithItsItemsKeepsThemAndARestoreSaysTheProjectIsGone(kind: StoreKind) throws {
        let (fixture, project, _) = try Self.populated(kind)
        let trash = try Self.trash(fixture.store)
        let engine = try #require(fixture.store as? any StoreEngine)
        #expect(try engine.deleteProject(uuid: project.uuid, withItems: true) == 3)
        let entry = try #require(try trash.trashEntries(limit: 1).first)
        #expect(entry.items == 3)
        let report = try trash.restore(entries: [entry.id])
        #expect(report.restored.isEmpty)
        #expect(report.skipped.map(\.reason) == Array(repeating: .projectGone, count: 3))
        #expect(try trash.trashEntry(id: entry.id)?.items == 3)
    }

    @Test(arguments: kinds) func aRestoreNeverOverwritesAnItemWrittenSinceTheDelete(kind: StoreKind) throws {
        let (fixture, project, _) = try Self.populated(kind)
        let store = fixture.store
        let trash = try Self.trash(store)
        try store.deleteCache(appName: "timeline", project: project.uuid)
        let newer = try store.setCacheItem(appName: "timeline", name: "a", data: json(#"{"a": 2}"#), project: project.uuid)
        let entry = try #require(try trash.trashEntries(limit: 1).first)
        let report = try trash.restore(entries: [entry.id])
        #expect(report.restored.map(\.name) == ["b"])
        #expect(report.skipped.map(\.item.name) == ["a"])
        #expect(report.skipped.first?.reason == .newerItem(newer.dateModified))
        #expect(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid)?.data == json(#"{"a": 2}"#))
        // What was skipped stays in the trash; restoring again changes nothing.
        #expect(try trash.trashEntry(id: entry.id)?.items == 1)
        let again = try trash.restore(entries: [entry.id])
        #expect(again.restored.isEmpty)
        #expect(again.skipped.count == 1)
    }

    @Test(arguments: kinds) func writesAndEmptyDeletesKeepNothingAndTheTrashCanBeSwitchedOff(kind: StoreKind) throws {
        let (fixture, project, _) = try Self.populated(kind)
        let trash = try Self.trash(fixture.store)
        try fixture.store.setCacheItems([CacheWrite(appName: "timeline", name: "x", data: json("1"), project: project.uuid)])
        #expect(try fixture.store.deleteCache(appName: "filesfolders", project: nil) == 0)
        #expect(try trash.trashEntries(limit: 10).isEmpty)

        let hard = try fixture.reopen(changes: ChangePolicy(trash: .off))
        #expect(try hard.deleteCache(appName: "timeline", project: project.uuid) == 3)
        #expect(try trash.trashEntries(limit: 10).isEmpty)
        #expect(try Self.trash(hard).deletesThisSession.isEmpty)
    }

    @Test(arguments: kinds) func deletesAreRecordedAsMadeByTheirCommandAndUndoneInOrder(kind: StoreKind) throws {
        let (fixture, project, _) = try Self.populated(kind)
        let who = ChangeAttribution(osUser: "carol", host: "hpc-7", command: "deletecache")
        let store = try fixture.reopen(changes: ChangePolicy(trash: .standard, attribution: who))
        let trash = try Self.trash(store)
        try store.deleteCacheItem(appName: "timeline", name: "a", project: project.uuid)
        try store.deleteCacheItem(appName: "timeline", name: "b", project: project.uuid)
        let entry = try #require(try trash.trashEntries(limit: 1).first)
        #expect(entry.osUser == "carol")
        #expect(entry.host == "hpc-7")
        #expect(entry.command == "deletecache")
        // Another handle's deletes are not this session's.
        try fixture.store.deleteCacheItem(appName: "samplesheets", name: "c", project: project.uuid)
        let session = trash.deletesThisSession
        #expect(session.count == 2)
        #expect(try trash.trashedItems(entry: try #require(session.last)).map(\.name) == ["b"])
        _ = try trash.restore(entries: [try #require(session.last)])
        #expect(trash.deletesThisSession.count == 1)
    }

    @Test(arguments: kinds) func purgeTakesOldDeletesAndTheSizeCapTakesTheOldestFirst(kind: StoreKind) throws {
        let (fixture, project, trash, first) = try Self.aThenBDeleted(kind)
        let second = try #require(try trash.trashEntries(limit: 1).first)
        #expect(try trash.purgeTrash(before: first.deletedAt.addingTimeInterval(0.001)) == (1, 1))
        #expect(try trash.trashEntries(limit: 10).map(\.id) == [second.id])

        // A cap of 5 bytes keeps only what fits, newest first: "[2]" went before; "c" (3 bytes) fits.
        let capped = try fixture.reopen(changes: ChangePolicy(trash: TrashPolicy(enabled: true, keep: 86_400, maxBytes: 5)))
        try capped.deleteCacheItem(appName: "samplesheets", name: "c", project: project.uuid)
        #expect(try trash.trashEntries(limit: 10).map { try trash.trashedItems(entry: $0.id).map(\.name) } == [["c"]])
        #expect(try trash.purgeTrash(before: nil) == (1, 1))
        #expect(try trash.trashEntries(limit: 10).isEmpty)
    }

    /// `trash purge --older-than` asks about the deletes older than a time and takes those
    /// alone, even after `[trash] max_size` was lowered below what the newer ones hold.
    @Test(arguments: kinds) func purgeByAgeTakesOnlyTheOlderDeletesWhateverTheSizeCap(kind: StoreKind) throws {
        let (fixture, project, trash, first) = try Self.aThenBDeleted(kind)
        try fixture.store.deleteCacheItem(appName: "samplesheets", name: "c", project: project.uuid)
        let newer = try trash.trashEntries(limit: 10).map(\.id).filter { $0 != first.id }
        #expect(newer.count == 2)
        // max_size lowered since: 1 byte, less than either newer delete holds.
        let capped = try fixture.reopen(changes: ChangePolicy(trash: TrashPolicy(enabled: true, keep: 86_400, maxBytes: 1)))
        let cappedTrash = try Self.trash(capped)
        #expect(try cappedTrash.purgeTrash(before: first.deletedAt.addingTimeInterval(0.001)) == (1, 1))
        #expect(try cappedTrash.trashEntries(limit: 10).map(\.id) == newer)
        #expect(try trash.trashEntries(limit: 10).map(\.id) == newer)
    }

    @Test(arguments: kinds) func aRestoreOfSeveralDeletesEmptiesThoseItPutBackWholeAndKeepsTheRest(kind: StoreKind) throws {
        let (fixture, project, _) = try Self.populated(kind)
        let store = fixture.store
        let trash = try Self.trash(store)
        try store.deleteCacheItem(appName: "samplesheets", name: "c", project: project.uuid)
        try store.deleteCache(appName: "timeline", project: nil)
        let entries = try trash.trashEntries(limit: 10).map(\.id)
        #expect(entries.count == 2)
        try store.setCacheItem(appName: "timeline", name: "site", data: json("4"), project: nil)

        let report = try trash.restore(entries: entries.reversed())
        #expect(report.restored.map(\.name) == ["c", "a", "b"])
        #expect(report.skipped.map(\.item.name) == ["site"])
        // The first delete is gone from the trash and from this session's undo; the second keeps its skipped item.
        #expect(try trash.trashEntry(id: entries[1]) == nil)
        #expect(try trash.trashEntry(id: entries[0])?.items == 1)
        #expect(trash.deletesThisSession == [entries[0]])
        #expect(try store.getCacheItem(appName: "timeline", name: "site", project: nil)?.data == json("4"))
    }

    @Test(arguments: kinds) func anUnknownDeleteIsRefusedByName(kind: StoreKind) throws {
        let (fixture, _, _) = try Self.populated(kind)
        #expect {
            try Self.trash(fixture.store).restore(entries: [424_242])
        } throws: { error in
            "\(error)".contains("424242")
        }
    }
}

/// On a SODAR site the trash lives in the local store, written before the site's transaction
/// commits: a crash between the two is reconciled at the next open.
@Suite struct SiteTrashTests {
    @Test func aPendingDeleteIsSettledWhenItsTransactionCommittedAndDroppedWhenItRolledBack() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, project, _) = try TrashContractTests.populated(.sodar)
        let path = try #require(fixture.localTrashPath)
        // A transaction that committed (a delete the site made), and one that rolled back.
        let a = try #require(try fixture.store.getCacheItem(appName: "timeline", name: "a", project: project.uuid))
        let b = try #require(try fixture.store.getCacheItem(appName: "timeline", name: "b", project: project.uuid))
        let committed = try #require(
            fixture.sql("DELETE FROM sodarcache_jsoncacheitem WHERE name = 'a' RETURNING txid_current()::text").int(0, 0))
        _ = try fixture.sql("BEGIN")
        let rolledBack = try #require(fixture.sql("SELECT txid_current()::text").int(0, 0))
        _ = try fixture.sql("ROLLBACK")

        let local = try SQLiteCacheStore(path: path, registeredApps: [])
        let who = ChangeAttribution(osUser: "dave", host: "h", command: "deletecache")
        func trashed(_ item: CacheItem) -> TrashedItem {
            TrashedItem(
                entry: 0, uuid: item.uuid, project: item.project, appName: item.appName, name: item.name, user: item.user,
                dateModified: item.dateModified, data: item.data)
        }
        _ = try local.keepPending([trashed(a)], attribution: who, role: "sodar", at: Date(), transaction: Int64(committed))
        _ = try local.keepPending([trashed(b)], attribution: who, role: "sodar", at: Date(), transaction: Int64(rolledBack))
        #expect(try local.pendingEntries().count == 2)
        #expect(try local.trashEntries(limit: 10).isEmpty)

        // The next open settles one and drops the other.
        let store = try fixture.reopen()
        let trash = try #require(store.trash)
        let entries = try trash.trashEntries(limit: 10)
        #expect(entries.count == 1)
        #expect(try trash.trashedItems(entry: try #require(entries.first).id).map(\.name) == ["a"])
        #expect(entries.first?.role == "sodar")
        #expect(try local.pendingEntries().isEmpty)
        #expect(trash.deletesThisSession.isEmpty)
        // And the settled delete restores onto SODAR's table as it was.
        let report = try trash.restore(entries: entries.map(\.id))
        #expect(report.restored.count == 1)
        let back = try #require(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid))
        #expect(back.uuid == a.uuid)
        #expect(back.data == a.data)
        #expect(back.user?.username == "alice")
        #expect(back.dateModified == a.dateModified)
    }

    @Test func aRoleDeleteOnTheSiteRecordsTheRoleAndKeepsPayloadsAsJSONBSpellsThem() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, project, _) = try TrashContractTests.populated(.sodar)
        try fixture.store.deleteCacheItem(appName: "timeline", name: "a", project: project.uuid)
        let trash = try #require((fixture.store as? any StoreEngine)?.trash)
        let entry = try #require(try trash.trashEntries(limit: 1).first)
        #expect(entry.role == "postgres")
        #expect(try trash.trashedItems(entry: entry.id).first?.data == json(#"{"a": 1}"#))
    }

    /// SODAR writes the item between the restore's check and its insert (a trigger does it
    /// here, at that very moment): the restore keeps SODAR's row, reports the item as written
    /// since, and puts back the rest, where the unique constraint aborted the whole restore.
    @Test func aRestoreOntoTheSiteThatSODARRacesKeepsSODARsRowAndRestoresTheRest() throws {
        guard StoreKind.available.contains(.sodar) else { return }
        let (fixture, project, _) = try TrashContractTests.populated(.sodar)
        let store = fixture.store
        try store.deleteCache(appName: "timeline", project: project.uuid)
        let trash = try #require((store as? any StoreEngine)?.trash)
        let entry = try #require(try trash.trashEntries(limit: 1).first)
        try fixture.sql(
            """
            CREATE FUNCTION sodar_races() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id)
                VALUES (NEW.app_name, NEW.name, now(), gen_random_uuid(), '{"sodar": true}', NEW.project_id);
                RETURN NEW;
            END $$
            """)
        try fixture.sql(
            """
            CREATE TRIGGER sodar_races BEFORE INSERT ON sodarcache_jsoncacheitem
                FOR EACH ROW WHEN (NEW.name = 'a' AND pg_trigger_depth() = 0) EXECUTE FUNCTION sodar_races();
            """)
        let report = try trash.restore(entries: [entry.id])
        #expect(report.restored.map(\.name) == ["b"])
        #expect(report.skipped.map(\.item.name) == ["a"])
        if case .newerItem = report.skipped.first?.reason {} else { Issue.record("skipped as \(String(describing: report.skipped.first?.reason))") }
        #expect(try store.getCacheItem(appName: "timeline", name: "a", project: project.uuid)?.data == json(#"{"sodar": true}"#))
        #expect(try store.getCacheItem(appName: "timeline", name: "b", project: project.uuid)?.data == json("[2]"))
        #expect(try trash.trashEntry(id: entry.id)?.items == 1)
    }
}
