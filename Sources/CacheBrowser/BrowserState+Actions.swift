import Foundation
import JSONKit
import SodarCache
import StoreKernel

extension BrowserState {
    // MARK: - Progress line

    /// Keeps `progressLine` in step with the running sync.
    mutating func refreshProgressLine() {
        let line = sync.map { $0.line(now: now) }
        guard line != progressLine else { return }
        let layoutChanges = (line == nil) != (progressLine == nil)
        progressLine = line
        if layoutChanges { rescrollAll() }
    }

    // MARK: - Sync

    /// `s`, `S` and (`dryRun`) `P`: a preview runs as a sync does and writes nothing.
    mutating func startSync(all: Bool, dryRun: Bool = false) -> [BrowserEffect] {
        guard actionsAvailable else {
            guard dryRun else { return unavailable() }
            message = StatusMessage("The sync preview is not available in this browser (synccache --dry-run is)", isError: true)
            return []
        }
        if let sync {
            message = StatusMessage("A \(sync.dryRun ? "sync preview" : "sync") is already running (\(sync.title)); c cancels it")
            return []
        }
        let request: SyncRequest
        let title: String
        if all {
            request = SyncRequest()
            title = "everything"
        } else {
            guard let selection = selectedProject else {
                message = StatusMessage(dryRun ? "Select a project to preview its sync" : "Select a project to sync (S syncs everything)")
                return []
            }
            guard case .project(let summary) = selection else {
                message = StatusMessage(
                    dryRun ? "P previews a project's sync: select a project" : "Site-wide items are synced with S (everything)")
                return []
            }
            let projectTitle = Display.escape(summary.project.fullTitle)
            if let app = focusedApp {
                request = SyncRequest(project: summary.project.uuid, app: app)
                title = "\(Display.escape(app)) in \(projectTitle)"
            } else {
                request = SyncRequest(project: summary.project.uuid)
                title = projectTitle
            }
        }
        // A category syncs every project beneath it: name each unit's project then too.
        let category: Bool
        if case .project(let summary)? = selectedProject, summary.project.type == .category { category = true } else { category = false }
        sync = SyncProgress(title: title, started: now, manyProjects: all || category)
        if dryRun {
            // The last real sync's failures and changes stay: a preview changes nothing.
            sync?.dryRun = true
            message = StatusMessage("Preview of the sync of \(title) started: nothing is written")
            return [.previewSync(request)]
        }
        syncFailures = []
        message = StatusMessage("Sync of \(title) started")
        return [.sync(request)]
    }

    mutating func syncEvent(_ event: SyncEvent) -> [BrowserEffect] {
        sync?.apply(event)
        if case .failed(let app, let project, let failure) = event, sync?.dryRun != true {
            syncFailures.append(
                SyncFailureEntry(app: Display.escape(app), project: project.map { Display.escape($0.fullTitle) }, failure: failure))
        }
        return []
    }

    mutating func syncEnded(_ summary: SyncSummary) -> [BrowserEffect] {
        let title = sync?.title ?? "the store"
        if summary.dryRun || sync?.dryRun == true { return previewEnded(summary, title: title) }
        sync = nil
        lastSyncChanges = ChangeList(source: .lastSync, title: title, endedAt: now, summary: summary)
        // The counts `synccache` prints, in total here; per app and project in `C`.
        let changes = summary.changes.isEmpty ? "" : " (C: " + summary.changeTotals.description + ")"
        if summary.cancelled {
            // The command line's words (`SyncSummary.counts`), so both report a run alike.
            message = StatusMessage(
                "Sync of \(title) cancelled: \(summary.counts), " + Self.itemsWritten(summary.itemsWritten) + changes, isError: true)
        } else if summary.total == 0 {
            message = StatusMessage("Nothing to sync in \(title): no app there has a sync hook")
        } else if summary.failed > 0 {
            message = StatusMessage(
                "Synced \(title): \(summary.succeeded)/\(summary.total) ok, \(summary.failed) failed (F shows why), "
                    + Self.itemsWritten(summary.itemsWritten) + changes, isError: true)
        } else {
            message = StatusMessage(
                "Synced \(title): \(summary.total)/\(summary.total) ok, " + Self.itemsWritten(summary.itemsWritten) + changes)
        }
        return liveReload()
    }

