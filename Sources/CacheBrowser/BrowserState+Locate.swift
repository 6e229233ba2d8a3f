import Foundation
import JSONKit
import SodarCache
import StoreKernel

// Going to an item named by project, app and name (a sync's change, an audit entry): the
// runtime finds it, then the lists are read again around it, as the findings view does.
extension BrowserState {
    /// Asks where the item is now; `open` opens its payload once found.
    mutating func locate(project: UUID?, app: String, name: String, open: Bool, versions: Bool = false) -> [BrowserEffect] {
        var lookup = ItemLookup(generation: nextGeneration(), project: project, app: app, name: name, open: open)
        lookup.versions = versions
        itemLookup = lookup
        message = StatusMessage("Looking for \(Display.escape(app + ":" + name))…")
        return [.locateItem(lookup)]
    }

    mutating func itemLocated(_ lookup: ItemLookup, _ location: ItemLocation?) -> [BrowserEffect] {
        guard lookup == itemLookup else { return [] }
        itemLookup = nil
        let label = Display.escape(lookup.app + ":" + lookup.name)
        guard let location else {
            message = StatusMessage("\(label) is no longer in the store")
            return []
        }
        overlay = nil
        // Every category above it opens; a filter would hide it.
        for ancestor in location.ancestors {
            if foldAllProjects { projectFolds.insert(ancestor) } else { projectFolds.remove(ancestor) }
        }
        projects.filter = nil
        var target = Reselection(
            project: location.project.map { .project($0.uuid) } ?? .site, app: lookup.app, item: location.item.uuid)
        target.itemAnchor = location.item
        reselect = target
        pane = .items
        payload = nil
        let generation = nextGeneration()
        projects.restart(generation: generation, keepRows: true)
        projectAnchorRow = nil
        var effects: [BrowserEffect]
        if let project = location.project {
            let anchor = ProjectSummary(project: project, depth: location.ancestors.count, itemCount: 0, latestUpdate: nil)
            effects = [projectPage(.around(anchor), generation: generation)]
        } else {
            effects = [projectPage(.after(nil), generation: generation)]
        }
        if lookup.open {
            effects += open(location.item)
            payload?.projectTitle = location.project?.fullTitle ?? "(site-wide)"
            if lookup.versions { effects += showVersions() }
        }
        message = StatusMessage(label + " in " + Display.escape(location.project?.fullTitle ?? "(site-wide)"))
        return effects
    }

    mutating func itemLookupFailed(_ lookup: ItemLookup, text: String) -> [BrowserEffect] {
        guard lookup == itemLookup else { return [] }
        itemLookup = nil
        message = StatusMessage("Could not look for \(Display.escape(lookup.app + ":" + lookup.name)): \(text)", isError: true)
        return []
    }
}
