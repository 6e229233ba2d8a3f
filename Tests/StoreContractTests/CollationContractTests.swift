import Foundation
@testable import SodarCachePostgres
import SodarCache
import StoreKernel
import Testing
import TestSupport

/// One order per store, whatever the database's collation: every page walk returns each row
/// exactly once, in the order the pane shows, forwards and backwards; names sort in byte
/// order on sodarcache's own stores (SQLite, memory, and its PostgreSQL schema in any
/// database), and in the database's own order on SODAR's tables, whose indexes follow it; a
/// filter folds ASCII letters only, on every engine.
@Suite struct CollationContractTests {
    /// A store kind, in a database whose default collation is C.UTF-8 or ICU's en-US.
    struct Case: Sendable, CustomStringConvertible {
        var kind: StoreKind
        var icu: Bool
        var description: String { icu ? "\(kind) (ICU en-US)" : kind.description }

        static let all: [Case] =
            StoreKind.available.map { Case(kind: $0, icu: false) }
            + StoreKind.available.filter { $0 == .postgres || $0 == .sodar }.map { Case(kind: $0, icu: true) }
    }

    /// Mixed case, accents (precomposed), CJK, digits and names led by punctuation.
    static let names = [
        "apple", "Apple", "Äpfel", "äpfel", "banana", "_underscore", "-dash", ".dot", "Zebra", "zebra", "日本", "中文",
        "éclair", "Eclair", "eclair", "10", "9", "a b", "a-b", "a_b", "Ω", "ß", "~tilde",
    ]
    static let apps = ["Zeta", "alpha", "Beta", "_tools", "émile", "samplesheets"]

    static func populated(_ test: Case) throws -> (ContractStore, Project) {
        let fixture = try ContractStore(test.kind, apps: apps, icu: test.icu)
        let project = try fixture.makeTestProject()
        var writes: [CacheWrite] = []
        for (i, name) in names.enumerated() {
            writes.append(CacheWrite(
                appName: "samplesheets", name: name, data: json("[\(String(repeating: "1,", count: i % 5))0]"),
                project: project.uuid))
        }
        for (i, app) in apps.enumerated() where app != "samplesheets" {
            writes.append(CacheWrite(appName: app, name: names[i], data: json("{}"), project: project.uuid))
        }
        try fixture.store.setCacheItems(writes)
        return (fixture, project)
    }

    /// The database's own order of `names` (SODAR's tables follow it).
    static func serverOrder(_ fixture: ContractStore, _ names: [String]) throws -> [String] {
        // The names hold no quote or backslash: each is quoted as it is.
        let literal = "{" + names.map { "\"\($0)\"" }.joined(separator: ",") + "}"
        let result = try fixture.sql("SELECT n FROM unnest($1::text[]) AS n ORDER BY n", [literal])
        return (0..<result.rowCount).compactMap { result.string($0, 0) }
    }

