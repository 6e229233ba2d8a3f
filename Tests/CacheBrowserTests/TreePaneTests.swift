import CacheBrowser
import CacheBrowserRuntime
import Foundation
import SodarCache
import Testing

/// The project tree for daily work: subtree totals with size bars, folding, sibling order.
@Suite struct TreePaneTests {
    static func titles(_ browser: ScriptedBrowser) -> [String] {
        browser.state.projects.rows.map(\.project.title)
    }

    @Test func categoriesShowTheirSubtreesTotalsWithSizeBars() {
        // Bars where the names keep their room: from 112 columns.
        let browser = Fixture.browser(width: 120, height: 16)
        let screen = browser.screen
        // Cancer Research: Alpha's 4 items and Beta's 1 (461 + 132 bytes), the latest 3m ago.
        #expect(row(screen, 3).hasPrefix(" ▾ Cancer Research/                 5  593B █████▍   3m │"))
        // Its projects: bars against the category's bytes.
        #expect(row(screen, 4).hasPrefix("     Project Alpha                  4  461B ████▋    3m │"))
        #expect(row(screen, 5).hasPrefix("!    Project Beta                   1  132B █▍      40d │"))
        // An empty project has no size and no bar.
        #expect(row(screen, 8).hasPrefix("   Zeta Lab                         0                   │"))
        // The bar is drawn in the accent colour.
        #expect(screen[3, 44].style.role == .accent)
        // On the selected row the title is reversed but not the bar, whose empty cells would
        // then read as its filled part.
        browser.press(.down)
        #expect(browser.screen[3, 3].style.reverse)
        let bar = (0..<56).filter { browser.screen[3, $0].style.role == .accent }
        #expect(bar.count == 6)
        #expect(bar.allSatisfy { !browser.screen[3, $0].style.reverse })
        browser.press(.up)
        // The apps pane: sizes and bars against the project's own bytes.
        browser.press(.down, .down)
        #expect(row(browser.screen, 2).hasSuffix("│ samplesheets                          2  159B ██▏      3m ago"))
        #expect(row(browser.screen, 3).hasSuffix("│ samplesheets.assayapps.cytof          2  302B ███▉     2d ago"))
    }

    @Test func bytesNotCountedYetShowAsAnEllipsisNotZero() throws {
        let source = Fixture.source()
        // A large SODAR table seconds after launch: items and ages counted, bytes not yet.
        source.makeBytesUnknown()
        let browser = Fixture.browser(source: source, width: 100, height: 16)
        #expect(row(browser.screen, 3).hasPrefix(" ▾ Cancer Research/                  …     …    … │"))
        #expect(row(browser.screen, 4).hasPrefix("     Project Alpha                   4     …   3m │"))
        // An empty project shows nothing to count, as before.
        #expect(row(browser.screen, 8).hasPrefix("   Zeta Lab                          0            │"))
    }

    @Test func spaceAndEnterFoldACategoryAndFoldsSurviveAReload() {
        let browser = Fixture.browser(width: 100, height: 16)
        browser.press(.down, .char(" "))
        #expect(Self.titles(browser) == ["Cancer Research", "Germline", "東京 Family Study", "Zeta Lab"])
        #expect(row(browser.screen, 3).hasPrefix(" ▸ Cancer Research/"))
        #expect(row(browser.screen, 14) == "Folded Cancer Research (2 projects beneath)")
        // The selection stays on the category, and its totals stay the subtree's.
        #expect(browser.state.selectedProject?.uuid == Fixture.cancer.uuid)
        #expect(row(browser.screen, 3).contains("5  593B"))
        browser.press(.char("r"))
        #expect(Self.titles(browser) == ["Cancer Research", "Germline", "東京 Family Study", "Zeta Lab"])
        // Live refresh keeps the folds as well.
        browser.storeChanged(token: 42)
        #expect(Self.titles(browser) == ["Cancer Research", "Germline", "東京 Family Study", "Zeta Lab"])
        // Enter on a category unfolds it again; l still opens its apps.
        browser.press(.enter)
        #expect(Self.titles(browser).count == 6)
        #expect(row(browser.screen, 3).hasPrefix(" ▾ Cancer Research/"))
        browser.press(.down, .down, .down, .enter)
        #expect(Self.titles(browser) == ["Cancer Research", "Project Alpha", "Project Beta", "Germline", "Zeta Lab"])
        #expect(browser.state.pane == .projects)
        // A project does not fold: Space says so.
        browser.press(.down, .char(" "))
        #expect(row(browser.screen, 14) == "Only a category with projects beneath it folds")
    }

