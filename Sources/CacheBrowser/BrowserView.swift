import Foundation
import JSONKit
import SodarCache

/// Draws a `BrowserState` into a `Screen`. Pure: the same state gives the same screen.
public enum BrowserView {
    static let spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    static let staleMark = "!"
    static let markedMark = "*"

    /// The whole screen for a state at its size.
    public static func render(_ state: BrowserState) -> Screen {
        var screen = Screen(width: state.width, height: state.height)
        let layout = state.layout
        if layout.tooSmall {
            screen.put(
                "terminal too small (need \(BrowserLayout.minimumWidth)x\(BrowserLayout.minimumHeight))",
                row: 0, column: 0, style: CellStyle(.error, bold: true))
            return screen
        }
        drawHeader(state, into: &screen)
        if let versions = state.versions {
            drawVersions(state, versions, layout: layout, into: &screen)
        } else if state.pane == .payload, let payload = state.payload {
            drawPayload(state, payload, layout: layout, into: &screen)
        } else {
            drawLists(state, layout: layout, into: &screen)
        }
        if let progress = state.progressLine, layout.hasProgressLine {
            screen.put(spinner(state) + " " + progress, row: layout.progressRow, column: 0, style: CellStyle(.accent))
        }
        drawStatus(state, layout: layout, into: &screen)
        drawHints(state, layout: layout, into: &screen)
        switch state.overlay {
        case .help(let scroll)?: drawHelp(state, scroll: scroll, into: &screen)
        case .confirm(let dialog)?: drawConfirm(dialog, into: &screen)
        case .failures(let cursor, let detail)?: drawFailures(state, cursor: cursor, detail: detail, into: &screen)
        case .findings(let cursor)?: drawFindings(state, cursor: cursor, into: &screen)
        case .changes(let preview, let cursor)?: drawChanges(state, preview: preview, cursor: cursor, into: &screen)
        case .audit(let cursor)?: drawAudit(state, cursor: cursor, into: &screen)
        case nil: break
        }
        return screen
    }

    static func spinner(_ state: BrowserState) -> String {
        let frame = Int((state.now.timeIntervalSinceReferenceDate * 10).rounded(.down))
        return spinnerFrames[((frame % spinnerFrames.count) + spinnerFrames.count) % spinnerFrames.count]
    }

    // MARK: - Header, status, hints

    static func drawHeader(_ state: BrowserState, into screen: inout Screen) {
        // A profile's colour paints the whole bar (production at a glance, as k9s colours its
        // contexts); the terminal layer draws it in reverse video under NO_COLOR.
        let role: CellRole = state.options.banner == nil ? .header : .banner
        let style = CellStyle(role, reverse: role == .header)
        let strong = CellStyle(role, bold: true, reverse: role == .header)
        screen.fill(row: 0, from: 0, count: screen.width, style: style)
        var column = screen.put(" sodarcache ", row: 0, column: 0, style: strong)
        if let title = state.options.profileTitle {
            column += screen.put("· " + title + " ", row: 0, column: column, style: strong, maxWidth: screen.width / 3)
        }
        var totalsText = ""
        if let totals = state.totals {
            totalsText = BrowserFormat.counted(totals.projects, "project") + " · "
                + BrowserFormat.counted(totals.categories, "category", plural: "categories") + " · "
                + (totals.estimated ? "~" : "") + BrowserFormat.counted(totals.items, "item") + " · "
                + (totals.estimated ? "~" : "") + BrowserFormat.size(totals.bytes)
            if totals.siteItems > 0 { totalsText += " · \(BrowserFormat.count(totals.siteItems)) site-wide" }
            totalsText += " "
        }
        // What the session may do, when it is less than everything: before the path and the
        // totals, which are cut first. On a hot standby, that it is one and how far behind
        // (which says read-only too).
        let capabilities = state.options.capabilities
        let may: String
        if let standby = state.standby {
            may = "[\(BrowserFormat.standby(standby))] "
        } else {
            may = capabilities.canWrite && capabilities.canDelete ? "" : "[\(capabilities.summary)] "
        }
        let totalsWidth = Display.width(totalsText)
        if !may.isEmpty && column + Display.width(may) <= screen.width {
            column += screen.put(may, row: 0, column: column, style: strong)
        }
        let pathRoom = screen.width - column - totalsWidth - 1
        if pathRoom >= 8 {
            column += screen.put(state.options.storePath, row: 0, column: column, style: style, maxWidth: pathRoom)
            screen.put(totalsText, row: 0, column: screen.width - totalsWidth, style: style)
        } else {
            screen.put(totalsText, row: 0, column: column, style: style)
        }
    }

