import Foundation
import JSONKit
import SodarCache
import StoreKernel

// Asking for pages: selection changes, reloads, prefetching.
extension BrowserState {
    // MARK: - Loading

    /// The project cursor moved: show that project's apps.
    mutating func projectSelectionChanged() -> [BrowserEffect] {
        let selection = selectedProject
        // A refresh on the same project keeps its lists on screen until the new pages arrive.
        let refreshing = reselect != nil && selection?.uuid == appsOwner?.uuid && appsOwner != nil
        appsOwner = selection
        if !refreshing {
            dropMarks()
            itemsApp = nil
            items = PagedList()
            items.filter = nil
            apps.filter = nil
        }
        guard let selection else {
            apps = PagedList()
            return []
        }
        let generation = nextGeneration()
        apps.restart(generation: generation, keepRows: refreshing)
        return [appPage(.after(nil), project: selection.uuid, generation: generation)]
    }

    /// The app cursor moved: show that app's items.
    mutating func appSelectionChanged() -> [BrowserEffect] {
        let refreshing = reselect != nil && itemsApp != nil && itemsApp == selectedApp?.appName
        if itemsApp != selectedApp?.appName { dropMarks() }
        itemsApp = selectedApp?.appName
        guard itemsApp != nil else {
            let filter = items.filter
            items = PagedList()
            items.filter = filter
            return []
        }
        return reloadItems(keepRows: refreshing)
    }

    mutating func reloadProjects(keepRows: Bool = false) -> [BrowserEffect] {
        let generation = nextGeneration()
        // A refresh far down the list (after `G`, or many pages in) reloads around the selected
        // project: from the first page it would lose its place.
        if keepRows, projects.loaded, projects.hasPrevious || projects.cursor >= pageSize / 2,
            case .project(let anchor)? = selectedProject
        {
            projects.restart(generation: generation, keepRows: true)
            return [projectPage(.around(anchor), generation: generation)]
        }
        projects.restart(generation: generation, keepRows: keepRows)
        return [projectPage(.after(nil), generation: generation)]
    }

    /// The app filter changed: the selected project's apps again, through the filter.
    mutating func reloadApps() -> [BrowserEffect] {
        guard let owner = appsOwner else { return [] }
        let generation = nextGeneration()
        apps.restart(generation: generation)
        return [appPage(.after(nil), project: owner.uuid, generation: generation)]
    }

    mutating func reloadItems(keepRows: Bool = false) -> [BrowserEffect] {
        guard let owner = appsOwner, let app = itemsApp else { return [] }
        let generation = nextGeneration()
        if let anchor = reselect?.itemAnchor, anchor.appName == app, anchor.project == owner.uuid {
            items.restart(generation: generation)
            return [itemPage(.around(anchor), project: owner.uuid, app: app, generation: generation)]
        }
        if keepRows, items.loaded, items.hasPrevious || items.cursor >= pageSize / 2, let anchor = selectedItem {
            items.restart(generation: generation, keepRows: true)
            return [itemPage(.around(anchor), project: owner.uuid, app: app, generation: generation)]
        }
        items.restart(generation: generation, keepRows: keepRows)
        return [itemPage(.after(nil), project: owner.uuid, app: app, generation: generation)]
    }

    /// `r`: everything from the store again, keeping the pane.
    mutating func reload() -> [BrowserEffect] {
        message = StatusMessage("Reloaded")
        reselect = Reselection(
            project: selectedProject.map { $0.uuid.map(Reselection.Owner.project) ?? .site },
            app: pane == .projects ? nil : selectedApp?.appName,
            item: pane == .items || pane == .payload ? selectedItem?.uuid : nil)
        var effects: [BrowserEffect] = [.reopenIfReplaced, .loadTotals]
        effects += reloadProjects(keepRows: true)
        if let uuid = payload?.summary.uuid, let summary = payload?.summary {
            let generation = nextGeneration()
            var fresh = PayloadState(summary: summary, generation: generation)
            if let old = payload {
                fresh.cursor = old.cursor
                fresh.top = old.top
                fresh.foldAll = old.foldAll
                fresh.foldExceptions = old.foldExceptions
                fresh.lastSearch = old.lastSearch
            }
            payload = fresh
            effects.append(.loadPayload(generation: generation, uuid: uuid))
        }
        return effects
    }

