import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import Testing

/// Names you can read (issue 18, point 14): the tree gives a project's name its room before
/// bars and deep indents, and the apps pane's title cuts the parents before the name.
@Suite struct NameRoomTests {
    static let cancer = Project(uuid: Fixture.uuid(1), title: "Cancer Research", type: .category)
    static let solid = Project(uuid: Fixture.uuid(2), title: "Solid Tumours", type: .category, parent: Fixture.uuid(1))
    /// 22 columns, two levels down.
    static let oncology = Project(uuid: Fixture.uuid(3), title: "Translational Oncology", parent: Fixture.uuid(2))
    /// 24 columns, two levels down.
    static let sarcoma = Project(uuid: Fixture.uuid(4), title: "Pediatric Sarcoma Cohort", parent: Fixture.uuid(2))
    static let lab = Project(uuid: Fixture.uuid(5), title: "Zeta Lab")

    static func source() -> FakeSource {
        let items = [
            Fixture.item(1, oncology, "samplesheets", "sheet/tables/study/aaaa", age: 180).0,
            Fixture.item(2, oncology, "samplesheets.assayapps.cytof", "irods/rows/bbbb", age: 7200).0,
            Fixture.item(3, sarcoma, "samplesheets", "sheet/tables/study/cccc", age: 86400 * 3).0,
        ]
        return FakeSource(projects: [cancer, solid, oncology, sarcoma, lab], items: items)
    }

    /// Cancer Research / Solid Tumours / Lung / Adenocarcinoma / Trials / Phase II /
    /// Translational Oncology (depth 6), and Pediatric Sarcoma Cohort under Lung (depth 3).
    static func deepSource() -> FakeSource {
        let titles = ["Lung", "Adenocarcinoma", "Trials", "Phase II"]
        var parent = solid.uuid
        var levels: [Project] = []
        for (n, title) in titles.enumerated() {
            levels.append(Project(uuid: Fixture.uuid(10 + n), title: title, type: .category, parent: parent))
            parent = Fixture.uuid(10 + n)
        }
        let deep = Project(uuid: Fixture.uuid(20), title: "Translational Oncology", parent: parent)
        let sarcoma = Project(uuid: Fixture.uuid(21), title: "Pediatric Sarcoma Cohort", parent: Fixture.uuid(10))
        let items = [
            Fixture.item(1, deep, "samplesheets", "sheet/tables/study/aaaa", age: 180).0,
            Fixture.item(2, sarcoma, "samplesheets", "sheet/tables/study/cccc", age: 86400 * 3).0,
        ]
        return FakeSource(projects: [cancer, solid] + levels + [deep, sarcoma], items: items)
    }

