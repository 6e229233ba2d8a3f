import Foundation
import JSONKit
import SodarCache
import StoreKernel

// Moving the cursor and between panes.
extension BrowserState {
    // MARK: - Moving

    mutating func move(_ step: CursorStep) -> [BrowserEffect] {
        // The user picks the rows now: a pending refresh must not move the cursor back.
        reselect = nil
        let visible = layout.visibleRows(pane)
        switch pane {
        case .projects:
            let before = selectedProject
            projects.move(step, count: projectEntryCount, visible: visible)
            let effects = selectedProject != before ? projectSelectionChanged() : []
            return effects + prefetch()
        case .apps:
            let before = selectedApp
            apps.move(step, count: apps.rows.count, visible: visible)
            let effects = selectedApp != before ? appSelectionChanged() : []
            return effects + prefetch()
        case .items:
            items.move(step, count: items.rows.count, visible: visible)
            return prefetch()
        case .payload:
            let viewport = payloadViewport
            switch step {
            case .rows(let delta): payload?.moveCursor(by: delta, viewport)
            case .first: payload?.moveToTop(viewport)
            case .last: payload?.moveToBottom(viewport)
            }
            message = nil
            return []
        }
    }

    /// `g`/`Home` and `G`/`End`: the true first or last row. A list that does not hold it
    /// loads that end's page (the last one by reverse keyset), not every page in between.
    mutating func jump(toEnd: Bool) -> [BrowserEffect] {
        let far: CursorStep = toEnd ? .last : .first
        reselect = nil
        switch pane {
        case .projects where toEnd ? projects.hasMore : projects.hasPrevious:
            let generation = nextGeneration()
            projects.restart(generation: generation, keepRows: true)
            if toEnd {
                return [projectPage(.before(nil), generation: generation)]
            }
            projects.cursor = 0
            projects.top = 0
            return [projectPage(.after(nil), generation: generation)]
        case .apps where toEnd ? apps.hasMore : apps.hasPrevious:
            guard let owner = appsOwner else { return move(far) }
            let generation = nextGeneration()
            apps.restart(generation: generation, keepRows: true)
            if toEnd {
                return [appPage(.before(nil), project: owner.uuid, generation: generation)]
            }
            apps.cursor = 0
            apps.top = 0
            return [appPage(.after(nil), project: owner.uuid, generation: generation)]
        case .items where toEnd ? items.hasMore : items.hasPrevious:
            guard let owner = appsOwner, let app = itemsApp else { return move(far) }
            let generation = nextGeneration()
            items.restart(generation: generation, keepRows: true)
            if toEnd {
                return [itemPage(.before(nil), project: owner.uuid, app: app, generation: generation)]
            }
            items.cursor = 0
            items.top = 0
            return [itemPage(.after(nil), project: owner.uuid, app: app, generation: generation)]
        default:
            return move(far)
        }
    }

    mutating func drillIn() -> [BrowserEffect] {
        switch pane {
        case .projects:
            guard let selection = selectedProject else { return [] }
            if apps.loaded && apps.rows.isEmpty {
                message = StatusMessage("No cached items in \(selection.title)")
                return []
            }
            pane = .apps
            return []
        case .apps:
            guard selectedApp != nil else { return [] }
            pane = .items
            return []
        case .items:
            guard let item = selectedItem else { return [] }
            return open(item)
        case .payload:
            return []
        }
    }

    mutating func open(_ item: ItemSummary) -> [BrowserEffect] {
        pane = .payload
        if let current = payload, current.summary.uuid == item.uuid, current.failure == nil {
            return []
        }
        let generation = nextGeneration()
        payload = PayloadState(summary: item, generation: generation)
        payload?.projectTitle = appsOwner?.title
        message = nil
        return [.loadPayload(generation: generation, uuid: item.uuid)]
    }

    mutating func back() -> [BrowserEffect] {
        switch pane {
        case .projects:
            // Esc with nowhere to go back to, during a sync: offer to cancel it.
            if sync != nil { return cancelSync(confirm: true) }
        case .apps: pane = .projects
        case .items: pane = .apps
        case .payload: pane = .items
        }
        return []
    }

    mutating func switchPane(forward: Bool) -> [BrowserEffect] {
        var order: [BrowserPane] = [.projects, .apps, .items]
        if payload != nil { order.append(.payload) }
        let index = order.firstIndex(of: pane) ?? 0
        pane = order[(index + (forward ? 1 : order.count - 1)) % order.count]
        return []
    }
}
