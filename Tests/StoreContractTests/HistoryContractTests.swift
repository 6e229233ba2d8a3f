import Foundation
import SodarCache
import StoreKernel
import Testing

/// An overwrite keeps the version it replaced, in the write's transaction; an identical
/// rewrite keeps nothing; the store's policy bounds how many: the same on every engine and
/// layout (on SODAR's tables, in the site's local store: `SiteHistoryTests`).
@Suite struct HistoryContractTests {
    static let kinds = StoreKind.available

    static func history(_ store: any CacheStore) throws -> any ItemHistory {
        try #require((store as? any StoreEngine)?.history)
    }

    @Test(arguments: kinds) func anOverwriteKeepsTheVersionItReplacedAndAnIdenticalRewriteKeepsNothing(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let project = try fixture.makeTestProject()
        let user = try fixture.makeUser("bob")
        let store = fixture.store
        let first = try store.setCacheItem(appName: "timeline", name: "t", data: json("[1]"), dataType: "json", project: project.uuid, user: user)
        // An identical rewrite moves the update time, and keeps no version.
        let rewritten = try store.setCacheItem(appName: "timeline", name: "t", data: json("[1]"), project: project.uuid)
        let history = try Self.history(store)
        #expect(try history.versions(appName: "timeline", name: "t", project: project.uuid).isEmpty)

        try store.setCacheItems([CacheWrite(appName: "timeline", name: "t", data: json("[2]"), project: project.uuid)])
        try store.setCacheItem(appName: "timeline", name: "t", data: json("[3]"), project: project.uuid)
        let versions = try history.versions(appName: "timeline", name: "t", project: project.uuid)
        #expect(versions.map(\.size) == [3, 3])
        #expect(versions.map(\.data) == [nil, nil])
        let oldest = try #require(versions.last)
        #expect(oldest.uuid == first.uuid)
        #expect(oldest.dateModified == rewritten.dateModified)
        #expect(oldest.user?.username == "bob")
        #expect(oldest.replacedAt > rewritten.dateModified)
        let revs = versions.map(\.rev)
        #expect(revs == revs.sorted(by: >))
        #expect(try history.version(rev: oldest.rev)?.data == json("[1]"))
        #expect(try history.version(rev: try #require(versions.first).rev)?.data == json("[2]"))
        #expect(try history.version(rev: 987_654) == nil)
        // Another item, and a site-wide one of the same name, have their own histories.
        try store.setCacheItem(appName: "timeline", name: "t", data: json("1"), project: nil)
        try store.setCacheItem(appName: "timeline", name: "t", data: json("2"), project: nil)
        #expect(try history.versions(appName: "timeline", name: "t", project: nil).count == 1)
        #expect(try history.versions(appName: "timeline", name: "t", project: project.uuid).count == 2)
    }

    /// A deleted project's items take their history with them: a project added after it (which
    /// SQLite gives the same row id) or the same project imported again has none of it.
    @Test(arguments: kinds.filter { $0 != .sodar }) func aDeletedProjectsHistoryIsNotAnotherProjects(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let store = fixture.store
        let history = try Self.history(store)
        let gone = try fixture.makeProject("Gone")
        try store.setCacheItem(appName: "timeline", name: "t", data: json("[1]"), project: gone.uuid)
        try store.setCacheItem(appName: "timeline", name: "t", data: json("[2]"), project: gone.uuid)
        #expect(try history.versions(appName: "timeline", name: "t", project: gone.uuid).count == 1)
        #expect(try #require(store as? any StoreEngine).deleteProject(uuid: gone.uuid, withItems: true) == 1)
        let next = try fixture.makeProject("Next")
        try store.setCacheItem(appName: "timeline", name: "t", data: json("[9]"), project: next.uuid)
        #expect(try history.versions(appName: "timeline", name: "t", project: next.uuid).isEmpty)
        _ = try store.importProjects([gone])
        #expect(try history.versions(appName: "timeline", name: "t", project: gone.uuid).isEmpty)
    }

