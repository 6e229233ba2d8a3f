import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import SodarCacheMemory
import StoreKernel
import Testing

/// The audit pane (`L`): this session's entries first, then the store's recent ones, newest
/// first; Enter on an entry that names one item goes to it.
@Suite struct AuditPaneTests {
    static let alice = ChangeAttribution(osUser: "alice", host: "web1", command: "browse")
    static let sessionStart = Fixture.now.addingTimeInterval(-300)

    /// A store whose trail holds an earlier session's write (2 h ago), then this session's
    /// rewrite of an item, a delete of the earlier item and a failed sync.
    static func store(hostile: Bool = false) throws -> MemoryCacheStore {
        let clock = Locked(Fixture.now.addingTimeInterval(-7200))
        let store = MemoryCacheStore(
            registeredApps: ["samplesheets", "samplesheets.assayapps.cytof", "samplesheets.studyapps.germline", "sodarcache"],
            clock: { clock.withLock { $0 } }, changes: ChangePolicy(attribution: alice))
        _ = try store.importProjects([Fixture.cancer, Fixture.alpha, Fixture.beta, Fixture.germline, Fixture.tokyo, Fixture.zeta])
        store.restore(Fixture.entries.map(\.0))
        try store.setCacheItem(
            appName: "samplesheets", name: "sheet/old", data: Data("{}".utf8), dataType: "json", project: Fixture.alpha.uuid, user: nil)
        clock.withLock { $0 = Fixture.now.addingTimeInterval(-120) }
        try store.setCacheItem(
            appName: "samplesheets", name: "sheet/tables/study/ssss", data: Data("[1]".utf8), dataType: "json",
            project: Fixture.alpha.uuid, user: nil)
        clock.withLock { $0 = Fixture.now.addingTimeInterval(-60) }
        try store.deleteCacheItem(appName: "samplesheets", name: "sheet/old", project: Fixture.alpha.uuid)
        try store.record(AuditNote(action: "sync", what: "project \(Fixture.alpha.uuid.sodarString): 0 of 1 units", outcome: "1 failed"))
        if hostile {
            try store.record(AuditNote(action: "write", what: "x\u{1B}]0;owned\u{7}\u{1B}[2J", outcome: "\u{1B}[31mred"))
        }
        return store
    }

    static func browser(
        _ source: any CacheBrowsing, width: Int = 100, height: Int = 20, session: Bool = true
    ) -> ScriptedBrowser {
        var options = BrowserOptions(storePath: "/srv/cache.db")
        if session {
            options.sessionAttribution = alice
            options.sessionStart = sessionStart
        }
        return ScriptedBrowser(
            source: source, options: options, now: Fixture.now, width: width, height: height, timeZone: Fixture.utc,
            buildDocument: Fixture.builder)
    }