    static func itemsWritten(_ count: Int) -> String {
        BrowserFormat.counted(count, "item") + " written"
    }

    /// `c` (now) or Esc (`confirm`: asks first).
    mutating func cancelSync(confirm: Bool) -> [BrowserEffect] {
        guard let running = sync else {
            message = StatusMessage("No sync is running")
            return []
        }
        if running.cancelling {
            message = StatusMessage("The sync is being cancelled")
            return []
        }
        if confirm {
            overlay = .confirm(
                ConfirmDialog(
                    purpose: .cancelSync, title: "Cancel the sync?",
                    lines: ["Cancel the sync of \(running.title)?", "Finished plugins keep their items."]))
            return []
        }
        sync?.cancelling = true
        message = StatusMessage("Cancelling the sync…")
        return [.cancelSync]
    }

    mutating func showFailures() -> [BrowserEffect] {
        guard !syncFailures.isEmpty else {
            message = StatusMessage(sync == nil ? "No sync failures" : "No failures so far")
            return []
        }
        overlay = .failures(cursor: 0, detail: false)
        return []
    }

    mutating func handleFailures(cursor: Int, detail: Bool, key: Key) -> [BrowserEffect] {
        let last = max(0, syncFailures.count - 1)
        switch key {
        case .down, .char("j"): overlay = .failures(cursor: min(last, cursor + 1), detail: detail)
        case .up, .char("k"): overlay = .failures(cursor: max(0, cursor - 1), detail: detail)
        case .enter, .right, .char("l"): overlay = .failures(cursor: cursor, detail: true)
        case .escape, .left, .char("h"), .backspace:
            overlay = detail ? .failures(cursor: cursor, detail: false) : nil
        case .ctrl("c"):
            overlay = nil
            return quit()
        case .char("q"), .char("F"): overlay = nil
        default: break
        }
        return []
    }

    // MARK: - Delete

    mutating func deleteItem() -> [BrowserEffect] {
        guard actionsAvailable else { return unavailable() }
        let place = appsOwner.map { Display.escape($0.title) } ?? "(site-wide)"
        if !marks.isEmpty {
            let marked = marks.values.sorted { ($0.appName, $0.name) < ($1.appName, $1.name) }
            let apps = Set(marked.map(\.appName))
            let app = apps.count == 1 ? apps.first.map(Display.escape) : nil
            var target = DeleteTarget(
                selection: .items(marked.map(\.uuid)), what: BrowserFormat.counted(marks.count, "marked item"),
                count: marks.count, project: place, app: app,
                itemNames: marked.map { app == nil ? Display.escape($0.appName) + ": " + Display.escape($0.name) : Display.escape($0.name) },
                shown: Dictionary(marked.map { ($0.uuid, ShownItem($0)) }, uniquingKeysWith: { first, _ in first }))
            target.bytes = marked.reduce(0) { $0 + $1.size }
            return askToDelete(target)
        }
        guard let item = focusedItem else {
            let group = pane == .projects ? "project's" : "app's"
            message = StatusMessage("Select an item to delete (D deletes the \(group) items, Space marks items)")
            return []
        }
        let owner = appsOwner.map { " in " + Display.escape($0.title) } ?? ""
        var target = DeleteTarget(
            selection: .items([item.uuid]),
            what: "item \(Display.escape(item.appName)): \(Display.escape(item.name))\(owner)", count: 1,
            project: place, app: Display.escape(item.appName), itemNames: [Display.escape(item.name)],
            shown: [item.uuid: ShownItem(item)])
        target.bytes = item.size
        return askToDelete(target)
    }

