import Foundation
import PostgresDriver
import SodarCache
@testable import SodarCachePostgres
import StoreKernel
import Testing

/// sodarcache's own PostgreSQL schema keeps a delete by marking its rows (schema v10): what
/// only that engine does. The marked rows are hidden from every read and every total from the
/// delete on, a write of a marked name takes a fresh slot and leaves the trashed item in the
/// trash, and the rows go only at the purge. (What every engine's trash must do is in
/// `TrashContractTests`, which runs here too.)
@Suite(.enabled(if: TestServer.uri != nil)) struct PostgresSoftDeleteTests {
    /// Two apps' items in a project and site-wide.
    func populated() throws -> (ContractStore, Project) {
        let fixture = try ContractStore(.postgres)
        let project = try fixture.makeTestProject()
        let store = fixture.store
        // Three batches, three times: the timeline's items are the project's latest.
        try store.setCacheItems(
            (0..<3).map { CacheWrite(appName: "samplesheets", name: "s\($0)", data: json("\"\($0)\""), project: project.uuid) })
        try store.setCacheItems((0..<2).map { CacheWrite(appName: "timeline", name: "site\($0)", data: json("{}"), project: nil) })
        try store.setCacheItems(
            (0..<5).map { CacheWrite(appName: "timeline", name: "t\($0)", data: json("[\($0)]"), project: project.uuid) })
        return (fixture, project)
    }

    func count(_ fixture: ContractStore, _ sql: String) throws -> Int {
        try fixture.sql(sql).int(0, 0) ?? -1
    }

    /// The totals the triggers keep agree with a count of the live rows.
    func expectTotalsAgree(_ fixture: ContractStore, _ store: any CacheStore & StoreEngine) throws {
        let totals = try store.totals()
        #expect(totals.items == (try count(fixture, "SELECT count(*) FROM sodarcache_item_live")))
        #expect(totals.bytes == (try count(fixture, "SELECT coalesce(sum(size), 0) FROM sodarcache_item_live")))
        #expect(totals.siteItems == (try count(fixture, "SELECT count(*) FROM sodarcache_item_live WHERE project_id IS NULL")))
        let drift = try count(
            fixture,
            """
            SELECT count(*) FROM sodarcache_project_totals t FULL JOIN (
                SELECT coalesce(project_id, 0) AS p, count(*) AS n, sum(size) AS b, max(date_modified) AS l
                FROM sodarcache_item_live GROUP BY 1) l ON l.p = t.project_id
            WHERE coalesce(t.items, 0) <> coalesce(l.n, 0) OR coalesce(t.bytes, 0) <> coalesce(l.b, 0)
               OR (coalesce(l.n, 0) > 0 AND t.latest IS DISTINCT FROM l.l)
            """)
        #expect(drift == 0, "project totals that differ from the live rows: \(drift)")
    }

    @Test func aDeleteMarksItsRowsAndEveryReadAndTotalHidesThem() throws {
        let (fixture, project) = try populated()
        let store = try fixture.reopen()
        let newest = try #require(try store.getCacheItem(appName: "timeline", name: "t4", project: project.uuid))
        #expect(try store.deleteCache(appName: "timeline", project: project.uuid) == 5)
        // Nothing copied, nothing deleted: the rows are marked.
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0") == 5)
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_trash_item") == 0)
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_item") == 10)

        #expect(try store.getCacheItem(appName: "timeline", name: "t0", project: project.uuid) == nil)
        #expect(try store.getUpdateTime(appName: "timeline", name: "t4", project: project.uuid) == nil)
        #expect(try store.itemPage(project: project.uuid, app: "timeline", sort: .name, after: nil, limit: 50, filter: nil).isEmpty)
        #expect(try store.appPage(project: project.uuid, after: nil, limit: 50, filter: nil).map(\.appName) == ["samplesheets"])
        #expect(try store.countItems(matching: CacheFilter(appName: "timeline")) == ["timeline": 2])
        #expect(try store.items(matching: CacheFilter(), after: nil, limit: 50).map(\.name).sorted() == ["s0", "s1", "s2", "site0", "site1"])
        #expect(try store.allItemsPage(after: nil, limit: 50).count == 5)
        #expect(try store.appTotals().first { $0.appName == "timeline" }?.items == 2)
        #expect(try store.totals().items == 5)
        let listed = try store.projectPage(after: nil, limit: 10, query: ProjectQuery()).first { $0.project.uuid == project.uuid }
        #expect(listed?.itemCount == 3)
        #expect(listed?.latestUpdate != nil && listed?.latestUpdate != newest.dateModified)
        try expectTotalsAgree(fixture, store)

        // The trash lists them as any delete's, with their payloads.
        let trash = try #require(store.trash)
        let entry = try #require(try trash.trashEntries(limit: 1).first)
        #expect(entry.items == 5 && entry.apps == ["timeline"] && entry.projects == 1)
        #expect(try trash.trashedItems(entry: entry.id).map(\.name) == ["t0", "t1", "t2", "t3", "t4"])
        #expect(try trash.trashedItem(entry: entry.id, uuid: newest.uuid)?.data == newest.data)
        #expect(try trash.trashedCopies(appName: "timeline", name: "t4", project: project.uuid).map(\.uuid) == [newest.uuid])

        // The restore puts them back as they were, and the totals follow.
        #expect(try trash.restore(entries: [entry.id]).restored.count == 5)
        #expect(try store.getCacheItem(appName: "timeline", name: "t4", project: project.uuid)?.uuid == newest.uuid)
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0") == 0)
        try expectTotalsAgree(fixture, store)
    }

    @Test func aWriteOfAMarkedNameTakesAFreshSlotAndTheRestoreKeepsIt() throws {
        let (fixture, project) = try populated()
        let store = try fixture.reopen()
        let old = try #require(try store.getCacheItem(appName: "timeline", name: "t1", project: project.uuid))
        try store.deleteCacheItem(appName: "timeline", name: "t1", project: project.uuid)
        try store.deleteCacheItem(appName: "timeline", name: "site0", project: nil)
        // One item, and a batch that holds a marked name among free ones, site-wide too.
        try store.setCacheItem(appName: "timeline", name: "t1", data: json("[\"new\"]"), project: project.uuid)
        #expect(try store.setCacheItems([
            CacheWrite(appName: "timeline", name: "site0", data: json("[9]"), project: nil),
            CacheWrite(appName: "timeline", name: "site9", data: json("[9]"), project: nil),
        ]) == 2)
        let new = try #require(try store.getCacheItem(appName: "timeline", name: "t1", project: project.uuid))
        #expect(new.uuid != old.uuid)
        #expect(new.data == json("[\"new\"]"))
        #expect(try store.getCacheItem(appName: "timeline", name: "site0", project: nil)?.data == json("[9]"))
        // The trashed versions moved to the copy table, under their own deletes.
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0") == 0)
        let trash = try #require(store.trash)
        #expect(try trash.trashedCopies(appName: "timeline", name: "t1", project: project.uuid).map(\.uuid) == [old.uuid])
        try expectTotalsAgree(fixture, store)
        for entry in try trash.trashEntries(limit: 10) {
            let report = try trash.restore(entries: [entry.id])
            #expect(report.restored.isEmpty && report.skipped.count == 1)
        }
        #expect(try store.getCacheItem(appName: "timeline", name: "t1", project: project.uuid)?.uuid == new.uuid)
        try expectTotalsAgree(fixture, store)
    }

    @Test func aHardDeleteLeavesMarkedRowsToTheTrashAndThePurgeTakesThem() throws {
        let (fixture, project) = try populated()
        let store = try fixture.reopen()
        #expect(try store.deleteCache(appName: "samplesheets", project: project.uuid) == 3)
        try store.deleteCacheItem(appName: "timeline", name: "t0", project: project.uuid)
        // --no-trash: deletes what is live, never what the trash holds.
        let hard = try fixture.reopen(changes: ChangePolicy(trash: .off))
        #expect(try hard.deleteCache(appName: nil, project: project.uuid) == 4)
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0") == 4)
        try expectTotalsAgree(fixture, store)
        let trash = try #require(store.trash)
        #expect(try trash.trashEntries(limit: 10).map(\.items) == [1, 3])

        // The newest delete back; the purge then takes the older one, rows and all.
        #expect(try trash.restore(entries: [try #require(trash.trashEntries(limit: 1).first).id]).restored.count == 1)
        #expect(try trash.purgeTrash(before: nil) == (1, 3))
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0") == 0)
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_item WHERE project_id IS NOT NULL") == 1)
        try expectTotalsAgree(fixture, store)
    }

    @Test func aProjectDeletedAfterAMarkingDeleteKeepsBothDeletesWithTheProjectsUUID() throws {
        let (fixture, project) = try populated()
        let store = try fixture.reopen()
        try store.deleteCacheItem(appName: "timeline", name: "t0", project: project.uuid)
        #expect(try store.deleteProject(uuid: project.uuid, withItems: true) == 7)
        #expect(try count(fixture, "SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0") == 0)
        let trash = try #require(store.trash)
        for entry in try trash.trashEntries(limit: 10) {
            #expect(try trash.trashedItems(entry: entry.id).allSatisfy { $0.project == project.uuid })
            let report = try trash.restore(entries: [entry.id])
            #expect(report.restored.isEmpty)
            #expect(report.skipped.allSatisfy { $0.reason == .projectGone })
        }
        try expectTotalsAgree(fixture, store)
    }

    /// A single write (one statement, no BEGIN) takes the marks' lock shared in its own round
    /// trip: it waits while a delete marks rows, and then sees the marks.
    @Test(.enabled(if: !TestServer.pooled)) func aSingleWriteWaitsForADeleteThatMarksRows() throws {
        let (fixture, project) = try populated()
        let store = try fixture.reopen()
        // A first write has the audit trail's purge done: the next takes no transaction of its own.
        try store.setCacheItem(appName: "timeline", name: "t2", data: json("[2]"), project: project.uuid)
        let database = try fixture.sql("SELECT current_database()").string(0, 0) ?? ""
        let deleter = try PGConnection(uri: TestServer.uri(database: database))
        try deleter.execute("BEGIN")
        try deleter.query("SELECT pg_advisory_xact_lock($1::bigint)", [PGValue(PostgresCacheStore.marksLockKey)])
        let done = DispatchSemaphore(value: 0)
        let failure = Locked<String?>(nil)
        DispatchQueue.global().async {
            do { try store.setCacheItem(appName: "timeline", name: "t1", data: json("[\"after\"]"), project: project.uuid) } catch {
                failure.withLock { $0 = "\(error)" }
            }
            done.signal()
        }
        let waited = done.wait(timeout: .now() + 0.5)
        #expect(waited == .timedOut)
        // What the delete marks meanwhile, as deleteItemRows marks it.
        try deleter.execute(
            """
            INSERT INTO sodarcache_trash_entry (deleted_at, os_user, host, command) VALUES (now(), 'u', 'h', 'c');
            INSERT INTO sodarcache_trash_mark (item_id, entry_id, project_id, size, date_modified)
            SELECT id, currval('sodarcache_trash_entry_id_seq'), project_id, size, date_modified FROM sodarcache_item WHERE name = 't1';
            COMMIT
            """)
        if waited == .timedOut { done.wait() }
        #expect(failure.withLock { $0 } == nil)
        // The write took a fresh slot; the trash keeps what the delete saw.
        #expect(try store.getCacheItem(appName: "timeline", name: "t1", project: project.uuid)?.data == json("[\"after\"]"))
        #expect(try store.trash?.trashedCopies(appName: "timeline", name: "t1", project: project.uuid).count == 1)
        try expectTotalsAgree(fixture, store)
    }

    /// The settle runs as the store's owner with the store's schema first on its path: a role
    /// may not make it delete rows through temporary tables of its own.
    @Test(.enabled(if: !TestServer.pooled)) func theSettleCannotBeTurnedOnTheStoreWithTemporaryTables() throws {
        let (fixture, project) = try populated()
        let database = try fixture.sql("SELECT current_database()").string(0, 0) ?? ""
        let role = "sc_settle_" + UUID().uuidString.prefix(8).lowercased()
        try fixture.rawSQL("CREATE ROLE \(role) LOGIN")
        try fixture.rawSQL("GRANT TEMPORARY ON DATABASE \(database) TO \(role)")
        defer {
            _ = try? fixture.rawSQL("DROP OWNED BY \(role)")
            _ = try? TestServer.admin().execute("DROP ROLE IF EXISTS \(role)")
        }
        let victim = try #require(try fixture.sql("SELECT id FROM sodarcache_item WHERE name = 's0'").int(0, 0))
        let intruder = try PGConnection(uri: TestServer.uri(database: database).replacingOccurrences(of: "user=postgres", with: "user=\(role)"))
        try intruder.execute(
            """
            CREATE TEMPORARY TABLE sodarcache_trash_mark (item_id bigint, entry_id bigint);
            INSERT INTO sodarcache_trash_mark VALUES (\(victim), 1);
            CREATE TEMPORARY TABLE sodarcache_trash_item (entry_id bigint, sodar_uuid uuid, project_uuid uuid, app_name text,
                name text, user_name text, user_uuid uuid, date_modified timestamptz, size bigint, data text);
            """)
        _ = try? intruder.query("SELECT sodarcache_trash_settle($1::bigint[])", [.text("{\(victim)}")])
        let store = try fixture.reopen()
        #expect(try store.getCacheItem(appName: "samplesheets", name: "s0", project: project.uuid) != nil)
        try expectTotalsAgree(fixture, store)
    }

    /// A delete of items as shown locks each row, as a DELETE does: a writer's change that
    /// commits meanwhile is seen, and the item is kept.
    @Test(.enabled(if: !TestServer.pooled)) func aDeleteAsShownKeepsAnItemAWriterChangesMeanwhile() throws {
        let (fixture, project) = try populated()
        let store = try fixture.reopen()
        let shown = try store.items(matching: CacheFilter(appName: "samplesheets"), after: nil, limit: 10)
        let writer = try PGConnection(uri: TestServer.uri(database: try fixture.sql("SELECT current_database()").string(0, 0) ?? ""))
        try writer.execute("BEGIN")
        try writer.execute("UPDATE sodarcache_item SET data = '\"changed\"' WHERE name = 's0'")
        let done = DispatchSemaphore(value: 0)
        let result = Locked<(Int, Int)?>(nil)
        DispatchQueue.global().async {
            result.withLock { $0 = try? store.deleteItems(shown: Dictionary(uniqueKeysWithValues: shown.map { ($0.uuid, ShownItem($0)) })) }
            done.signal()
        }
        // The delete waits for the writer's row lock, then finds the row changed.
        let waited = done.wait(timeout: .now() + 0.5)
        #expect(waited == .timedOut)
        try writer.execute("COMMIT")
        if waited == .timedOut { done.wait() }
        #expect(result.withLock { $0 }.map { $0.0 } == 2)
        #expect(try store.getCacheItem(appName: "samplesheets", name: "s0", project: project.uuid)?.data == json("\"changed\""))
        try expectTotalsAgree(fixture, store)
    }
}
