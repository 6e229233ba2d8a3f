import Foundation
import JSONKit
import SodarCache

// Keys: overlays and prompts take them first, then the key map turns them into intents.
extension BrowserState {
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
        if case .findings(let cursor) = overlay { return handleFindings(cursor: cursor, key: key) }
        if versions != nil { return handleVersions(key: key) }
        if case .changes(let preview, let cursor) = overlay { return handleChanges(preview: preview, cursor: cursor, key: key) }
        if case .audit(let cursor) = overlay { return handleAudit(cursor: cursor, key: key) }
        if key == .escape, pane == .payload, payload?.searching != nil {
            return cancelSearch()
        }
        guard let intent = keyMap.intent(for: key, in: keyContext) else {
            return []
        }
        // Enter on a category folds it (l and → still open its apps).
        if key == .enter, intent == .drillIn { return activate() }
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
            guard !text.isEmpty else { return [] }
            return startSearch(prompt.text, forward: true, skipCurrent: false)
        case .saveJSON:
            guard let uuid = payload?.item?.uuid else { return [] }
            return [.saveJSON(SaveRequest(
                    uuid: uuid, path: text.isEmpty ? nil : text, storePath: options.storePath))]
        }
    }
}