    static func byteOrder(_ names: [String]) -> [String] {
        names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The order names must come in on this store.
    static func expectedOrder(_ test: Case, _ fixture: ContractStore, _ names: [String]) throws -> [String] {
        test.kind == .sodar ? try serverOrder(fixture, names) : byteOrder(names)
    }

    @Test(arguments: Case.all) func itemPagesWalkEveryRowOnceInOneOrderBothWays(test: Case) throws {
        let (fixture, project) = try Self.populated(test)
        let store = fixture.store
        for sort in ItemSort.allCases {
            for limit in [1, 3, 7] {
                let onward = try Paging.forwards(pageSize: limit) { after in
                    try store.itemPage(project: project.uuid, app: "samplesheets", sort: sort, after: after, limit: limit, filter: nil)
                }
                let back = try Paging.backwards(pageSize: limit) { before in
                    try store.itemPage(project: project.uuid, app: "samplesheets", sort: sort, before: before, limit: limit, filter: nil)
                }
                let whole = try store.itemPage(project: project.uuid, app: "samplesheets", sort: sort, after: nil, limit: 1000, filter: nil)
                #expect(onward.map(\.uuid) == whole.map(\.uuid), "\(sort), pages of \(limit)")
                #expect(back.map(\.uuid) == whole.map(\.uuid), "\(sort), backwards in pages of \(limit)")
                #expect(Set(onward.map(\.uuid)).count == Self.names.count)
                if sort == .name {
                    #expect(whole.map(\.name) == (try Self.expectedOrder(test, fixture, Self.names)))
                }
            }
        }
        // Every app's items together: by app, then name, in the same order.
        let all = try Paging.forwards(pageSize: 4) { after in
            try store.itemPage(project: project.uuid, app: nil, sort: .name, after: after, limit: 4, filter: nil)
        }
        #expect(all.count == Self.names.count + Self.apps.count - 1)
        #expect(Set(all.map(\.uuid)).count == all.count)
        let appOrder = try Self.expectedOrder(test, fixture, Self.apps)
        let appsSeen = all.map(\.appName).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        #expect(appsSeen == appOrder)
    }

    @Test(arguments: Case.all) func appPagesWalkEveryAppOnceInOneOrderBothWays(test: Case) throws {
        let (fixture, project) = try Self.populated(test)
        let store = fixture.store
        let expected = try Self.expectedOrder(test, fixture, Self.apps)
        for limit in [1, 2, 4] {
            let onward = try Paging.forwards(pageSize: limit) { after in
                try store.appPage(project: project.uuid, after: after, limit: limit, filter: nil)
            }
            let back = try Paging.backwards(pageSize: limit) { before in
                try store.appPage(project: project.uuid, before: before, limit: limit, filter: nil)
            }
            #expect(onward.map(\.appName) == expected, "pages of \(limit)")
            #expect(back.map(\.appName) == expected, "backwards in pages of \(limit)")
        }
    }

    @Test(arguments: Case.all) func aFilterFoldsASCIILettersOnlyOnEveryEngine(test: Case) throws {
        let (fixture, project) = try Self.populated(test)
        let store = fixture.store
        func names(_ filter: String) throws -> Set<String> {
            Set(try store.itemPage(project: project.uuid, app: "samplesheets", sort: .name, after: nil, limit: 1000, filter: filter).map(\.name))
        }
        #expect(try names("APPLE") == ["apple", "Apple"])
        #expect(try names("éclair") == ["éclair"])
        #expect(try names("ÄPFEL") == ["Äpfel"])
        #expect(try names("äpfel") == ["äpfel"])
        #expect(try names("_") == ["_underscore", "a_b"])
        #expect(try names("%") == [])
        #expect(try names("日") == ["日本"])
        let apps = Set(try store.appPage(project: project.uuid, after: nil, limit: 100, filter: "É").map(\.appName))
        #expect(apps == [])
        let folded = Set(try store.appPage(project: project.uuid, after: nil, limit: 100, filter: "ZETA").map(\.appName))
        #expect(folded == ["Zeta"])
    }

    @Test(arguments: Case.all.filter { $0.kind != .sodar }) func projectTitlesSortTheSameOnEveryEngine(test: Case) throws {
        let fixture = try ContractStore(test.kind, apps: Self.apps, icu: test.icu)
        let titles = ["zebra", "Apple", "éclair", "Eclair", "_tools", "日本", "10", "9", "banana"]
        for title in titles { try fixture.makeProject(title) }
        let onward = try Paging.forwards(pageSize: 2) { after in
            try fixture.store.projectPage(after: after, limit: 2, filter: nil)
        }
        // Siblings by title with ASCII letters folded, in byte order (ProjectTree's rule).
        let expected = titles.sorted {
            Array(ProjectTree.foldASCII($0).utf8).lexicographicallyPrecedes(Array(ProjectTree.foldASCII($1).utf8))
        }
        #expect(onward.map(\.project.title) == expected)
        let back = try Paging.backwards(pageSize: 2) { before in
            try fixture.store.projectPage(before: before, limit: 2, filter: nil)
        }
        #expect(back.map(\.project.title) == expected)
    }

    /// "café" composed and decomposed are two names to every store (Swift's `String` calls them
    /// equal): both are kept, read back, listed and read before a batch as two items.
    @Test(arguments: Case.all) func canonicallyEqualNamesAreTwoItems(test: Case) throws {
        let fixture = try ContractStore(test.kind, apps: Self.apps, icu: test.icu)
        let project = try fixture.makeTestProject()
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed, "Swift's String equality, which the stores do not share")
        for place in [project.uuid, nil] as [UUID?] {
            try fixture.store.setCacheItems([
                CacheWrite(appName: "alpha", name: composed, data: json("1"), project: place),
                CacheWrite(appName: "alpha", name: decomposed, data: json("2"), project: place),
            ])
            #expect(try fixture.store.getCacheItem(appName: "alpha", name: composed, project: place).map { text($0.data) } == "1")
            #expect(try fixture.store.getCacheItem(appName: "alpha", name: decomposed, project: place).map { text($0.data) } == "2")
            let listed = try fixture.store.itemPage(project: place, app: "alpha", sort: .name, after: nil, limit: 10, filter: nil)
            #expect(listed.count == 2)
            let reading = try #require(fixture.store as? any ReadingCommit)
            let before = try reading.payloads(in: [ItemScope(project: place, app: "alpha")])
            #expect(Set(before.map { Array($0.name.utf8) }) == [Array(composed.utf8), Array(decomposed.utf8)])
        }
    }
}
