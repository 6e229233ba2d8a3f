import Foundation
import JSONKit
import SodarCache
import StoreKernel

// What each key intent does.
extension BrowserState {
    // MARK: - Intents

    /// Does what a key asked for.
    public mutating func perform(_ intent: KeyIntent) -> [BrowserEffect] {
        let visible = layout.visibleRows(pane)
        let viewport = payloadViewport
        if intent.writes && options.readOnly {
            message = StatusMessage("Read-only: \(intent.summary) is disabled (\(options.readOnlyReason))", isError: true)
            return []
        }
        if let why = intent.refusal(options.capabilities) {
            message = StatusMessage(why, isError: true)
            return []
        }
        switch intent {
        case .moveUp: return move(.rows(-1))
        case .moveDown: return move(.rows(1))
        case .pageUp, .pageDown:
            guard pane == .payload else { return move(.rows(intent == .pageDown ? visible : -visible)) }
            reselect = nil
            payload?.movePage(down: intent == .pageDown, viewport)
            message = nil
            return []
        case .top: return jump(toEnd: false)
        case .bottom: return jump(toEnd: true)
        case .drillIn: return drillIn()
        case .back: return back()
        case .nextPane: return switchPane(forward: true)
        case .previousPane: return switchPane(forward: false)
        case .filter:
            switch pane {
            case .projects: prompt = BrowserPrompt(purpose: .filter(.projects), text: projects.filter ?? "", selected: true)
            case .items: prompt = BrowserPrompt(purpose: .filter(.items), text: items.filter ?? "", selected: true)
            case .apps: prompt = BrowserPrompt(purpose: .filter(.apps), text: apps.filter ?? "", selected: true)
            case .payload: prompt = BrowserPrompt(purpose: .search, text: "")
            }
            return []
        case .cycleSort where pane == .projects:
            return cycleProjectOrder()
        case .cycleSort:
            let all = ItemSort.allCases
            itemSort = all[((all.firstIndex(of: itemSort) ?? 0) + 1) % all.count]
            message = StatusMessage("Items sorted by \(itemSort.rawValue)")
            // The selected item stays selected, wherever the new order puts it.
            guard let anchor = selectedItem, let owner = appsOwner, let app = itemsApp else { return reloadItems() }
            reselect = nil
            let generation = nextGeneration()
            items.restart(generation: generation, keepRows: true)
            return [itemPage(.around(anchor), project: owner.uuid, app: app, generation: generation)]
        case .reload:
            return reload()
        case .toggleFold:
            if let text = payload?.toggleFold(viewport) { message = StatusMessage(text) }
            return []
        case .foldAll where pane == .projects, .unfoldAll where pane == .projects:
            return foldAllProjects(intent == .foldAll)
        case .foldAll where pane != .payload, .unfoldAll where pane != .payload:
            message = StatusMessage("z and Z fold and unfold the project list's categories, or an open payload")
            return []
        case .foldAll:
            payload?.foldEverything()
            return []
        case .unfoldAll:
            payload?.unfoldEverything(viewport)
            return []
        case .search:
            prompt = BrowserPrompt(purpose: .search, text: "")
            return []
        case .searchNext, .searchPrevious:
            guard let needle = payload?.lastSearch else {
                message = StatusMessage("No search yet: press / first")
                return []
            }
            return startSearch(needle, forward: intent == .searchNext, skipCurrent: true)
        case .toggleWrap: return toggleWrap()
        case .scrollRight: return scrollSideways(right: true)
        case .scrollLeft: return scrollSideways(right: false)
        case .copyValue:
            return copyValue()
        case .copyPath:
            return copyPath()
        case .saveJSON:
            guard payload?.item != nil else {
                message = StatusMessage("The item is not loaded yet", isError: true)
                return []
            }
            prompt = BrowserPrompt(purpose: .saveJSON, text: "")
            return []
        case .help:
            overlay = .help(scroll: 0)
            return []
        case .quit:
            return quit()
        case .syncSelection: return startSync(all: false)
        case .syncAll: return startSync(all: true)
        case .cancelTask: return cancelSync(confirm: false)
        case .showFailures: return showFailures()
        case .showFindings: return showFindings()
        case .previewSync: return startSync(all: false, dryRun: true)
        case .showChanges: return showChanges()
        case .showAudit: return showAudit()
        case .deleteItem: return deleteItem()
        case .deleteGroup: return deleteGroup(staleOnly: false)
        case .deleteStale: return deleteGroup(staleOnly: true)
        case .undoDelete: return undoDelete()
        case .showVersions: return showVersions()
        case .nextChange, .previousChange:
            message = StatusMessage("] and [ jump between changes in a diff (H, then Enter on a version)")
            return []
        case .toggleMark where pane == .projects: return toggleProjectFold()
        case .toggleMark: return toggleMark()
        case .clearMarks:
            message = StatusMessage(marks.isEmpty ? "No marks to clear" : "Cleared \(BrowserFormat.counted(marks.count, "mark"))")
            marks = [:]
            return []
        }
    }

    /// `q` and Ctrl-C: quits, but first asks whether to cancel a running sync.
    mutating func quit() -> [BrowserEffect] {
        if let sync, !quitting {
            overlay = .confirm(
                ConfirmDialog(
                    purpose: .quit, title: "Quit?",
                    lines: ["A sync is running (\(sync.title)).", "Cancel it and quit?"]))
            return []
        }
        quitting = true
        return sync == nil ? [.quit] : [.cancelSync, .quit]
    }
}
