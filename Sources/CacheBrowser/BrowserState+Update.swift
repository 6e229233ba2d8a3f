import Foundation
import JSONKit
import SodarCache

extension BrowserState {
    /// The layout for the current size.
    public var layout: BrowserLayout {
        BrowserLayout(width: width, height: height, hasProgressLine: progressLine != nil)
    }

    /// The first requests: totals, then the first page of projects.
    public mutating func start() -> [BrowserEffect] {
        let generation = nextGeneration()
        projects.restart(generation: generation)
        return [.loadTotals, .loadProjects(generation: generation, after: nil, limit: pageSize, filter: projects.filter)]
    }

    /// Applies an action; returns the work it asks for.
    public mutating func update(_ action: BrowserMessage) -> [BrowserEffect] {
        let effects = apply(action)
        refreshProgressLine()
        return effects
    }

    mutating func apply(_ action: BrowserMessage) -> [BrowserEffect] {
        switch action {
        case .key(let key):
            return handle(key: key)
        case .resize(let newWidth, let newHeight):
            width = max(0, newWidth)
            height = max(0, newHeight)
            if layout.tooSmall { dismissUnseen() }
            rescrollAll()
            return prefetch()
        case .tick(let date):
            now = date
            return []
        case .totalsLoaded(let newTotals):
            let hadSite = showsSiteRow
            totals = newTotals
            if showsSiteRow != hadSite, projects.loaded {
                projects.cursor += showsSiteRow ? 1 : -1
                projects.scroll(count: projectEntryCount, visible: layout.visibleRows(.projects))
            }
            return []
        case .projectsLoaded(let generation, let rows, let hasMore):
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
            var effects = first ? projectSelectionChanged() : []
            effects += prefetch()
            return effects
        case .appsLoaded(let generation, let rows, let hasMore):
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
        case .itemsLoaded(let generation, let rows, let hasMore):
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
        case .projectsLoadedBefore(let generation, let rows, let more):
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
        case .appsLoadedBefore(let generation, let rows, let more):
            guard generation == apps.generation else { return [] }
            let first = apps.receivePrevious(rows, hasPrevious: more)
            apps.scroll(count: apps.rows.count, visible: layout.visibleRows(.apps))
            return (first ? appSelectionChanged() : []) + prefetch()
        case .itemsLoadedBefore(let generation, let rows, let more):
            guard generation == items.generation else { return [] }
            var total: Int?
            if items.filter == nil, let app = itemsApp, selectedApp?.appName == app { total = selectedApp?.itemCount }
            _ = items.receivePrevious(rows, hasPrevious: more, total: total)
            items.scroll(count: items.rows.count, visible: layout.visibleRows(.items))
            return prefetch()
        case .projectsLoadedAround(let generation, let rows, let before, let after, let anchor):
            guard generation == projects.generation else { return [] }
            let found = rows.firstIndex { $0.project.uuid == anchor }
            projects.receiveWindow(rows, hasPrevious: before, hasMore: after, cursorAt: found ?? 0)
            if showsSiteRow { projects.cursor += 1 }
            let visible = layout.visibleRows(.projects)
            projects.top = max(0, projects.cursor - visible / 2)
            projects.scroll(count: projectEntryCount, visible: visible)
            if found == nil { dropReselection(below: .projects) }
            return projectSelectionChanged() + prefetch()
        case .itemsLoadedAround(let generation, let rows, let before, let after, let anchor):
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
        case .payloadLoaded(let generation, let item, let title, let document):
            guard payload?.generation == generation else { return [] }
            payload?.item = item
            payload?.projectTitle = title
            payload?.document = document
            payload?.loading = false
            payload?.failure = nil
            // A refreshed document may be shorter: keep the cursor on a line.
            let visible = layout.visibleRows(.payload)
            if var current = payload {
                if current.cursor >= document.lineCount {
                    current.cursor = max(0, document.lineCount - 1)
                    current.top = min(current.top, current.cursor)
                }
                current.scrollToCursor(visible: visible)
                payload = current
            }
            return []
        case .payloadFailed(let generation, let item, let title, let text):
            guard payload?.generation == generation else { return [] }
            if var current = payload {
                current.item = item ?? current.item
                current.projectTitle = title ?? current.projectTitle
                current.loading = false
                current.failure = text
                payload = current
            }
            if pane == .payload { message = StatusMessage(text, isError: true) }
            return []
        case .loadFailed(let failedPane, let generation, let text):
            switch failedPane {
            case .projects? where generation == projects.generation: projects.loading = false
            case .apps? where generation == apps.generation: apps.loading = false
            case .items? where generation == items.generation: items.loading = false
            default: break
            }
            message = StatusMessage(text, isError: true)
            return []
        case .saved(let path, let data):
            if let path {
                message = StatusMessage("Wrote \(BrowserFormat.size(data.count)) to \(path)")
            } else {
                stdoutAfterExit = data
                message = StatusMessage("The JSON (\(BrowserFormat.size(data.count))) goes to stdout after exit")
            }
            return []
        case .saveFailed(let path, let text):
            // The reason first: a long path must not push it off the line.
            message = StatusMessage("Not written: \(text)\(path.map { " (" + Display.escape($0) + ")" } ?? "")", isError: true)
            return []
        case .saveWouldReplace(let request, let size):
            let path = Display.escape(request.path ?? "")
            overlay = .confirm(
                ConfirmDialog(
                    purpose: .overwrite(request), title: "Replace the file?",
                    lines: [
                        "The file exists (\(BrowserFormat.size(size))):", path,
                        "Replace it with the item's JSON? Its old content is lost.",
                    ]))
            return []
        case .syncEvent(let event):
            return syncEvent(event)
        case .syncEnded(let summary):
            return syncEnded(summary)
        case .syncFailed(let text):
            sync = nil
            message = StatusMessage("Sync failed: \(text)", isError: true)
            return []
        case .deleteCounted(let target):
            return askToDelete(target)
        case .deleted(let target, let count):
            return deleted(target, count: count)
        case .deleteFailed(let target, let text):
            message = StatusMessage("Nothing deleted (\(target.what)): \(text)", isError: true)
            return []
        case .storeReopened:
            // The new file's change token starts a new count: take the next one as it is.
            storeToken = nil
            message = StatusMessage("Reopened \(Display.escape(options.storePath)): the file had been replaced")
            return []
        case .storeUnavailable(let text):
            if message?.text != text { message = StatusMessage(text, isError: true) }
            return []
        case .storeChanged(let token):
            defer { storeToken = token }
            guard let old = storeToken, old != token else { return [] }
            return liveReload()
        }
    }

