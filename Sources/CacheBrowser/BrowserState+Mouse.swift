import Foundation
import SodarCache

// The mouse: clicks select, focus and open; the wheel scrolls the pane under the pointer.
// Every hit-test goes through `BrowserLayout`, `ConfirmLayout` and `BoxListLayout`, the
// numbers `view` draws with.
extension BrowserState {
    /// Rows (or payload lines) per wheel notch.
    public static let wheelStep = 3

    // MARK: - Mouse

    mutating func handle(mouse event: MouseEvent) -> [BrowserEffect] {
        // Nothing is drawn but "too small", and a prompt waits for its text: clicks do nothing.
        guard !layout.tooSmall, prompt == nil else { return [] }
        switch overlay {
        case .help(let scroll)?:
            switch event.action {
            case .wheelUp: overlay = .help(scroll: max(0, scroll - Self.wheelStep))
            case .wheelDown: overlay = .help(scroll: scroll + Self.wheelStep)
            // A click closes the help, as any key but the scrolling ones does.
            case .press: overlay = nil
            }
            return []
        case .confirm(let dialog)?:
            guard event.action == .press,
                let yes = ConfirmLayout(dialog, screenWidth: width, screenHeight: height)
                    .answer(row: event.row, column: event.column)
            else { return [] }
            return answer(dialog, yes: yes)
        case .failures(let cursor, let detail)?:
            return failuresMouse(event, cursor: cursor, detail: detail)
        case .findings(let cursor)?:
            return findingsMouse(event, cursor: cursor)
        case .changes(let preview, let cursor)?:
            return changesMouse(event, preview: preview, cursor: cursor)
        case .audit(let cursor)?:
            return auditMouse(event, cursor: cursor)
        case nil:
            break
        }
        if versions != nil { return versionsMouse(event) }
        if pane == .payload, payload != nil { return payloadMouse(event) }
        return listMouse(event)
    }

    /// The lists view: a click selects and focuses, a click on the focused pane's selected row
    /// does what Enter does (opens it, folds a category); the wheel scrolls the pane under the
    /// pointer without moving the focus.
    mutating func listMouse(_ event: MouseEvent) -> [BrowserEffect] {
        guard let spot = layout.listSpot(row: event.row, column: event.column) else { return [] }
        switch event.action {
        case .wheelUp: return wheel(spot.pane, by: -Self.wheelStep)
        case .wheelDown: return wheel(spot.pane, by: Self.wheelStep)
        case .press: break
        }
        message = nil
        // The title or the empty rows below the last one: only the focus moves.
        guard let visibleRow = spot.row, let index = listIndex(spot.pane, visibleRow: visibleRow) else {
            pane = spot.pane
            return []
        }
        if pane == spot.pane, index == cursor(of: spot.pane) {
            return activate()
        }
        pane = spot.pane
        return move(.rows(index - cursor(of: spot.pane)))
    }

    /// The payload view: a click moves the cursor to a line, a click on the cursor line folds
    /// or unfolds there (Enter); the wheel scrolls the document.
    mutating func payloadMouse(_ event: MouseEvent) -> [BrowserEffect] {
        switch event.action {
        case .wheelUp: return wheel(.payload, by: -Self.wheelStep)
        case .wheelDown: return wheel(.payload, by: Self.wheelStep)
        case .press: break
        }
        // With wrapping a line takes rows: any of them is the line.
        guard let visibleRow = layout.payloadRow(event.row), let current = payload,
            let line = current.line(atRow: visibleRow, payloadViewport)
        else { return [] }
        message = nil
        if line == current.cursor { return perform(.toggleFold) }
        payload?.cursor = line
        return []
    }

    /// The list row drawn at a visible row of a pane, when there is one.
    func listIndex(_ target: BrowserPane, visibleRow: Int) -> Int? {
        let index: Int
        let count: Int
        switch target {
        case .projects: (index, count) = (projects.top + visibleRow, projectEntryCount)
        case .apps: (index, count) = (apps.top + visibleRow, apps.rows.count)
        case .items: (index, count) = (items.top + visibleRow, items.rows.count)
        case .payload: return nil
        }
        return index < count ? index : nil
    }

    func cursor(of target: BrowserPane) -> Int {
        switch target {
        case .projects: return projects.cursor
        case .apps: return apps.cursor
        case .items: return items.cursor
        case .payload: return payload?.cursor ?? 0
        }
    }

    /// Scrolls a pane, focused or not; the selection moves with the rows, and a list whose
    /// selection nears the end of its pages asks for the next ones, as the keys do.
    mutating func wheel(_ target: BrowserPane, by delta: Int) -> [BrowserEffect] {
        message = nil
        let visible = layout.visibleRows(target)
        switch target {
        case .projects:
            reselect = nil
            let before = selectedProject
            projects.wheel(by: delta, count: projectEntryCount, visible: visible)
            return (selectedProject != before ? projectSelectionChanged() : []) + prefetch()
        case .apps:
            reselect = nil
            let before = selectedApp
            apps.wheel(by: delta, count: apps.rows.count, visible: visible)
            return (selectedApp != before ? appSelectionChanged() : []) + prefetch()
        case .items:
            reselect = nil
            items.wheel(by: delta, count: items.rows.count, visible: visible)
            return prefetch()
        case .payload:
            let viewport = payloadViewport
            payload?.wheel(by: delta, viewport)
            return []
        }
    }

    /// The sync failure list: a click selects a failure, a click on the selected one shows its
    /// details (Enter); the wheel moves through them, in the details too (j/k).
    mutating func failuresMouse(_ event: MouseEvent, cursor: Int, detail: Bool) -> [BrowserEffect] {
        let last = max(0, syncFailures.count - 1)
        switch event.action {
        case .wheelUp:
            overlay = .failures(cursor: max(0, cursor - 1), detail: detail)
        case .wheelDown:
            overlay = .failures(cursor: min(last, cursor + 1), detail: detail)
        case .press:
            guard !detail,
                let entry = BoxListLayout.failures(
                    count: syncFailures.count, cursor: min(cursor, last), screenWidth: width, screenHeight: height
                ).entry(row: event.row, column: event.column)
            else { return [] }
            overlay = .failures(cursor: entry, detail: entry == cursor)
        }
        return []
    }

    /// What Enter does on the selected row: open it, or on a category fold or unfold it.
    mutating func activate() -> [BrowserEffect] {
        if pane == .projects, case .project(let summary)? = selectedProject, Self.canFold(summary) {
            return toggleProjectFold()
        }
        return drillIn()
    }

    /// A dialog's answer, by key or by a click on its button.
    mutating func answer(_ dialog: ConfirmDialog, yes: Bool) -> [BrowserEffect] {
        overlay = nil
        if yes { return confirmed(dialog.purpose) }
        message = StatusMessage(Self.declined(dialog.purpose))
        return []
    }
}