    @Test func lListsThisSessionsEntriesThenTheStoresNewestFirst() throws {
        let browser = Self.browser(try Self.store())
        browser.press(.char("L"))
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                 4 projects · 2 categories · 7 items · 650 B · 1 site-wide
             Projects                                     1/7 │ Apps · (site-wide)                          1/1
               (site-wide)                       1            │ sodarcache                     1   16B  10m ago
             ▾ Cancer Research/                  5  569B   2m │
                 Project Alpha                   4  437B   2m │
            !┌─ Audit log (Enter: go to the item, r: again, Esc: close) ──────────────────────────────────────┐
             │ Newest first: when, who (role), host, command, action, outcome, what                           │
             │ This session: 3 changes                                                                        │
             │   01-15 07:59  alice        web1       browse    sync     1 failed  project "Cancer Research … │
             │   01-15 07:59  alice        web1       browse    delete   ok  deleted 1 item (samplesheets:sh… │
             │   01-15 07:58  alice        web1       browse    write    ok  samplesheets:sheet/tables/study… │
             │ The store's recent entries: 2                                                                  │
             │   01-15 06:00  alice        web1       browse    write    ok  samplesheets:sheet/old in proje… │
             │   01-15 06:00  alice        web1       browse    project  ok  changed the project tree         │
             └────────────────────────────────────────────────────────────────────────────────────────────────┘
                                                              │
                                                              │
                                                              │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane  / filter  o sort
            """)
        #expect(browser.state.overlay == .audit(cursor: 0))
    }

    @Test func enterGoesToTheItemAnEntryNamesWhereItStillExists() throws {
        let browser = Self.browser(try Self.store())
        // The sync names no item.
        browser.press(.char("L"), .down, .enter)
        #expect(browser.state.message?.text.hasPrefix("This entry names no single item (sync: project ") == true)
        // The delete names an item that is gone.
        browser.press(.down, .enter)
        #expect(browser.state.message?.text == "samplesheets:sheet/old is no longer in the store")
        #expect(browser.state.overlay == .audit(cursor: 2))
        // The rewrite names one that is there.
        browser.press(.down, .enter)
        #expect(browser.state.overlay == nil)
        #expect(browser.state.pane == .items)
        #expect(browser.state.selectedProject?.uuid == Fixture.alpha.uuid)
        #expect(browser.state.selectedApp?.appName == "samplesheets")
        #expect(browser.state.selectedItem?.name == "sheet/tables/study/ssss")
        #expect(browser.state.message?.text == "samplesheets:sheet/tables/study/ssss in Cancer Research / Project Alpha")
    }

    @Test func aStoreWithoutATrailSaysSoAndAnEmptyTrailShowsNoEntries() throws {
        let browser = Self.browser(Fixture.source(), width: 80, height: 12)
        browser.press(.char("L"))
        expectScreen(browser.screen, """
             sodarcache /srv/cac… 4 projects · 2 categories · 7 items · 674 B · 1 site-wide
             Projects                           1/7 │ Apps · (site-wide)                1/1
               (site-wide)             1            │ sodarcache                 1  10m ago
             ▾ Cancer Research/        5  593B   3m │
             ┌─ Audit log (Enter: go to the item, r: again, Esc: close) ──────────────────┐
            !│ Could not read the audit trail: this store keeps no audit trail            │
             │                                                                            │
             └────────────────────────────────────────────────────────────────────────────┘
               Zeta Lab                0            │
                                                    │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane
            """)
        let empty = MemoryCacheStore(registeredApps: [])
        let fresh = Self.browser(empty, width: 80, height: 12, session: false)
        fresh.press(.char("L"))
        expectScreen(fresh.screen, """
             sodarcache /srv/cache.db             0 projects · 0 categories · 0 items · 0 B
             Projects                           0/0 │ Apps ·
              (no projects)                         │
                                                    │
             ┌─ Audit log (Enter: go to the item, r: again, Esc: close) ──────────────────┐
             │ Newest first: when, who (role), host, command, action, outcome, what       │
             │ The store's recent entries: 0                                              │
             └────────────────────────────────────────────────────────────────────────────┘
                                                    │
                                                    │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane
            """)
    }

    @Test func projectsTheBrowserHasReadAreNamedByTitleOthersByUUID() throws {
        let store = try Self.store()
        let hostile = Project(uuid: Fixture.uuid(90), title: "Evil\u{1B}[2J\u{9B}31m")
        _ = try store.importProjects([hostile])
        let unknown = Fixture.uuid(91)
        try store.record(AuditNote(action: "delete", what: "2 items in project \(unknown.sodarString) of x"))
        try store.record(AuditNote(action: "delete", what: "3 items in project \(hostile.uuid.sodarString) of x"))
        try store.record(AuditNote.project("created", Fixture.beta))
        let browser = Self.browser(store, width: 160, height: 30)
        browser.press(.char("L"))
        // The pane is at most 120 columns wide: the longer entries are cut.
        let text = browser.screen.text
        #expect(text.contains(#"sync     1 failed  project "Cancer Research / Project Alpha":"#))
        #expect(text.contains("2 items in project \(unknown.sodarString.prefix(29))"))
        #expect(text.contains(#"3 items in project "Evil\u001b[2J\u009b31m" of x"#))
        #expect(text.contains("created project \(Fixture.beta.uuid.sodarString.prefix(29))"))
        for cell in browser.screen.cells {
            #expect(!cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
        // Already followed by its title: not named twice. Only a project's UUID standing alone
        // is named: not one in an item's name.
        let created = AuditNote.project("created", Fixture.beta).what
        #expect(created.hasSuffix(#" "Project Beta""#) && browser.state.namingProjects(created) == created)
        let alpha = Fixture.alpha.uuid.sodarString
        #expect(
            browser.state.namingProjects("deleted 1 item (samplesheets:sheet/old in project \(alpha))")
                == #"deleted 1 item (samplesheets:sheet/old in project "Cancer Research / Project Alpha")"#)
        #expect(browser.state.namingProjects("in project \(alpha)") == #"in project "Cancer Research / Project Alpha""#)
        #expect(browser.state.namingProjects("in project \(alpha)0") == "in project \(alpha)0")
        #expect(browser.state.namingProjects("irods/rows/\(alpha) site-wide") == "irods/rows/\(alpha) site-wide")
    }

    @Test func hostileTextIsEscapedAndATinyTerminalShowsWhatFits() throws {
        let browser = Self.browser(try Self.store(hostile: true), width: 40, height: 12)
        browser.press(.char("L"))
        expectScreen(browser.screen, """
             sodarcache 4 projects · 2 categories ·…
             ┌─ Audit log (Enter: go to the item…─┐
             │ Newest first: when, who (role), h… │…
             │ This session: 4 changes            │
             │   01-15 07:59 write    \\u001b[31m… │
            !│   01-15 07:59 sync     1 failed  … │…
             │   01-15 07:59 delete   ok  delete… │
             │   01-15 07:58 write    ok  sample… │
             │ The store's recent entries: 2      │
             │   01-15 06:00 write    ok  sample… │
             └────────────────────────────────────┘
            Enter open  Esc back  s sync  d del
            """)
        // At full width the hostile entry shows further, escaped; the rest of the pane is as
        // `lListsThisSessionsEntriesThenTheStoresNewestFirst` shows it, the frame a row higher.
        let wide = Self.browser(try Self.store(hostile: true))
        wide.press(.char("L"))
        #expect(row(wide.screen, 4).hasPrefix(" ┌─ Audit log (Enter: go to the item, r: again, Esc: close) ─"))
        #expect(row(wide.screen, 6) == #" │ This session: 4 changes                                                                        │"#)
        #expect(
            row(wide.screen, 7)
                == #" │   01-15 07:59  alice        web1       browse    write    \u001b[31mred  x\u001b]0;owned\u000… │"#)
    }

    @Test func anOpenPaneReadsTheTrailAgainWhenTheStoreChanges() {
        var state = BrowserState(options: BrowserOptions(storePath: "/srv/cache.db"), now: Fixture.now, width: 100, height: 20)
        _ = state.update(.storeChanged(token: 1))
        guard case .loadAudit(let first)? = state.update(.key(.char("L"))).first else {
            Issue.record("L did not read the trail")
            return
        }
        // Until the first read is back, nothing is counted.
        #expect(state.auditRows.isEmpty)
        #expect(BrowserView.render(state).text.contains("│ Reading the audit trail…"))
        _ = state.update(.auditLoaded(generation: first.generation, entries: []))
        let reads = { (effects: [BrowserEffect]) in effects.contains { if case .loadAudit = $0 { true } else { false } } }
        #expect(reads(state.update(.storeChanged(token: 2))))
        // An answer to the older read is dropped.
        _ = state.update(.auditFailed(generation: first.generation, message: "late"))
        #expect(state.auditTrail?.failure == nil)
        _ = state.update(.key(.escape))
        #expect(!reads(state.update(.storeChanged(token: 3))))
    }

    @Test func theEntriesThatNameOneItemAreReadBackFromTheirWords() {
        let write = CacheWrite(appName: "samplesheets", name: "sheet/a b: c", data: Data(), project: Fixture.alpha.uuid)
        func entry(_ note: AuditNote) -> AuditEntry {
            AuditEntry(id: 1, at: Fixture.now, osUser: "alice", host: "web1", role: nil, command: "browse", action: note.action, what: note.what, outcome: note.outcome)
        }
        #expect(AuditedItem(entry(.wrote(write))) == AuditedItem(project: Fixture.alpha.uuid, app: "samplesheets", name: "sheet/a b: c"))
        var site = write
        site.project = nil
        #expect(AuditedItem(entry(.wrote(site))) == AuditedItem(project: nil, app: "samplesheets", name: "sheet/a b: c"))
        let one = AuditNote.committed(deleting: [.item(appName: "timeline", name: "t/1", project: Fixture.beta.uuid)], writing: [], deleted: 1)
        #expect(AuditedItem(entry(one.kept(in: 12))) == AuditedItem(project: Fixture.beta.uuid, app: "timeline", name: "t/1"))
        #expect(AuditedItem(entry(one)) == AuditedItem(project: Fixture.beta.uuid, app: "timeline", name: "t/1"))
        // Several items, or none by name: no item.
        let two = AuditNote.committed(
            deleting: [.item(appName: "timeline", name: "t/1", project: nil), .item(appName: "timeline", name: "t/2", project: nil)],
            writing: [], deleted: 2)
        #expect(AuditedItem(entry(two)) == nil)
        #expect(AuditedItem(entry(.committed(deleting: [], writing: [write, site], deleted: 0))) == nil)
        #expect(AuditedItem(entry(.deleted(1, "by UUID"))) == nil)
        #expect(AuditedItem(entry(AuditNote(action: "sync", what: "samplesheets:x site-wide"))) == nil)
    }

    @Test func theSessionIsThisProcessesUserHostAndCommandSinceItBegan() {
        func entry(_ id: Int64, _ user: String, _ command: String, _ age: TimeInterval) -> AuditEntry {
            AuditEntry(id: id, at: Fixture.now.addingTimeInterval(-age), osUser: user, host: "web1", role: nil, command: command, action: "write", what: "", outcome: "ok")
        }
        let entries = [entry(4, "alice", "browse", 10), entry(3, "bob", "browse", 20), entry(2, "alice", "synccache", 30), entry(1, "alice", "browse", 900)]
        let split = AuditTrail.split(entries, by: Self.alice, since: Self.sessionStart)
        #expect(split.session.map(\.id) == [4])
        #expect(split.recent.map(\.id) == [3, 2, 1])
        #expect(AuditTrail.split(entries, by: nil, since: Self.sessionStart).recent.count == 4)
    }
}