    // MARK: - Keys

    mutating func handle(key: Key) -> [BrowserEffect] {
        if layout.tooSmall { return handleUnseen(key: key) }
        if prompt != nil { return handlePrompt(key: key) }
        // The status line shows the answer to the last key, not an older one.
        message = nil
        if case .help(let scroll) = overlay {
            switch key {
            case .down, .char("j"): overlay = .help(scroll: scroll + 1)
            case .up, .char("k"): overlay = .help(scroll: max(0, scroll - 1))
            case .pageDown, .char(" "): overlay = .help(scroll: scroll + max(1, height - 4))
            case .pageUp: overlay = .help(scroll: max(0, scroll - max(1, height - 4)))
            case .ctrl("c"):
                overlay = nil
                return quit()
            default: overlay = nil
            }
            return []
        }
        if case .confirm(let dialog) = overlay { return handleConfirm(dialog, key: key) }
        if case .failures(let cursor, let detail) = overlay {
            return handleFailures(cursor: cursor, detail: detail, key: key)
        }
        guard let intent = keyMap.intent(for: key, in: keyContext) else {
            return []
        }
        return perform(intent)
    }

    /// A key while the screen shows only "terminal too small": nothing the user cannot see
    /// may happen, so every key but quit is ignored. Quit does not ask (the question could
    /// not be seen either): a running sync is cancelled, its finished units kept.
    mutating func handleUnseen(key: Key) -> [BrowserEffect] {
        dismissUnseen()
        guard keyMap.intent(for: key, in: keyContext) == .quit else { return [] }
        quitting = true
        return sync == nil ? [.quit] : [.cancelSync, .quit]
    }

