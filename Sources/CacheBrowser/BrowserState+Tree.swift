import Foundation
import SodarCache
import StoreKernel

// The project tree: folds (Space/Enter on a category, z, Z) and sibling order (o). Both last
// for the session, through reloads and live refresh, and go to the store with every page
// request, which stays keyset-paged: the browser never holds the whole tree.
extension BrowserState {
    /// What the project pages are asked for.
    public var projectQuery: ProjectQuery {
        ProjectQuery(filter: projects.filter, folded: projectFolds, foldAll: foldAllProjects, order: projectOrder)
    }

    /// Whether a row is a category with projects beneath it (it can fold).
    public static func canFold(_ summary: ProjectSummary) -> Bool {
        summary.project.type == .category && summary.childCount > 0
    }

    /// Whether a foldable row is folded now.
    public func isFolded(_ summary: ProjectSummary) -> Bool {
        Self.canFold(summary) && projectQuery.isFolded(summary.project.uuid)
    }

    /// Space or Enter on a category: folds or unfolds it.
    mutating func toggleProjectFold() -> [BrowserEffect] {
        guard case .project(let summary)? = selectedProject, Self.canFold(summary) else {
            message = StatusMessage("Only a category with projects beneath it folds")
            return []
        }
        if projects.filter != nil {
            message = StatusMessage("Folds are ignored while the list is filtered (/ then Enter on an empty filter clears it)")
            return []
        }
        let uuid = summary.project.uuid
        let folding = !isFolded(summary)
        // With everything folded (z), `projectFolds` lists the open ones.
        if folding != foldAllProjects { projectFolds.insert(uuid) } else { projectFolds.remove(uuid) }
        let title = summary.project.title
        message = StatusMessage(folding ? "Folded \(title) (\(BrowserFormat.counted(summary.childCount, "project")) beneath)" : "Unfolded \(title)")
        return reshapeProjects(anchor: summary)
    }

    /// `z` (fold every category) and `Z` (unfold every one).
    mutating func foldAllProjects(_ fold: Bool) -> [BrowserEffect] {
        foldAllProjects = fold
        projectFolds = []
        message = StatusMessage(fold ? "Folded every category (Z unfolds them)" : "Unfolded every category")
        return reshapeProjects(anchor: visibleAnchor())
    }

    /// `o` in the project pane: siblings by name, size, then latest update.
    mutating func cycleProjectOrder() -> [BrowserEffect] {
        let all = ProjectOrder.allCases
        projectOrder = all[((all.firstIndex(of: projectOrder) ?? 0) + 1) % all.count]
        let described: [ProjectOrder: String] = [.name: "name", .size: "size, largest first", .updated: "latest update, newest first"]
        message = StatusMessage("Projects: siblings ordered by \(described[projectOrder] ?? projectOrder.rawValue)")
        return reshapeProjects(anchor: visibleAnchor())
    }

    /// The selected project, or, when a fold now hides it, its outermost folded ancestor among
    /// the loaded rows (nil: the site row, or nothing selected).
    func visibleAnchor() -> ProjectSummary? {
        guard case .project(let selected)? = selectedProject else { return nil }
        // A filtered list shows every match, folds or not.
        if projects.filter != nil { return selected }
        let query = projectQuery
        // Ancestors are the rows above with smaller depths, nearest first.
        var anchor = selected
        var depth = selected.depth
        var parent = selected.project.parent
        var index = projects.rows.firstIndex { $0.project.uuid == selected.project.uuid } ?? 0
        while index > 0, depth > 0, let wanted = parent {
            index -= 1
            let row = projects.rows[index]
            guard row.project.uuid == wanted else { continue }
            if query.isFolded(row.project.uuid) && Self.canFold(row) { anchor = row }
            depth = row.depth
            parent = row.project.parent
        }
        return anchor
    }

    /// Reads the project list again around `anchor` (nil: from the top), keeping the selection
    /// (or the anchor, when the old selection is now hidden) on the same screen row.
    mutating func reshapeProjects(anchor: ProjectSummary?) -> [BrowserEffect] {
        let owner: Reselection.Owner? = anchor.map { .project($0.project.uuid) } ?? (selectedProject == .site ? .site : nil)
        let sameProject = anchor?.project.uuid == selectedProject?.uuid
        reselect = Reselection(
            project: owner, app: sameProject && pane != .projects ? selectedApp?.appName : nil,
            item: sameProject && (pane == .items || pane == .payload) ? selectedItem?.uuid : nil)
        let row = projects.cursor - projects.top
        let generation = nextGeneration()
        projects.restart(generation: generation, keepRows: true)
        guard let anchor else {
            // Read from the top: no row to keep (a kept one would outlive this read and place
            // the next refresh's selection).
            projectAnchorRow = nil
            return [projectPage(.after(nil), generation: generation)]
        }
        projectAnchorRow = row
        return [projectPage(.around(anchor), generation: generation)]
    }
}