    @Test(arguments: kinds) func thePolicyBoundsTheVersionsPerAppAndZeroTurnsItOff(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let project = try fixture.makeTestProject()
        let store = fixture.store
        let history = try Self.history(store)
        #expect(try history.historyPolicy() == .standard)
        for n in 1...8 {
            try store.setCacheItem(appName: "timeline", name: "t", data: json("[\(n)]"), project: project.uuid)
            try store.setCacheItem(appName: "samplesheets", name: "s", data: json("[\(n)]"), project: project.uuid)
        }
        #expect(try history.versions(appName: "timeline", name: "t", project: project.uuid).count == 5)
        let kept = try history.versions(appName: "timeline", name: "t", project: project.uuid)
        #expect(try history.version(rev: try #require(kept.first).rev)?.data == json("[7]"))

        let policy = HistoryPolicy(versions: 2, perApp: ["samplesheets": 0], maxBytes: 64 << 20)
        #expect(try history.applyHistoryPolicy(policy))
        #expect(try !history.applyHistoryPolicy(policy))
        #expect(try history.historyPolicy() == policy)
        // Versions beyond the new counts went at once.
        #expect(try history.versions(appName: "timeline", name: "t", project: project.uuid).count == 2)
        #expect(try history.versions(appName: "samplesheets", name: "s", project: project.uuid).isEmpty)
        try store.setCacheItem(appName: "samplesheets", name: "s", data: json("[9]"), project: project.uuid)
        #expect(try history.versions(appName: "samplesheets", name: "s", project: project.uuid).isEmpty)
        // Revisions never change once given: the two kept are the two newest.
        #expect(try history.versions(appName: "timeline", name: "t", project: project.uuid).map(\.rev) == Array(kept.prefix(2).map(\.rev)))

        // A payload over the size cap keeps no version.
        #expect(try history.applyHistoryPolicy(HistoryPolicy(versions: 2, perApp: [:], maxBytes: 3)))
        try store.setCacheItem(appName: "timeline", name: "big", data: json("[1000]"), project: project.uuid)
        try store.setCacheItem(appName: "timeline", name: "big", data: json("[2000]"), project: project.uuid)
        #expect(try history.versions(appName: "timeline", name: "big", project: project.uuid).isEmpty)
    }

    @Test(arguments: kinds) func versionsAWriterTheStoreDidNotSeeReplacedAreKeptOnceAsThePolicySays(kind: StoreKind) throws {
        let fixture = try ContractStore(kind)
        let project = try fixture.makeTestProject()
        let store = fixture.store
        let history = try Self.history(store)
        let item = try store.setCacheItem(appName: "timeline", name: "t", data: json("[1]"), project: project.uuid)
        let version = ItemVersion(
            rev: 0, uuid: item.uuid, project: project.uuid, appName: "timeline", name: "t", user: nil,
            dateModified: item.dateModified, replacedAt: item.dateModified.addingTimeInterval(1), size: 3, data: json("[1]"))
        #expect(try history.keepVersions([version]) == 1)
        // The same version again (the store's own trigger may have kept it too): not twice.
        #expect(try history.keepVersions([version]) == 0)
        let kept = try history.versions(appName: "timeline", name: "t", project: project.uuid)
        #expect(kept.map(\.uuid) == [item.uuid])
        #expect(try history.version(rev: try #require(kept.first).rev)?.data == json("[1]"))
        // An app that keeps no versions keeps none of these either.
        #expect(try history.applyHistoryPolicy(HistoryPolicy(versions: 5, perApp: ["samplesheets": 0], maxBytes: 64 << 20)))
        var other = version
        other.appName = "samplesheets"
        #expect(try history.keepVersions([other]) == 0)
        #expect(try history.versions(appName: "samplesheets", name: "t", project: project.uuid).isEmpty)
    }
}