    static func drawStatus(_ state: BrowserState, layout: BrowserLayout, into screen: inout Screen) {
        let row = layout.statusRow
        if let prompt = state.prompt {
            var column = screen.put(prompt.label, row: row, column: 0, style: CellStyle(.key, bold: true))
            // Show the end of a long answer.
            let room = screen.width - column - 1
            var text = Display.escape(prompt.text)
            while Display.width(text) > room, !text.isEmpty { text.removeFirst() }
            // An old value that typing replaces shows selected.
            column += screen.put(text, row: row, column: column, style: prompt.selected ? CellStyle(.accent, reverse: true) : .normal)
            screen.put("█", row: row, column: column, style: CellStyle(.accent))
            return
        }
        var right = ""
        if state.projects.loading || state.apps.loading || state.items.loading || state.payload?.loading == true
            || state.versions?.loading == true || state.versions?.diff?.loading == true
        {
            right = spinner(state) + " loading "
        }
        let rightWidth = Display.width(right)
        let room = screen.width - rightWidth
        if let message = state.message {
            screen.put(
                message.text, row: row, column: 0,
                style: message.isError ? CellStyle(.error, bold: true) : CellStyle(.normal), maxWidth: room)
        } else if state.versions != nil {
            if let text = diffStatus(state) { screen.put(text, row: row, column: 0, style: CellStyle(.accent), maxWidth: room) }
        } else if state.pane == .payload, let payload = state.payload, let document = payload.document,
            document.lineCount > 0
        {
            screen.put(document.path(ofLine: payload.cursor), row: row, column: 0, style: CellStyle(.accent), maxWidth: room)
        }
        if !right.isEmpty { screen.put(right, row: row, column: room, style: CellStyle(.dim)) }
    }

    static func drawHints(_ state: BrowserState, layout: BrowserLayout, into screen: inout Screen) {
        let row = layout.hintRow
        let context = state.keyContext
        var column = 0
        for (intent, label) in state.keyMap.hints[context] ?? [] {
            guard let key = state.keyMap.keys(for: intent, in: context).first else { continue }
            let keyText = key.label
            let need = Display.width(keyText) + 1 + Display.width(label) + 2
            if column + need > screen.width { break }
            column += screen.put(keyText, row: row, column: column, style: CellStyle(.key, bold: true))
            column += screen.put(" " + label + "  ", row: row, column: column, style: CellStyle(.dim))
        }
    }

    // MARK: - Help overlay

    /// The help overlay's lines: every binding of the key map, by context, then the mouse.
    /// - Parameter mouse: whether clicks and the wheel are read (not `--no-mouse`).
    public static func helpLines(_ keyMap: KeyMap, mouse: Bool = true) -> [String] {
        var lines: [String] = []
        for context in KeyContext.allCases {
            let bindings = keyMap.bindings.filter { $0.context == context }
            guard !bindings.isEmpty else { continue }
            if !lines.isEmpty { lines.append("") }
            lines.append(context.title)
            for binding in bindings {
                let keys = binding.keys.map(\.label).joined(separator: " ")
                lines.append("  " + keys.padded(to: 22) + " " + binding.intent.summary)
            }
        }
        lines.append("")
        lines.append("Mouse")
        // Each line fits the box of an 80-column terminal.
        if mouse {
            lines += [
                "  " + "click".padded(to: 22) + " select a row and focus its pane",
                "  " + "click the selected row".padded(to: 22) + " open it (as Enter)",
                "  " + "click (payload)".padded(to: 22) + " move the cursor there; on the cursor line: fold",
                "  " + "click a button".padded(to: 22) + " answer the question",
                "  " + "wheel".padded(to: 22) + " scroll the pane under the pointer",
                "  " + "Shift-drag".padded(to: 22) + " select text (the terminal's own selection)",
                "  " + "--no-mouse".padded(to: 22) + " mouse off (config: [browser] mouse = false)",
            ]
        } else {
            lines.append("  off (--no-mouse, or mouse = false under [browser] in the config)")
        }
        return lines
    }

    static func drawHelp(_ state: BrowserState, scroll: Int, into screen: inout Screen) {
        let lines = helpLines(state.keyMap, mouse: state.options.mouse)
        // As wide as the longest description needs, when the terminal has the room.
        let widest = lines.map(Display.width).max() ?? 0
        let boxWidth = min(screen.width - 2, max(72, widest + 4))
        let boxHeight = min(screen.height - 2, lines.count + 2)
        let left = (screen.width - boxWidth) / 2
        let topRow = (screen.height - boxHeight) / 2
        let inner = boxHeight - 2
        let maxScroll = max(0, lines.count - inner)
        let offset = min(scroll, maxScroll)
        let border = CellStyle(.title, bold: true)
        let title = " Keys (Esc closes\(maxScroll > 0 ? ", j/k scroll" : "")) "
        screen.put("┌" + String(repeating: "─", count: boxWidth - 2) + "┐", row: topRow, column: left, style: border)
        screen.put(title, row: topRow, column: left + 2, style: border, maxWidth: boxWidth - 4)
        for i in 0..<inner {
            let row = topRow + 1 + i
            screen.put("│", row: row, column: left, style: border)
            screen.fill(row: row, from: left + 1, count: boxWidth - 2)
            let index = offset + i
            if index < lines.count {
                let line = lines[index]
                let isSection = !line.hasPrefix(" ") && !line.isEmpty
                screen.put(
                    line, row: row, column: left + 2, style: isSection ? CellStyle(.key, bold: true) : .normal,
                    maxWidth: boxWidth - 4)
            }
            screen.put("│", row: row, column: left + boxWidth - 1, style: border)
        }
        screen.put(
            "└" + String(repeating: "─", count: boxWidth - 2) + "┘", row: topRow + boxHeight - 1, column: left,
            style: border)
    }
}