    /// `D` (all items) and `x` (stale ones) of the focused app, or of the project in the project list.
    mutating func deleteGroup(staleOnly: Bool) -> [BrowserEffect] {
        guard actionsAvailable else { return unavailable() }
        guard let owner = pane == .projects ? selectedProject : appsOwner else {
            message = StatusMessage("Select a project first")
            return []
        }
        let scope: CacheFilter.Scope = owner.uuid.map { .project($0) } ?? .site
        let app = focusedApp
        var filter = CacheFilter(scope: scope, appName: app)
        var place = Display.escape(owner.title)
        if let app { place = "app \(Display.escape(app)) in " + place }
        // A category's row takes its whole subtree, as `s` does and as its figures show.
        var subtree = false
        if pane == .projects, case .project(let summary) = owner, summary.project.type == .category { subtree = true }
        if subtree { place += " and every project beneath it" }
        let what: String
        if staleOnly {
            filter.olderThan = now.addingTimeInterval(-options.staleAfter)
            what = "the stale items (older than \(BrowserFormat.duration(options.staleAfter))) of \(place)"
        } else {
            what = "all items of \(place)"
        }
        message = StatusMessage("Counting…")
        var target = DeleteTarget(
            selection: .matching(filter), what: what, count: 0, project: Display.escape(owner.title),
            app: app.map(Display.escape))
        target.subtree = subtree
        return [.countForDelete(target)]
    }

    /// Opens the confirmation dialog for a counted target (nothing to ask when it is empty).
    mutating func askToDelete(_ target: DeleteTarget) -> [BrowserEffect] {
        guard target.count > 0 else {
            // "no items" of a whole app or project; "no such items" when a condition chose them.
            var everything = false
            if case .matching(let filter) = target.selection { everything = filter.olderThan == nil }
            message = StatusMessage("Nothing to delete: no \(everything ? "items" : "such items") (\(target.what))")
            return []
        }
        message = nil
        let counted = BrowserFormat.counted(target.count, "item")
        let undo = undoLines(target)
        var dialog = ConfirmDialog(
            // Under a profile, which store: "Delete 12 items from Production?".
            purpose: .delete(target), title: "Delete \(counted)\(options.profileTitle.map { " from \($0)" } ?? "")?",
            lines: ["Delete \(target.what)?"] + target.placeLines + byCreationTime(target) + [
                "\(counted) will be removed from the store."
            ] + undo)
        // Whether the delete can be taken back shows even where the names do not fit.
        dialog.keep = undo.count
        overlay = .confirm(dialog)
        return []
    }

    /// A delete by age where ages are creation times says so: answering yes acknowledges it.
    func byCreationTime(_ target: DeleteTarget) -> [String] {
        guard case .matching(let filter) = target.selection, filter.olderThan != nil, !options.itemAges.knowsLastWrite else { return [] }
        return [
            "By creation time: SODAR never records a rewrite here, so items it rewrote",
            "since they were created count as stale too.",
        ]
    }

    mutating func deleted(_ target: DeleteTarget, count: Int, changed: Int = 0) -> [BrowserEffect] {
        if case .items(let uuids) = target.selection {
            for uuid in uuids { marks[uuid] = nil }
        }
        var text = "Deleted \(BrowserFormat.counted(count, "item"))"
        // Said first: the rest of the line may not fit.
        if count > 0, options.undo.keeps(bytes: target.bytes), options.capabilities.canWrite { text += ", u undoes it" }
        text += " (\(target.what))"
        if case .items = target.selection, count < target.count {
            let gone = target.count - count - changed
            if gone > 0 { text += "; \(gone) \(gone == 1 ? "was" : "were") already gone" }
            if changed > 0 {
                text += "; kept \(BrowserFormat.counted(changed, "item")) another writer changed since \(changed == 1 ? "it was" : "they were") shown"
            }
        }
        message = StatusMessage(text)
        return liveReload()
    }