    @Test func zFoldsEveryCategoryAndZUnfoldsThem() {
        let browser = Fixture.browser(width: 100, height: 16)
        browser.press(.down, .down)
        #expect(browser.state.selectedProject?.uuid == Fixture.alpha.uuid)
        browser.press(.char("z"))
        #expect(Self.titles(browser) == ["Cancer Research", "Germline", "Zeta Lab"])
        // The hidden selection moved to its folded category.
        #expect(browser.state.selectedProject?.uuid == Fixture.cancer.uuid)
        // One category opened while the rest stay folded.
        browser.press(.char(" "))
        #expect(Self.titles(browser) == ["Cancer Research", "Project Alpha", "Project Beta", "Germline", "Zeta Lab"])
        browser.press(.char("Z"))
        #expect(Self.titles(browser).count == 6)
        #expect(row(browser.screen, 14) == "Unfolded every category")
    }

    @Test func oOrdersSiblingsBySizeThenLatestUpdateKeepingTheTree() {
        let browser = Fixture.browser(width: 100, height: 16)
        browser.press(.char("o"))
        #expect(browser.state.projectOrder == .size)
        // Largest first at each level; children stay under their parent.
        #expect(Self.titles(browser) == ["Cancer Research", "Project Alpha", "Project Beta", "Germline", "東京 Family Study", "Zeta Lab"])
        #expect(row(browser.screen, 1).hasPrefix(" Projects ↓size"))
        browser.press(.char("o"))
        #expect(browser.state.projectOrder == .updated)
        #expect(Self.titles(browser) == ["Germline", "東京 Family Study", "Cancer Research", "Project Alpha", "Project Beta", "Zeta Lab"])
        #expect(row(browser.screen, 14) == "Projects: siblings ordered by latest update, newest first")
        browser.press(.char("o"))
        #expect(browser.state.projectOrder == .name)
        // In the items pane, o still orders the items.
        browser.press(.down, .down, .enter, .enter, .char("o"))
        #expect(browser.state.itemSort == .updated)
        #expect(browser.state.projectOrder == .name)
    }

    @Test func aFilterIgnoresFoldsAndSaysSo() {
        let browser = Fixture.browser(width: 100, height: 16)
        browser.press(.down, .char(" "))
        browser.press(.char("/"))
        browser.type("alpha")
        browser.press(.enter)
        #expect(Self.titles(browser) == ["Project Alpha"])
        browser.press(.char("/"), .ctrl("u"), .enter)
        #expect(Self.titles(browser) == ["Cancer Research", "Germline", "東京 Family Study", "Zeta Lab"])
    }

    @Test func foldsPageThroughALargeTreeWithoutLoadingIt() {
        var projects: [Project] = []
        for c in 0..<3 {
            let category = Project(uuid: Fixture.uuid(1000 + c), title: "Cat \(c)", type: .category)
            projects.append(category)
            for p in 0..<300 {
                projects.append(Project(uuid: Fixture.uuid(2000 + c * 1000 + p), title: String(format: "P%03d", p), parent: category.uuid))
            }
        }
        let source = FakeSource(projects: projects, items: [])
        let browser = Fixture.browser(source: source, width: 100, height: 24)
        // The launch reads two screens (20 rows each); the fold's reload a page of 200.
        #expect(browser.state.projects.rows.count == 40)
        browser.press(.char(" "))
        // Cat 0 folded: the first page now reaches into Cat 1.
        #expect(browser.state.projects.rows.prefix(3).map(\.project.title) == ["Cat 0", "Cat 1", "P000"])
        #expect(source.largestLimit == 201)
        // Deep in Cat 1, far below its loaded top: z puts the cursor on Cat 1.
        for _ in 0..<6 { browser.press(.pageDown) }
        #expect(browser.state.selectedProject.flatMap { entry -> UUID? in
            if case .project(let summary) = entry { return summary.project.parent }
            return nil
        } == Fixture.uuid(1001))
        browser.press(.char("z"))
        #expect(Self.titles(browser) == ["Cat 0", "Cat 1", "Cat 2"])
        #expect(browser.state.selectedProject?.uuid == Fixture.uuid(1001))
        browser.press(.char("G"))
        #expect(browser.state.selectedProject?.uuid == Fixture.uuid(1002))
    }

    @Test func zInTheItemsPaneSaysWhereItWorks() {
        let browser = Fixture.browser(width: 100, height: 16)
        browser.press(.down, .down, .enter, .enter, .enter)
        #expect(browser.state.pane == .payload)
        browser.press(.escape, .char("z"))
        #expect(browser.state.pane == .items)
        #expect(row(browser.screen, 14) == "z and Z fold and unfold the project list's categories, or an open payload")
        #expect(browser.state.payload?.foldAll != true)
    }
}
