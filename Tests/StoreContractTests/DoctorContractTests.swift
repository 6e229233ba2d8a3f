import Foundation
import SodarCache
import SodarCacheMemory
import StoreKernel
import Testing
import TestSupport

/// The doctor's pass and the two engine reads it and the metrics rest on (`scanItems`,
/// `appTotals`), the same on every store.
@Suite struct DoctorContractTests {
    /// A category with projects A (its items cover every finding but duplicates), B (an item of
    /// an app no longer registered, no expected item) and Empty; site-wide items; on the stores
    /// whose items have no foreign key to their project, an item of a project that is gone.
    struct Planted {
        let fixture: ContractStore
        let store: any Doctor.Store
        let a: Project
        let b: Project
        let empty: Project
        let gone: Bool
    }

    static let settings = DoctorSettings(
        staleAfter: 30 * 86400, oversizedBytes: 100,
        expectations: [
            DoctorExpectation(app: "samplesheets", names: ["irods/stats"]),
            DoctorExpectation(app: "timeline", names: ["site/a", "site/b"], siteWide: true),
        ])

    static func planted(_ kind: StoreKind) throws -> Planted {
        let fixture = try ContractStore(kind)
        let category = try fixture.makeProject("Cat", type: .category)
        let a = try fixture.makeProject("A", parent: category)
        let b = try fixture.makeProject("B", parent: category)
        let empty = try fixture.makeProject("Empty", parent: category)
        let store = try #require(fixture.store as? any Doctor.Store)
        let big = json(#"{"blob": ""# + String(repeating: "x", count: 200) + #""}"#)
        try fixture.store.setCacheItems([
            CacheWrite(appName: "samplesheets", name: "irods/stats", data: json(#"{"n": 1}"#), project: a.uuid),
            CacheWrite(appName: "timeline", name: "old", data: json(#"{"n": 2}"#), project: a.uuid),
            CacheWrite(appName: "samplesheets", name: "cleared/object", data: json("{}"), project: a.uuid),
            CacheWrite(appName: "samplesheets", name: "cleared/array", data: json("[ ]"), project: a.uuid),
            CacheWrite(appName: "samplesheets", name: "cleared/null", data: json("null"), project: a.uuid),
            CacheWrite(appName: "samplesheets", name: "small", data: json("1"), project: a.uuid),
            CacheWrite(appName: "samplesheets", name: "big", data: big, project: a.uuid),
            CacheWrite(appName: "filesfolders", name: "x", data: json("[1]"), project: b.uuid),
            CacheWrite(appName: "timeline", name: "site/a", data: json(#"{"site": true}"#)),
        ])
        // Written while "retired" was registered; the doctor runs with the fixture's apps.
        try fixture.reopen(apps: ContractStore.apps + ["retired"])
            .setCacheItem(appName: "retired", name: "left/behind", data: json("[2]"), project: b.uuid)
        // An item last written 60 days ago.
        switch fixture.kind {
        case .sqlite: try fixture.rawSQL("UPDATE cache_item SET date_modified = date_modified - 5184000 WHERE name = 'old'")
        case .postgres, .sodar:
            try fixture.rawSQL("UPDATE \(fixture.itemTable) SET date_modified = date_modified - interval '60 days' WHERE name = 'old'")
        case .memory:
            let memory = try #require(fixture.store as? MemoryCacheStore)
            var old = try #require(memory.allItems.first { $0.name == "old" })
            old.dateModified = old.dateModified.addingTimeInterval(-60 * 86400)
            memory.restore([old])
        }
        // A project that is gone with its item left behind (SODAR's tables keep a foreign key).
        var gone = true
        let lost = Project(title: "Lost")
        switch fixture.kind {
        case .sqlite, .postgres:
            let project = try fixture.makeProject("Lost", parent: category)
            try fixture.store.setCacheItem(appName: "samplesheets", name: "orphan", data: json("[3]"), project: project.uuid)
            if fixture.kind == .sqlite {
                let hex = withUnsafeBytes(of: project.uuid.uuid) { $0.map { String(format: "%02x", $0) }.joined() }
                try fixture.rawSQL("DELETE FROM project WHERE uuid = X'\(hex)'")
            } else {
                try fixture.rawSQL("DELETE FROM sodarcache_project WHERE sodar_uuid = '\(project.uuid.uuidString.lowercased())'")
            }
        case .memory:
            let memory = try #require(fixture.store as? MemoryCacheStore)
            memory.restore([
                CacheItem(
                    uuid: UUID(), project: lost.uuid, appName: "samplesheets", name: "orphan", user: nil, data: json("[3]"),
                    dateModified: Date())
            ])
        case .sodar:
            gone = false
        }
        return Planted(fixture: fixture, store: store, a: a, b: b, empty: empty, gone: gone)
    }

    static func findings(_ report: DoctorReport, _ check: DoctorCheck) -> [DoctorFinding] {
        report.findings.filter { $0.check == check }
    }

    @Test(arguments: StoreKind.available) func everyKindOfFindingIsFoundPerProjectAndApp(kind: StoreKind) throws {
        let planted = try Self.planted(kind)
        let report = try Doctor.examine(planted.store, settings: Self.settings, registeredApps: Set(ContractStore.apps))
        let a = planted.a.uuid

        let stale = Self.findings(report, .stale)
        #expect(stale.count == 1)
        #expect(stale.first?.project?.uuid == a && stale.first?.app == "timeline" && stale.first?.count == 1)
        #expect(stale.first?.items.map(\.name) == ["old"])

        let cleared = Self.findings(report, .cleared)
        #expect(cleared.count == 1)
        #expect(cleared.first?.project?.uuid == a && cleared.first?.app == "samplesheets" && cleared.first?.count == 3)
        #expect(Set(cleared.first?.items.map(\.name) ?? []) == ["cleared/object", "cleared/array", "cleared/null"])

        let oversized = Self.findings(report, .oversized)
        #expect(oversized.map(\.count) == [1])
        #expect(oversized.first?.items.map(\.name) == ["big"])
        #expect((oversized.first?.largest ?? 0) > 200)

        let orphans = Self.findings(report, .orphans)
        let unregistered = try #require(orphans.first { !$0.projectGone })
        #expect(unregistered.project?.uuid == planted.b.uuid && unregistered.app == "retired" && unregistered.count == 1)
        #expect(unregistered.reason == "app not registered")
        #expect(unregistered.items.map(\.name) == ["left/behind"])
        if planted.gone {
            let gone = try #require(orphans.first { $0.projectGone })
            #expect(gone.project == nil && gone.app == "samplesheets" && gone.count == 1 && gone.reason == "project gone")
            #expect(gone.place == "(project gone)")
        }
        #expect(orphans.count == (planted.gone ? 2 : 1))

        // Every project but A lacks its statistics; the site lacks site/b.
        let missing = Self.findings(report, .missing)
        #expect(Set(missing.map { $0.project?.uuid }) == [planted.b.uuid, planted.empty.uuid, nil])
        #expect(missing.allSatisfy { $0.severity == .critical })
        #expect(missing.first { $0.project == nil }?.names == ["site/b"])
        #expect(missing.first { $0.project?.uuid == planted.b.uuid }?.names == ["irods/stats"])
        #expect(report.count(of: .missing) == 3)

        #expect(Self.findings(report, .duplicates).isEmpty)
        #expect(report.status == .critical)
        #expect(report.itemAges == planted.store.itemAges)
        // Items of the gone project are orphans only: the pass leaves them out.
        #expect(report.itemsExamined == 10)
        // Ancestors, to unfold the tree down to a finding.
        #expect(stale.first?.ancestors.count == 1)
    }

    @Test(arguments: StoreKind.available) func aProjectOrAnAppNarrowsIt(kind: StoreKind) throws {
        let planted = try Self.planted(kind)
        let inA = try Doctor.examine(
            planted.store, scope: DoctorScope(project: planted.a.uuid), settings: Self.settings, registeredApps: Set(ContractStore.apps))
        #expect(inA.findings.allSatisfy { $0.project?.uuid == planted.a.uuid })
        #expect(Set(inA.findings.map(\.check)) == [.stale, .cleared, .oversized])
        #expect(inA.notChecked[.duplicates] != nil)
        let timeline = try Doctor.examine(
            planted.store, scope: DoctorScope(app: "timeline"), settings: Self.settings, registeredApps: Set(ContractStore.apps))
        #expect(timeline.findings.allSatisfy { $0.app == "timeline" })
        #expect(Set(timeline.findings.map(\.check)) == [.stale, .missing])
        // No config: orphans are not checked (every app would be one); skipped kinds neither.
        var skipping = Self.settings
        skipping.skipped = [.stale, .missing]
        let bare = try Doctor.examine(planted.store, settings: skipping, registeredApps: nil)
        #expect(Set(bare.findings.map(\.check)) == [.cleared, .oversized])
        #expect(Set(bare.notChecked.keys) == [.orphans, .stale, .missing])
        #expect(bare.status == .warning)
        #expect(throws: CacheError.self) {
            try Doctor.examine(planted.store, scope: DoctorScope(project: UUID()), settings: Self.settings, registeredApps: nil)
        }
    }

    @Test(arguments: StoreKind.available) func aSubtreeTakesEveryProjectBeneathACategory(kind: StoreKind) throws {
        let planted = try Self.planted(kind)
        let category = try #require(planted.a.parent)
        let own = try Doctor.examine(
            planted.store, scope: DoctorScope(project: category), settings: Self.settings, registeredApps: Set(ContractStore.apps))
        #expect(own.findings.isEmpty)
        let subtree = try Doctor.examine(
            planted.store, scope: DoctorScope(project: category, subtree: true), settings: Self.settings,
            registeredApps: Set(ContractStore.apps))
        #expect(Set(subtree.findings.compactMap { $0.project?.uuid }) == [planted.a.uuid, planted.b.uuid, planted.empty.uuid])
    }

    /// SODAR's unique constraint lets two site-wide rows of one app and name through: both are
    /// read, and reported as duplicates.
    @Test(.enabled(if: StoreKind.available.contains(.sodar))) func siteWideItemsStoredTwiceAreDuplicatesOnSODARsTables() throws {
        let fixture = try ContractStore(.sodar)
        for value in ["1", "2", "3"] {
            try fixture.sql(
                """
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                VALUES ('timeline', 'dup', now(), gen_random_uuid(), $1::jsonb, NULL, NULL)
                """, [value])
        }
        try fixture.store.setCacheItem(appName: "timeline", name: "single", data: json("{}"))
        let store = try #require(fixture.store as? any Doctor.Store)
        let report = try Doctor.examine(store, settings: DoctorSettings(), registeredApps: Set(ContractStore.apps))
        let duplicates = report.findings.filter { $0.check == .duplicates }
        #expect(duplicates.count == 1)
        #expect(duplicates.first?.names == ["dup"] && duplicates.first?.count == 3 && duplicates.first?.project == nil)
        #expect(duplicates.first?.severity == .critical)
        #expect(Set(duplicates.first?.items.map(\.uuid) ?? []).count == 3)
        // The cleared one is found too, and the scan read all four rows.
        #expect(report.count(of: .cleared) == 1)
        var rows = 0
        try store.scanItems(scope: .site, appName: "timeline", pageSize: 1) { rows += $0.count }
        #expect(rows == 4)
        // `ls` and `deletecache`'s listings walk every one of them, a page ending between two or not.
        let listed = try Paging.forwards(pageSize: 1) { after in
            try fixture.store.items(matching: CacheFilter(scope: .site, appName: "timeline"), after: after, limit: 1)
        }
        #expect(listed.count == 4)
        #expect(Set(listed.map(\.uuid)).count == 4)
        // The browser's site-wide list shows every one of them, a page ending between two or not.
        for sort in ItemSort.allCases {
            for app in ["timeline", nil] {
                let whole = try fixture.store.itemPage(project: nil, app: app, sort: sort, after: nil, limit: 100, filter: nil)
                #expect(whole.count == 4, "\(sort)")
                let onward = try Paging.forwards(pageSize: 1) { after in
                    try fixture.store.itemPage(project: nil, app: app, sort: sort, after: after, limit: 1, filter: nil)
                }
                let back = try Paging.backwards(pageSize: 1) { before in
                    try fixture.store.itemPage(project: nil, app: app, sort: sort, before: before, limit: 1, filter: nil)
                }
                #expect(onward.map(\.uuid) == whole.map(\.uuid), "\(sort), app \(app ?? "all")")
                #expect(back.map(\.uuid) == whole.map(\.uuid), "\(sort), app \(app ?? "all")")
            }
        }
    }

    @Test(arguments: StoreKind.available) func scanItemsReadsWhatTheListingReadsInAnyOrder(kind: StoreKind) throws {
        let (fixture, projects) = try BrowsingContractTests.populated(kind)
        let store = try #require(fixture.store as? any Doctor.Store)
        let scopes: [CacheFilter.Scope] = [.all, .site, .project(projects[1].uuid)]
        for scope in scopes {
            for app in [String?.none, "timeline"] {
                var listed: [ItemSummary] = []
                try store.forEachItemPage(matching: CacheFilter(scope: scope, appName: app), pageSize: 1000) { listed += $0 }
                var scanned: [ItemSummary] = []
                var pages = 0
                try store.scanItems(scope: scope, appName: app, pageSize: 7) { page in
                    #expect(page.count <= 7)
                    pages += 1
                    scanned += page
                }
                #expect(scanned.count == listed.count, "\(scope) \(app ?? "all")")
                #expect(Set(scanned.map(\.uuid)).count == scanned.count)
                // The same summaries (the row version aside, which a listing may read later).
                func key(_ item: ItemSummary) -> [String] {
                    [item.uuid.uuidString, item.project?.uuidString ?? "-", item.appName, item.name, String(item.size),
                     String(item.dateModified.timeIntervalSince1970)]
                }
                #expect(Set(scanned.map(key)) == Set(listed.map(key)))
                #expect(pages == (scanned.count + 6) / 7 || pages == (scanned.count + 6) / 7 + 1)
            }
        }
        #expect(throws: CacheError.self) { try store.scanItems(scope: .project(UUID()), appName: nil, pageSize: 10) { _ in } }
    }

    @Test(arguments: StoreKind.available) func appTotalsCountEveryAppsItemsWithTheirAges(kind: StoreKind) throws {
        let (fixture, _) = try BrowsingContractTests.populated(kind)
        let store = try #require(fixture.store as? any Doctor.Store)
        let totals = try store.appTotals()
        #expect(totals.map(\.appName) == ["filesfolders", "samplesheets", "timeline"])
        #expect(totals.map(\.items) == [21, 24, 29])
        var all: [ItemSummary] = []
        try store.forEachItemPage(matching: CacheFilter(), pageSize: 1000) { all += $0 }
        for app in totals {
            let items = all.filter { $0.appName == app.appName }
            #expect(app.oldest == items.map(\.dateModified).min(), "\(app.appName)")
            #expect(app.newest == items.map(\.dateModified).max(), "\(app.appName)")
            // SODAR's tables keep no sizes: counting them would read every payload.
            #expect(app.bytes == (kind == .sodar ? nil : items.reduce(0) { $0 + $1.size }), "\(app.appName)")
        }
    }
}