    @Test func aTwentyFourColumnNameTwoLevelsDownShowsWholeAt100Columns() {
        let browser = Fixture.browser(source: Self.source(), width: 100, height: 30)
        browser.press(.down, .down, .down, .enter)
        #expect(browser.state.pane == .apps)
        // Half the screen for the tree: 31 columns for indent, fold mark and name, beside
        // count, size and age. The size bars give way (they come back at 112 columns). The apps
        // title: the project's own name, then as much of its parents as fits.
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                                3 projects · 2 categories · 3 items · 21 B
             Projects                                     4/5 │ Apps · Translational Oncology · Cancer Res… 1/2
             ▾ Cancer Research/                  3   21B   3m │ samplesheets                   1    7B   3m ago
               ▾ Solid Tumours/                  3   21B   3m │ samplesheets.as…apps.cytof     1    7B   2h ago
                   Pediatric Sarcoma Cohort      1    7B   3d │
                   Translational Oncology        2   14B   3m │
               Zeta Lab                          0            │
                                                              │
                                                              │
                                                              │
                                                              │ Items                                       1/1
                                                              │ sheet/tables/study/aaaa        3m ago       7 B
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane  / filter  o sort
            """)
        // A filter goes before the name, and the parents give way to it: a scrap of them would
        // say nothing.
        browser.press(.char("/"))
        browser.type("cytof")
        browser.press(.enter)
        #expect(row(browser.screen, 1).hasSuffix("│ Apps /cytof · Translational Oncology        1/1"))
        // With the room, the whole path; from 112 columns the size bars are back.
        let wide = Fixture.browser(source: Self.source(), width: 130, height: 30)
        wide.press(.down, .down, .down, .enter)
        #expect(row(wide.screen, 1).hasSuffix("│ Apps · Translational Oncology · Cancer Research / Solid Tumours   1/2"))
        #expect(row(wide.screen, 5).hasPrefix("       Translational Oncology         2   14B ████     3m │"))
        // A project at the top has no parents to show.
        browser.press(.escape, .escape, .char("G"), .enter)
        #expect(row(browser.screen, 1).hasSuffix("│ Apps · Zeta Lab                             0/0"))
    }

    @Test func aDeepTreeStepsItsIndentByAColumnBeforeANameIsCut() {
        let browser = Fixture.browser(source: Self.deepSource(), width: 100, height: 30)
        browser.press(.char("G"), .up, .enter)
        // Two columns a level for the first two levels, one past them: a 24-column name three
        // levels down still shows whole; six levels down, the name gives its last column.
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db                                2 projects · 6 categories · 2 items · 14 B
             Projects                                     7/8 │ Apps · Translational Oncology · Cancer Res… 1/1
             ▾ Cancer Research/                  2   14B   3m │ samplesheets                   1    7B   3m ago
               ▾ Solid Tumours/                  2   14B   3m │
                 ▾ Lung/                         2   14B   3m │
                  ▾ Adenocarcinoma/              1    7B   3m │
                   ▾ Trials/                     1    7B   3m │
                    ▾ Phase II/                  1    7B   3m │
                       Translational Oncolo…     1    7B   3m │
                    Pediatric Sarcoma Cohort     1    7B   3d │
                                                              │ Items                                       1/1
                                                              │ sheet/tables/study/aaaa        3m ago       7 B
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │
                                                              │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane  / filter  o sort
            """)
    }

    @Test func aNarrowTerminalDropsColumnsAndParentsBeforeItCutsNames() {
        // 80 columns: no bars, a column a level; the names are cut, the apps title keeps the
        // project's own name whole and leaves out parents it has no room for.
        let browser = Fixture.browser(source: Self.deepSource(), width: 80, height: 24)
        browser.press(.char("G"), .up, .enter)
        expectScreen(browser.screen, """
             sodarcache /srv/cache.db            2 projects · 6 categories · 2 items · 14 B
             Projects                           7/8 │ Apps · Translational Oncology     1/1
             ▾ Cancer Research/        2   14B   3m │ samplesheets               1   3m ago
               ▾ Solid Tumours/        2   14B   3m │
                ▾ Lung/                2   14B   3m │
                 ▾ Adenocarcinoma/     1    7B   3m │
                  ▾ Trials/            1    7B   3m │
                   ▾ Phase II/         1    7B   3m │
                      Translation…     1    7B   3m │ Items                             1/1
                   Pediatric Sarc…     1    7B   3d │ sheet/tabl…dy/aaaa   3m ago       7 B
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │
                                                    │

            Enter open  Esc back  s sync  d del  Space mark  ? help  q quit  Tab pane
            """)
        // 60 columns: the size column goes too, and at last the name in the title is cut.
        let narrow = Fixture.browser(source: Self.deepSource(), width: 60, height: 16)
        narrow.press(.char("G"), .up, .enter)
        expectScreen(narrow.screen, """
             sodarcache 2 projects · 6 categories · 2 items · 14 B
             Projects                 7/8 │ Apps · Translational O… 1/1
             ▾ Cancer Researc…     2   3m │ samplesheets     1   3m ago
               ▾ Solid Tumour…     2   3m │
                ▾ Lung/            2   3m │
                 ▾ Adenocarci…     1   3m │ Items                   1/1
                  ▾ Trials/        1   3m │ shee…aaa   3m ago       7 B
                   ▾ Phase II/     1   3m │
                      Transla…     1   3m │
                   Pediatric …     1   3d │
                                          │
                                          │
                                          │
                                          │

            Enter open  Esc back  s sync  d del  Space mark  ? help
            """)
    }
}