    /// The row a reload wanted back is gone: focus falls back to the pane that still has it.
    mutating func dropReselection(below level: BrowserPane) {
        switch level {
        case .projects:
            if pane != .payload { pane = .projects }
            reselect = nil
        case .apps:
            if pane == .items { pane = .apps }
            reselect = nil
        default:
            reselect = nil
        }
    }

    /// Requests the next page of any list whose cursor nears the end of what is loaded.
    mutating func prefetch() -> [BrowserEffect] {
        var effects: [BrowserEffect] = []
        let lay = layout
        if projects.loaded, projects.hasMore, !projects.loading,
            projects.cursor + lay.visibleRows(.projects) >= projectEntryCount
        {
            projects.loading = true
            effects.append(projectPage(.after(projects.rows.last), generation: projects.generation))
        }
        if apps.loaded, apps.hasMore, !apps.loading, apps.cursor + lay.visibleRows(.apps) >= apps.rows.count {
            apps.loading = true
            effects.append(appPage(.after(apps.rows.last), project: appsOwner?.uuid, generation: apps.generation))
        }
        if items.loaded, items.hasMore, !items.loading, let app = itemsApp,
            items.cursor + lay.visibleRows(.items) >= items.rows.count
        {
            items.loading = true
            effects.append(itemPage(.after(items.rows.last), project: appsOwner?.uuid, app: app, generation: items.generation))
        }
        // After a jump to the end: the page before the loaded ones as the cursor nears the top.
        if projects.loaded, projects.hasPrevious, !projects.loading, projects.cursor < lay.visibleRows(.projects) {
            projects.loading = true
            effects.append(projectPage(.before(projects.rows.first), generation: projects.generation))
        }
        if apps.loaded, apps.hasPrevious, !apps.loading, apps.cursor < lay.visibleRows(.apps) {
            apps.loading = true
            effects.append(appPage(.before(apps.rows.first), project: appsOwner?.uuid, generation: apps.generation))
        }
        if items.loaded, items.hasPrevious, !items.loading, let app = itemsApp, items.cursor < lay.visibleRows(.items) {
            items.loading = true
            effects.append(itemPage(.before(items.rows.first), project: appsOwner?.uuid, app: app, generation: items.generation))
        }
        return effects
    }

    mutating func rescrollAll() {
        let lay = layout
        projects.scroll(count: projectEntryCount, visible: lay.visibleRows(.projects))
        apps.scroll(count: apps.rows.count, visible: lay.visibleRows(.apps))
        items.scroll(count: items.rows.count, visible: lay.visibleRows(.items))
        let viewport = payloadViewport
        payload?.scrollToCursor(viewport)
    }
}

// MARK: - Page requests

extension BrowserState {
    /// A page of the project list (through the folds, the order and the filter) from `start`:
    /// `limit` rows, `pageSize` unless given.
    func projectPage(_ start: PageStart<ProjectSummary>, generation: Int, limit: Int? = nil) -> BrowserEffect {
        .loadPage(generation: generation, request: .projects(projectQuery, start), limit: limit ?? pageSize)
    }

    /// Rows of the launch's first project page: two screens of the pane, at most `pageSize`.
    /// The first frame waits for that page, and on a large store each row costs (on SODAR's
    /// tables, counting its items fresh); the next page is asked for as the cursor passes the
    /// first screen, as any next page is.
    var firstProjectPageSize: Int { min(pageSize, max(2 * layout.visibleRows(.projects), 20)) }

    /// A page of `project`'s apps (through the app filter) from `start`.
    func appPage(_ start: PageStart<AppSummary>, project: UUID?, generation: Int) -> BrowserEffect {
        .loadPage(generation: generation, request: .apps(project: project, filter: apps.filter, start), limit: pageSize)
    }

    /// A page of `app`'s items in `project` (in the item order, through the item filter) from `start`.
    func itemPage(_ start: PageStart<ItemSummary>, project: UUID?, app: String, generation: Int) -> BrowserEffect {
        .loadPage(
            generation: generation,
            request: .items(project: project, app: app, sort: itemSort, filter: items.filter, start), limit: pageSize)
    }
}