    mutating func toggleMark() -> [BrowserEffect] {
        guard pane == .items, let item = selectedItem else {
            message = StatusMessage("Space marks items in the items list")
            return []
        }
        marks[item.uuid] = marks[item.uuid] == nil ? item : nil
        let effects = move(.rows(1))
        message = StatusMessage("\(marks.count) marked (d deletes \(marks.count == 1 ? "it" : "them"), U clears)")
        return effects
    }

    /// The items list is left (another app, project or filter): its marks go with it, so that
    /// `d` never deletes items the screen no longer shows.
    mutating func dropMarks() {
        guard !marks.isEmpty else { return }
        message = StatusMessage("\(BrowserFormat.counted(marks.count, "mark")) cleared (they belong to the list they were made in)")
        marks = [:]
    }

    // MARK: - Dialogs

    mutating func handleConfirm(_ dialog: ConfirmDialog, key: Key) -> [BrowserEffect] {
        switch key {
        case .char("y"), .char("Y"):
            return answer(dialog, yes: true)
        case .char("n"), .char("N"), .escape, .char("q"):
            return answer(dialog, yes: false)
        case .enter:
            return answer(dialog, yes: dialog.yesSelected)
        case .left, .right, .tab, .backTab, .char("h"), .char("l"):
            var toggled = dialog
            toggled.yesSelected.toggle()
            overlay = .confirm(toggled)
            return []
        case .ctrl("c"):
            overlay = nil
            if case .quit = dialog.purpose { return confirmed(.quit) }
            return quit()
        default:
            return []
        }
    }

    static func declined(_ purpose: ConfirmDialog.Purpose) -> String {
        switch purpose {
        case .delete: return "Nothing deleted"
        case .cancelSync: return "The sync goes on"
        case .quit: return "Not quitting: the sync goes on"
        case .overwrite(let request): return "Nothing written: \(request.path ?? "the file") is kept as it was"
        }
    }

    mutating func confirmed(_ purpose: ConfirmDialog.Purpose) -> [BrowserEffect] {
        switch purpose {
        case .delete(let target):
            message = StatusMessage("Deleting \(target.what)…")
            return [.delete(target)]
        case .cancelSync:
            return cancelSync(confirm: false)
        case .quit:
            quitting = true
            return [.cancelSync, .quit]
        case .overwrite(var request):
            request.overwrite = true
            return [.saveJSON(request)]
        }
    }

    mutating func unavailable() -> [BrowserEffect] {
        message = StatusMessage("Sync and delete are not available in this browser", isError: true)
        return []
    }

    // MARK: - Live refresh

    /// Another write landed: the lists, totals and open item again, on the same rows, without
    /// emptying what is on screen first.
    mutating func liveReload() -> [BrowserEffect] {
        reselect = Reselection(
            project: selectedProject.map { $0.uuid.map(Reselection.Owner.project) ?? .site },
            app: selectedApp?.appName, item: selectedItem?.uuid)
        var effects: [BrowserEffect] = [.loadTotals]
        effects += reloadProjects(keepRows: true)
        // Only a payload on screen is refreshed: one left with Esc is reloaded when reopened.
        if pane == .payload, let current = payload, !current.loading, current.failure == nil, let item = current.item {
            let generation = nextGeneration()
            payload?.generation = generation
            effects.append(.refreshPayload(generation: generation, uuid: item.uuid, modified: item.dateModified))
        }
        return effects
    }

    // MARK: - Failures

    mutating func syncFailed(text: String) -> [BrowserEffect] {
        let preview = sync?.dryRun == true
        sync = nil
        message = StatusMessage("\(preview ? "Sync preview" : "Sync") failed: \(text)", isError: true)
        return []
    }

    mutating func deleteFailed(_ target: DeleteTarget, text: String) -> [BrowserEffect] {
        message = StatusMessage("Nothing deleted (\(target.what)): \(text)", isError: true)
        return []
    }
}