    /// Closes what cannot be drawn: a dialog, the help, the failure list, a prompt.
    mutating func dismissUnseen() {
        if case .confirm(let dialog)? = overlay { message = StatusMessage(Self.declined(dialog.purpose)) }
        overlay = nil
        prompt = nil
    }

    /// Does what a key asked for.
    public mutating func perform(_ intent: KeyIntent) -> [BrowserEffect] {
        let visible = layout.visibleRows(pane)
        if intent.writes && options.readOnly {
            message = StatusMessage("Read-only: \(intent.summary) is disabled (--read-only)", isError: true)
            return []
        }
        switch intent {
        case .moveUp: return move(by: -1)
        case .moveDown: return move(by: 1)
        case .pageUp: return move(by: -visible)
        case .pageDown: return move(by: visible)
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
        case .cycleSort:
            let all = ItemSort.allCases
            itemSort = all[((all.firstIndex(of: itemSort) ?? 0) + 1) % all.count]
            message = StatusMessage("Items sorted by \(itemSort.rawValue)")
            // The selected item stays selected, wherever the new order puts it.
            guard let anchor = selectedItem, let owner = appsOwner, let app = itemsApp else { return reloadItems() }
            reselect = nil
            let generation = nextGeneration()
            items.restart(generation: generation, keepRows: true)
            return [
                .loadItemsAround(
                    generation: generation, project: owner.uuid, app: app, sort: itemSort, anchor: anchor, limit: pageSize,
                    filter: items.filter)
            ]
        case .reload:
            return reload()
        case .toggleFold:
            if let text = payload?.toggleFold(visible: visible) { message = StatusMessage(text) }
            return []
        case .foldAll:
            payload?.foldEverything()
            return []
        case .unfoldAll:
            payload?.unfoldEverything(visible: visible)
            return []
        case .search:
            prompt = BrowserPrompt(purpose: .search, text: "")
            return []
        case .searchNext, .searchPrevious:
            guard let needle = payload?.lastSearch else {
                message = StatusMessage("No search yet: press / first")
                return []
            }
            if var current = payload {
                message = current.search(needle, forward: intent == .searchNext, skipCurrent: true, visible: visible)
                payload = current
            }
            return []
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
        case .deleteItem: return deleteItem()
        case .deleteGroup: return deleteGroup(staleOnly: false)
        case .deleteStale: return deleteGroup(staleOnly: true)
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

    // MARK: - Prompt

    mutating func handlePrompt(key: Key) -> [BrowserEffect] {
        guard var current = prompt else { return [] }
        switch key {
        case .escape, .ctrl("c"), .ctrl("g"):
            prompt = nil
            return []
        case .backspace, .delete:
            if current.text.isEmpty { prompt = nil; return [] }
            current.selected = false
            current.text.removeLast()
            prompt = current
            return []
        case .ctrl("u"):
            current.text = ""
            current.selected = false
            prompt = current
            return []
        case .right, .end:
            current.selected = false
            prompt = current
            return []
        case .enter:
            prompt = nil
            return submit(current)
        case .char(let c):
            if current.selected { current.text = "" }
            current.selected = false
            current.text.append(c)
            prompt = current
            return []
        default:
            return []
        }
    }

    mutating func submit(_ prompt: BrowserPrompt) -> [BrowserEffect] {
        let text = prompt.text.trimmingCharacters(in: .whitespaces)
        switch prompt.purpose {
        case .filter(.projects):
            projects.filter = text.isEmpty ? nil : text
            message = StatusMessage(text.isEmpty ? "Project filter cleared" : "Projects matching \"\(text)\"")
            return reloadProjects()
        case .filter(.apps):
            apps.filter = text.isEmpty ? nil : text
            message = StatusMessage(text.isEmpty ? "App filter cleared" : "Apps matching \"\(text)\"")
            return reloadApps()
        case .filter:
            if items.filter != (text.isEmpty ? nil : text) { dropMarks() }
            items.filter = text.isEmpty ? nil : text
            message = StatusMessage(text.isEmpty ? "Item filter cleared" : "Items matching \"\(text)\"")
            return reloadItems()
        case .search:
            guard !text.isEmpty, var current = payload else { return [] }
            let visible = layout.visibleRows(.payload)
            message = current.search(prompt.text, forward: true, skipCurrent: false, visible: visible)
            payload = current
            return []
        case .saveJSON:
            guard let uuid = payload?.item?.uuid else { return [] }
            return [.saveJSON(SaveRequest(
                    uuid: uuid, path: text.isEmpty ? nil : text, storePath: options.storePath))]
        }
    }

    // MARK: - Moving

    mutating func move(by delta: Int) -> [BrowserEffect] {
        // The user picks the rows now: a pending refresh must not move the cursor back.
        reselect = nil
        let visible = layout.visibleRows(pane)
        switch pane {
        case .projects:
            let before = selectedProject
            projects.move(by: delta, count: projectEntryCount, visible: visible)
            let effects = selectedProject != before ? projectSelectionChanged() : []
            return effects + prefetch()
        case .apps:
            let before = selectedApp
            apps.move(by: delta, count: apps.rows.count, visible: visible)
            let effects = selectedApp != before ? appSelectionChanged() : []
            return effects + prefetch()
        case .items:
            items.move(by: delta, count: items.rows.count, visible: visible)
            return prefetch()
        case .payload:
            if delta <= Int.min / 4 {
                payload?.moveToTop(visible: visible)
            } else if delta >= Int.max / 4 {
                payload?.moveToBottom(visible: visible)
            } else {
                payload?.moveCursor(by: delta, visible: visible)
            }
            message = nil
            return []
        }
    }

    /// `g`/`Home` and `G`/`End`: the true first or last row. A list that does not hold it
    /// loads that end's page (the last one by reverse keyset), not every page in between.
    mutating func jump(toEnd: Bool) -> [BrowserEffect] {
        let far = toEnd ? Int.max / 2 : Int.min / 2
        reselect = nil
        switch pane {
        case .projects where toEnd ? projects.hasMore : projects.hasPrevious:
            let generation = nextGeneration()
            projects.restart(generation: generation, keepRows: true)
            if toEnd {
                return [.loadProjectsBefore(generation: generation, before: nil, limit: pageSize, filter: projects.filter)]
            }
            projects.cursor = 0
            projects.top = 0
            return [.loadProjects(generation: generation, after: nil, limit: pageSize, filter: projects.filter)]
        case .apps where toEnd ? apps.hasMore : apps.hasPrevious:
            guard let owner = appsOwner else { return move(by: far) }
            let generation = nextGeneration()
            apps.restart(generation: generation, keepRows: true)
            if toEnd {
                return [
                    .loadAppsBefore(generation: generation, project: owner.uuid, before: nil, limit: pageSize, filter: apps.filter)
                ]
            }
            apps.cursor = 0
            apps.top = 0
            return [.loadApps(generation: generation, project: owner.uuid, after: nil, limit: pageSize, filter: apps.filter)]
        case .items where toEnd ? items.hasMore : items.hasPrevious:
            guard let owner = appsOwner, let app = itemsApp else { return move(by: far) }
            let generation = nextGeneration()
            items.restart(generation: generation, keepRows: true)
            if toEnd {
                return [
                    .loadItemsBefore(
                        generation: generation, project: owner.uuid, app: app, sort: itemSort, before: nil, limit: pageSize,
                        filter: items.filter)
                ]
            }
            items.cursor = 0
            items.top = 0
            return [
                .loadItems(
                    generation: generation, project: owner.uuid, app: app, sort: itemSort, after: nil, limit: pageSize,
                    filter: items.filter)
            ]
        default:
            return move(by: far)
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
        return [.loadApps(generation: generation, project: selection.uuid, after: nil, limit: pageSize, filter: apps.filter)]
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
            return [.loadProjectsAround(generation: generation, anchor: anchor, limit: pageSize, filter: projects.filter)]
        }
        projects.restart(generation: generation, keepRows: keepRows)
        return [.loadProjects(generation: generation, after: nil, limit: pageSize, filter: projects.filter)]
    }

    /// The app filter changed: the selected project's apps again, through the filter.
    mutating func reloadApps() -> [BrowserEffect] {
        guard let owner = appsOwner else { return [] }
        let generation = nextGeneration()
        apps.restart(generation: generation)
        return [.loadApps(generation: generation, project: owner.uuid, after: nil, limit: pageSize, filter: apps.filter)]
    }

    mutating func reloadItems(keepRows: Bool = false) -> [BrowserEffect] {
        guard let owner = appsOwner, let app = itemsApp else { return [] }
        let generation = nextGeneration()
        if keepRows, items.loaded, items.hasPrevious || items.cursor >= pageSize / 2, let anchor = selectedItem {
            items.restart(generation: generation, keepRows: true)
            return [
                .loadItemsAround(
                    generation: generation, project: owner.uuid, app: app, sort: itemSort, anchor: anchor, limit: pageSize,
                    filter: items.filter)
            ]
        }
        items.restart(generation: generation, keepRows: keepRows)
        return [
            .loadItems(
                generation: generation, project: owner.uuid, app: app, sort: itemSort, after: nil, limit: pageSize,
                filter: items.filter)
        ]
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
            effects.append(
                .loadProjects(
                    generation: projects.generation, after: projects.rows.last, limit: pageSize,
                    filter: projects.filter))
        }
        if apps.loaded, apps.hasMore, !apps.loading, apps.cursor + lay.visibleRows(.apps) >= apps.rows.count {
            apps.loading = true
            effects.append(
                .loadApps(
                    generation: apps.generation, project: appsOwner?.uuid, after: apps.rows.last, limit: pageSize,
                    filter: apps.filter))
        }
        if items.loaded, items.hasMore, !items.loading, let app = itemsApp,
            items.cursor + lay.visibleRows(.items) >= items.rows.count
        {
            items.loading = true
            effects.append(
                .loadItems(
                    generation: items.generation, project: appsOwner?.uuid, app: app, sort: itemSort,
                    after: items.rows.last, limit: pageSize, filter: items.filter))
        }
        // After a jump to the end: the page before the loaded ones as the cursor nears the top.
        if projects.loaded, projects.hasPrevious, !projects.loading, projects.cursor < lay.visibleRows(.projects) {
            projects.loading = true
            effects.append(
                .loadProjectsBefore(
                    generation: projects.generation, before: projects.rows.first, limit: pageSize, filter: projects.filter))
        }
        if apps.loaded, apps.hasPrevious, !apps.loading, apps.cursor < lay.visibleRows(.apps) {
            apps.loading = true
            effects.append(
                .loadAppsBefore(
                    generation: apps.generation, project: appsOwner?.uuid, before: apps.rows.first, limit: pageSize,
                    filter: apps.filter))
        }
        if items.loaded, items.hasPrevious, !items.loading, let app = itemsApp, items.cursor < lay.visibleRows(.items) {
            items.loading = true
            effects.append(
                .loadItemsBefore(
                    generation: items.generation, project: appsOwner?.uuid, app: app, sort: itemSort,
                    before: items.rows.first, limit: pageSize, filter: items.filter))
        }
        return effects
    }

    mutating func rescrollAll() {
        let lay = layout
        projects.scroll(count: projectEntryCount, visible: lay.visibleRows(.projects))
        apps.scroll(count: apps.rows.count, visible: lay.visibleRows(.apps))
        items.scroll(count: items.rows.count, visible: lay.visibleRows(.items))
        payload?.scrollToCursor(visible: lay.visibleRows(.payload))
    }
}
