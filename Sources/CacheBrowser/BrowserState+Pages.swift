import Foundation
import JSONKit
import SodarCache
import StoreKernel

// Pages arriving from the store: the lists fill, cursors find their rows again.
extension BrowserState {
    // MARK: - Pages

    mutating func totalsLoaded(_ newTotals: StoreTotals) -> [BrowserEffect] {
        let hadSite = showsSiteRow
        totals = newTotals
        if showsSiteRow != hadSite, projects.loaded {
            projects.cursor += showsSiteRow ? 1 : -1
            projects.scroll(count: projectEntryCount, visible: layout.visibleRows(.projects))
        }
        // At launch the site row comes first when there are site-wide items, selected: its apps
        // (and then their first app's items) are read now, beside the first page of projects.
        if !projects.loaded, appsOwner == nil, projects.cursor == 0, selectedProject == .site {
            appsAhead = true
            return projectSelectionChanged()
        }
        return []
    }

    /// A page of any list: to the list it belongs to, as what it was read from says.
    mutating func pageLoaded(generation: Int, page: ListPage) -> [BrowserEffect] {
        switch page {
        case .projects(let page):
            switch page.start {
            case .after: return projectsLoaded(generation: generation, rows: page.rows, hasMore: page.hasMore)
            case .before: return projectsLoadedBefore(generation: generation, rows: page.rows, hasPrevious: page.hasPrevious)
            case .around(let anchor):
                return projectsLoadedAround(
                    generation: generation, rows: page.rows, hasPrevious: page.hasPrevious, hasMore: page.hasMore,
                    anchor: anchor.project.uuid)
            }
        case .apps(let page):
            switch page.start {
            case .after: return appsLoaded(generation: generation, rows: page.rows, hasMore: page.hasMore)
            case .before: return appsLoadedBefore(generation: generation, rows: page.rows, hasPrevious: page.hasPrevious)
            case .around(let anchor):
                return appsLoadedAround(
                    generation: generation, rows: page.rows, hasPrevious: page.hasPrevious, hasMore: page.hasMore,
                    anchor: anchor.appName)
            }
        case .items(let page):
            switch page.start {
            case .after: return itemsLoaded(generation: generation, rows: page.rows, hasMore: page.hasMore)
            case .before: return itemsLoadedBefore(generation: generation, rows: page.rows, hasPrevious: page.hasPrevious)
            case .around(let anchor):
                return itemsLoadedAround(
                    generation: generation, rows: page.rows, hasPrevious: page.hasPrevious, hasMore: page.hasMore,
                    anchor: anchor.uuid)
            }
        }
    }

    mutating func projectsLoaded(generation: Int, rows: [ProjectSummary], hasMore: Bool) -> [BrowserEffect] {
        guard generation == projects.generation else { return [] }
        let first = projects.receive(rows, hasMore: hasMore)
        if first, let wanted = reselect?.project {
            let index = (0..<projectEntryCount).first { i in
                switch (projectEntry(i), wanted) {
                case (.site?, .site): return true
                case (.project(let summary)?, .project(let uuid)): return summary.project.uuid == uuid
                default: return false
                }
            }
            if let index { projects.cursor = index } else { dropReselection(below: .projects) }
        }
        if first, projectEntryCount == 0 { reselect = nil }
        projects.scroll(count: projectEntryCount, visible: layout.visibleRows(.projects))
        // The site row's apps were asked for with the totals: the apps pane already has them.
        let kept = first && appsAhead && appsOwner != nil && selectedProject == appsOwner
        if first { appsAhead = false }
        var effects = first && !kept ? projectSelectionChanged() : []
        effects += prefetch()
        return effects
    }

    mutating func appsLoaded(generation: Int, rows: [AppSummary], hasMore: Bool) -> [BrowserEffect] {
        guard generation == apps.generation else { return [] }
        let first = apps.receive(rows, hasMore: hasMore)
        if first, let wanted = reselect?.app {
            if let index = apps.rows.firstIndex(where: { $0.appName == wanted }) {
                apps.cursor = index
            } else {
                dropReselection(below: .apps)
            }
        }
        if first, apps.rows.isEmpty { reselect = nil }
        apps.scroll(count: apps.rows.count, visible: layout.visibleRows(.apps))
        var effects = first ? appSelectionChanged() : []
        effects += prefetch()
        return effects
    }

    mutating func itemsLoaded(generation: Int, rows: [ItemSummary], hasMore: Bool) -> [BrowserEffect] {
        guard generation == items.generation else { return [] }
        let firstItems = items.receive(rows, hasMore: hasMore)
        if firstItems {
            // A deleted item's place goes to its neighbour: the cursor stays where it was.
            if let wanted = reselect?.item, let index = items.rows.firstIndex(where: { $0.uuid == wanted }) {
                items.cursor = index
            }
            reselect = nil
        }
        items.scroll(count: items.rows.count, visible: layout.visibleRows(.items))
        return prefetch()
    }

