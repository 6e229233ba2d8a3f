import Foundation
import SodarCache
import StoreKernel
import Testing

/// A row no engine could have written raises one error on every engine, naming the row: never
/// a made-up UUID, name or 1970 date, and never a crash (GRDB stops the process on a value it
/// cannot convert).
@Suite struct CorruptRowContractTests {
    /// The stores that can hold such a row (the memory store's rows are typed values).
    static let kinds = StoreKind.available.filter { $0 != .memory }

    static func populated(_ kind: StoreKind) throws -> (ContractStore, Project) {
        let fixture = try ContractStore(kind)
        let project = try fixture.makeTestProject()
        for name in ["bad", "good"] {
            try fixture.store.setCacheItem(appName: "timeline", name: name, data: json("[1]"), project: project.uuid)
        }
        return (fixture, project)
    }

    /// The time a store cannot hold: text on SQLite, `infinity` in PostgreSQL's timestamptz.
    static func breakTime(_ fixture: ContractStore) throws {
        let value = fixture.kind == .sqlite ? "'abc'" : "'infinity'"
        try fixture.rawSQL("UPDATE \(fixture.itemTable) SET date_modified = \(value) WHERE name = 'bad'")
    }

    static func expectCorrupt(_ reason: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("no error for a corrupt row")
        } catch CacheError.corruptRow(_, let row, let found) {
            #expect(row == "item \"timeline:bad\"")
            #expect(found.contains(reason), "\(found)")
        } catch {
            Issue.record("another error: \(error)")
        }
    }

    @Test(arguments: kinds) func aTimeTheStoreCannotHoldIsACorruptRowOnEveryRead(kind: StoreKind) throws {
        let (fixture, project) = try Self.populated(kind)
        let uuid = try #require(try fixture.store.getCacheItem(appName: "timeline", name: "bad", project: project.uuid)).uuid
        try Self.breakTime(fixture)
        let store = try fixture.reopen()
        Self.expectCorrupt("date_modified") {
            _ = try store.itemPage(project: project.uuid, app: "timeline", sort: .name, after: nil, limit: 10, filter: nil)
        }
        Self.expectCorrupt("date_modified") { _ = try store.getCacheItem(appName: "timeline", name: "bad", project: project.uuid) }
        Self.expectCorrupt("date_modified") { _ = try store.item(uuid: uuid) }
        Self.expectCorrupt("date_modified") { _ = try store.getProjectCache(project: project.uuid) }
        Self.expectCorrupt("date_modified") { _ = try store.items(matching: CacheFilter(), after: nil, limit: 10) }
        // The other row reads as it was.
        #expect(try store.getCacheItem(appName: "timeline", name: "good", project: project.uuid)?.data == json("[1]"))
        // And the error says where, on one line.
        do {
            _ = try store.getCacheItem(appName: "timeline", name: "bad", project: project.uuid)
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("Corrupt row in store "))
            #expect(!text.contains("\n"))
        }
    }

    /// Kept versions and audit entries are read by one decoder on every engine that keeps them
    /// in its own tables (`StoredRow`): a time the store cannot hold is the same error there.
    @Test(arguments: kinds.filter { $0 != .sodar }) func aKeptVersionOrAuditEntryWithABadTimeIsACorruptRow(kind: StoreKind) throws {
        let (fixture, project) = try Self.populated(kind)
        try fixture.store.setCacheItem(appName: "timeline", name: "bad", data: json("[2]"), project: project.uuid)
        let prefix = kind == .sqlite ? "" : "sodarcache_"
        let value = kind == .sqlite ? "'abc'" : "'infinity'"
        try fixture.rawSQL("UPDATE \(prefix)item_version SET replaced_at = \(value)")
        try fixture.rawSQL("UPDATE \(prefix)audit_log SET at = \(value) WHERE id = (SELECT max(id) FROM \(prefix)audit_log)")
        let store = try fixture.reopen()
        let history = try #require(store.history), audit = try #require(store.audit)
        Self.expectCorrupt("replaced_at") { _ = try history.versions(appName: "timeline", name: "bad", project: project.uuid) }
        do {
            _ = try audit.auditEntries(since: nil, limit: 10)
            Issue.record("no error for a corrupt audit entry")
        } catch CacheError.corruptRow(_, let row, let reason) {
            #expect(row.hasPrefix("audit entry "))
            #expect(reason.hasSuffix("time in at"), "\(reason)")
        }
    }

    /// A project of a type no project has (SODAR's table allows any; sodarcache's tables
    /// only past their CHECK) raises one error on every read of projects: never a made-up type.
    @Test(arguments: kinds) func aProjectOfAnUnknownTypeIsACorruptRow(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let project = try fixture.makeProject("Odd")
        switch kind {
        case .sqlite: try fixture.rawSQL("PRAGMA ignore_check_constraints = ON; UPDATE project SET type = 'REMOTE'")
        case .postgres:
            try fixture.rawSQL("ALTER TABLE sodarcache_project DROP CONSTRAINT sodarcache_project_type_check")
            try fixture.rawSQL("UPDATE sodarcache_project SET type = 'REMOTE'")
        default: try fixture.rawSQL("UPDATE projectroles_project SET type = 'REMOTE'")
        }
        let store = try fixture.reopen()
        let reads: [() throws -> Void] = [
            { _ = try store.allProjects() }, { _ = try store.project(uuid: project.uuid) },
            { _ = try store.projectPage(after: nil, limit: 10, filter: nil) },
        ]
        for read in reads {
            do {
                try read()
                Issue.record("no error for a project of an unknown type")
            } catch CacheError.corruptRow(_, let row, let reason) {
                #expect(row == "project \"Odd\"")
                #expect(reason == "an unknown project type \"REMOTE\" in type")
            }
        }
    }

    @Test func aMalformedUUIDOnSQLiteIsACorruptRowNotACrash() throws {
        let (fixture, project) = try Self.populated(.sqlite)
        try fixture.rawSQL("UPDATE cache_item SET uuid = x'0102' WHERE name = 'bad'")
        let store = try fixture.reopen()
        Self.expectCorrupt("UUID") {
            _ = try store.itemPage(project: project.uuid, app: nil, sort: .size, after: nil, limit: 10, filter: nil)
        }
        Self.expectCorrupt("UUID") { _ = try store.getCacheItem(appName: "timeline", name: "bad", project: project.uuid) }
        Self.expectCorrupt("UUID") { _ = try store.getProjectCache(project: project.uuid) }
    }
}