    mutating func projectsLoadedBefore(generation: Int, rows: [ProjectSummary], hasPrevious more: Bool) -> [BrowserEffect] {
        guard generation == projects.generation else { return [] }
        let hadSite = showsSiteRow
        var total: Int?
        if projects.filter == nil, let totals {
            total = totals.projects + totals.categories + (totals.siteItems > 0 ? 1 : 0)
        }
        let first = projects.receivePrevious(rows, hasPrevious: more, total: total)
        if first {
            projects.cursor = max(0, projectEntryCount - 1)
        } else if showsSiteRow && !hadSite {
            projects.cursor += 1
            projects.top += 1
        }
        projects.scroll(count: projectEntryCount, visible: layout.visibleRows(.projects))
        return (first ? projectSelectionChanged() : []) + prefetch()
    }

    mutating func appsLoadedBefore(generation: Int, rows: [AppSummary], hasPrevious more: Bool) -> [BrowserEffect] {
        guard generation == apps.generation else { return [] }
        let first = apps.receivePrevious(rows, hasPrevious: more)
        apps.scroll(count: apps.rows.count, visible: layout.visibleRows(.apps))
        return (first ? appSelectionChanged() : []) + prefetch()
    }

    mutating func itemsLoadedBefore(generation: Int, rows: [ItemSummary], hasPrevious more: Bool) -> [BrowserEffect] {
        guard generation == items.generation else { return [] }
        var total: Int?
        if items.filter == nil, let app = itemsApp, selectedApp?.appName == app { total = selectedApp?.itemCount }
        _ = items.receivePrevious(rows, hasPrevious: more, total: total)
        items.scroll(count: items.rows.count, visible: layout.visibleRows(.items))
        return prefetch()
    }

    mutating func projectsLoadedAround(
        generation: Int, rows: [ProjectSummary], hasPrevious before: Bool, hasMore after: Bool, anchor: UUID
    ) -> [BrowserEffect] {
        guard generation == projects.generation else { return [] }
        let found = rows.firstIndex { $0.project.uuid == anchor }
        projects.receiveWindow(rows, hasPrevious: before, hasMore: after, cursorAt: found ?? 0)
        if showsSiteRow { projects.cursor += 1 }
        let visible = layout.visibleRows(.projects)
        // A fold or a new order keeps the selection where it was on screen; a refresh far
        // down centres it.
        if let row = projectAnchorRow, found != nil {
            projects.top = max(0, projects.cursor - row)
        } else {
            projects.top = max(0, projects.cursor - visible / 2)
        }
        projectAnchorRow = nil
        projects.scroll(count: projectEntryCount, visible: visible)
        if found == nil { dropReselection(below: .projects) }
        return projectSelectionChanged() + prefetch()
    }

    /// Apps around an anchor app (nothing asks for these yet: the apps pane reloads from its start).
    mutating func appsLoadedAround(
        generation: Int, rows: [AppSummary], hasPrevious before: Bool, hasMore after: Bool, anchor: String
    ) -> [BrowserEffect] {
        guard generation == apps.generation else { return [] }
        let index = rows.firstIndex { $0.appName == anchor } ?? 0
        apps.receiveWindow(rows, hasPrevious: before, hasMore: after, cursorAt: index)
        let visible = layout.visibleRows(.apps)
        apps.top = max(0, index - visible / 2)
        apps.scroll(count: apps.rows.count, visible: visible)
        return appSelectionChanged() + prefetch()
    }

    mutating func itemsLoadedAround(
        generation: Int, rows: [ItemSummary], hasPrevious before: Bool, hasMore after: Bool, anchor: UUID
    ) -> [BrowserEffect] {
        guard generation == items.generation else { return [] }
        // A refresh that went around the selected item is done with it.
        reselect = nil
        let index = rows.firstIndex { $0.uuid == anchor } ?? 0
        items.receiveWindow(rows, hasPrevious: before, hasMore: after, cursorAt: index)
        // The anchor in the middle of the pane, as far as the rows allow.
        let visible = layout.visibleRows(.items)
        items.top = max(0, index - visible / 2)
        items.scroll(count: items.rows.count, visible: visible)
        return prefetch()
    }

    mutating func loadFailed(pane failedPane: BrowserPane?, generation: Int, text: String) -> [BrowserEffect] {
        switch failedPane {
        case .projects? where generation == projects.generation: projects.loading = false
        case .apps? where generation == apps.generation: apps.loading = false
        case .items? where generation == items.generation: items.loading = false
        default: break
        }
        message = StatusMessage(text, isError: true)
        return []
    }
}
