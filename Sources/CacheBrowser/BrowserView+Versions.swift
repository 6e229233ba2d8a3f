import Foundation
import JSONKit
import SodarCache
import StoreKernel

// `H`: the version list, and the diff of a version against the current payload.
extension BrowserView {
    static func drawVersions(_ state: BrowserState, _ versions: VersionsState, layout: BrowserLayout, into screen: inout Screen) {
        if let diff = versions.diff {
            drawDiff(state, versions, diff, layout: layout, into: &screen)
        } else {
            drawVersionList(state, versions, layout: layout, into: &screen)
        }
    }

    // MARK: - The list

    static func drawVersionList(_ state: BrowserState, _ versions: VersionsState, layout: BrowserLayout, into screen: inout Screen) {
        let top = layout.bodyTop
        let width = screen.width
        let item = versions.item
        let count = versions.rows.isEmpty ? "" : "\(versions.cursor + 1)/\(versions.rows.count)"
        paneTitle(
            "Versions · \(item.appName) · \(item.name)", count: count, focused: true, row: top, column: 0, width: width,
            into: &screen)
        let first = top + 1
        if versions.loading {
            placeholder("\(spinner(state)) reading the versions…", row: first, column: 0, width: width, into: &screen)
            return
        }
        if let failure = versions.failure {
            screen.put("  " + failure, row: first, column: 0, style: CellStyle(.error, bold: true))
            return
        }
        let visible = state.versionRowsVisible
        let shown = versions.rows.dropFirst(versions.top).prefix(visible)
        for (offset, row) in shown.enumerated() {
            let index = versions.top + offset
            let text = versionText(row, state: state, width: width)
            let selected = index == versions.cursor
            let style = selected ? CellStyle(.selected, bold: true, reverse: true) : CellStyle(row.ref == .current ? .accent : .normal)
            screen.fill(row: first + offset, from: 0, count: width, style: selected ? style : .normal)
            screen.put(text, row: first + offset, column: 0, style: style, maxWidth: width)
        }
        var noteRow = first + shown.count + (shown.isEmpty ? 0 : 1)
        for note in versions.notes.prefix(3) where noteRow < top + layout.bodyHeight {
            screen.put("  " + note, row: noteRow, column: 0, style: CellStyle(.dim), maxWidth: width)
            noteRow += 1
        }
    }

    /// " revision 3   2027-01-14 10:00  alice     120 B  replaced 2027-01-15 07:57".
    static func versionText(_ row: VersionRow, state: BrowserState, width: Int) -> String {
        let time = { (date: Date) in versionTime(date, timeZone: state.timeZone) }
        var text = " " + row.ref.label.padded(to: 12) + " " + time(row.written) + "  " + (row.user ?? "-").padded(to: 10)
            + " " + BrowserFormat.size(row.size).rightAligned(to: 8)
        switch row.ref {
        case .current:
            text += "  (" + BrowserFormat.age(of: row.written, now: state.now) + ")"
        case .revision:
            if let ended = row.ended { text += "  replaced " + time(ended) }
        case .trashed:
            if let ended = row.ended { text += "  deleted " + time(ended) }
            if let who = row.deletedBy { text += " by " + who }
            if let command = row.command { text += " (" + command + ")" }
        }
        return text
    }

    /// "2026-12-07 14:42:06" in the browser's time zone: versions written in one minute differ.
    static func versionTime(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let seconds = calendar.component(.second, from: date)
        return BrowserFormat.minuteTime(date, timeZone: timeZone) + (seconds < 10 ? ":0\(seconds)" : ":\(seconds)")
    }

    // MARK: - The diff

    static func drawDiff(
        _ state: BrowserState, _ versions: VersionsState, _ diff: DiffViewState, layout: BrowserLayout, into screen: inout Screen
    ) {
        let top = layout.bodyTop
        let width = screen.width
        let label = CellStyle(.title, bold: true)
        let item = versions.item
        let old = diff.version
        let oldText = "\(old.ref.label) · written \(versionTime(old.written, timeZone: state.timeZone))"
            + " by \(old.user ?? "-") · \(BrowserFormat.size(old.size))"
        let newText = "current · written \(versionTime(item.dateModified, timeZone: state.timeZone))"
            + " by \(item.user ?? "-") · \(BrowserFormat.size(item.size))"
        let summary = diff.lines?.summary ?? (diff.failure == nil ? "comparing…" : "")
        let notes = diff.lines?.notes ?? []
        switch layout.recordHeight {
        case 6:
            screen.put(" Diff     ", row: top, column: 0, style: label)
            screen.put(item.appName + " · " + item.name, row: top, column: 10, maxWidth: width - 10)
            screen.put(" Old    ", row: top + 1, column: 0, style: label)
            screen.put("-", row: top + 1, column: 8, style: CellStyle(.removed, bold: true))
            screen.put(oldText, row: top + 1, column: 10, maxWidth: width - 10)
            screen.put(" New    ", row: top + 2, column: 0, style: label)
            screen.put("+", row: top + 2, column: 8, style: CellStyle(.added, bold: true))
            screen.put(newText, row: top + 2, column: 10, maxWidth: width - 10)
            screen.put(" " + summary, row: top + 3, column: 0, style: CellStyle(.normal, bold: true), maxWidth: width)
            if !notes.isEmpty {
                let more = notes.count > 1 ? " (+\(notes.count - 1) more)" : ""
                screen.put(" ! " + notes[0] + more, row: top + 4, column: 0, style: CellStyle(.stale), maxWidth: width)
            }
            screen.put(String(repeating: "─", count: width), row: top + 5, column: 0, style: CellStyle(.dim))
        case 2:
            var column = screen.put("-", row: top, column: 0, style: CellStyle(.removed, bold: true))
            column += screen.put(old.ref.label + " ", row: top, column: column, style: label)
            column += screen.put("+", row: top, column: column, style: CellStyle(.added, bold: true))
            column += screen.put("current · ", row: top, column: column, style: label)
            screen.put(summary + (notes.isEmpty ? "" : " · !" + notes[0]), row: top, column: column, maxWidth: width - column)
            screen.put(String(repeating: "─", count: width), row: top + 1, column: 0, style: CellStyle(.dim))
        default:
            break
        }
        let first = layout.payloadTop
        let height = layout.payloadHeight
        guard height > 0 else { return }
        if diff.loading {
            placeholder("\(spinner(state)) comparing \(old.ref.label) with the current payload…", row: first, column: 0, width: width, into: &screen)
            return
        }
        if let failure = diff.failure {
            screen.put("  " + failure, row: first, column: 0, style: CellStyle(.error, bold: true), maxWidth: width)
            return
        }
        guard let lines = diff.lines else { return }
        if lines.isEqual {
            screen.put("  " + lines.summary, row: first, column: 0, style: CellStyle(.accent, bold: true), maxWidth: width)
            for (offset, note) in notes.prefix(max(0, height - 1)).enumerated() {
                screen.put("  ! " + note, row: first + 1 + offset, column: 0, style: CellStyle(.stale), maxWidth: width)
            }
            return
        }
        for offset in 0..<height {
            let index = diff.top + offset
            guard lines.rows.indices.contains(index) else { break }
            drawDiffRow(lines.rows[index], row: first + offset, cursor: index == diff.cursor, shift: diff.shift, into: &screen)
        }
    }

    /// A row of the diff, shifted sideways by `shift` columns as the payload's lines are: a dim
    /// `‹` after the sign says it was scrolled from the left, a dim `›` in the last column
    /// that it goes on. Folds stay where they are.
    static func drawDiffRow(_ diffRow: DiffRow, row: Int, cursor: Bool, shift: Int, into screen: inout Screen) {
        let width = screen.width
        switch diffRow.kind {
        case .fold, .cut:
            screen.put("  " + diffRow.text, row: row, column: 0, style: CellStyle(.dim))
        case .context, .added, .removed:
            let sign: (String, CellRole) =
                diffRow.kind == .added ? ("+", .added) : diffRow.kind == .removed ? ("-", .removed) : (" ", .normal)
            screen.put(sign.0, row: row, column: 0, style: CellStyle(sign.1, bold: true))
            let more = diffRow.payloadText.shifted(width: width, shift: shift) { piece in
                let style = CellStyle(piece.role, bold: piece.emphasis, underline: piece.emphasis)
                screen.put(String(piece.text), row: row, column: piece.column, style: style)
            }
            let mark = CellStyle(.dim)
            if shift > 0 { screen.put("‹", row: row, column: 1, style: mark) }
            if more { screen.put("›", row: row, column: width - 1, style: mark) }
        }
        if cursor {
            for x in 0..<width {
                var style = screen[row, x].style
                style.reverse = true
                screen.restyle(row: row, from: x, count: 1, style: style)
            }
        }
    }

    /// The status line's text in the diff: the current change and its path.
    static func diffStatus(_ state: BrowserState) -> String? {
        guard let diff = state.versions?.diff, let lines = diff.lines, let change = diff.currentChange,
            lines.paths.indices.contains(change)
        else { return nil }
        return "Change \(change + 1)/\(lines.paths.count) \(lines.paths[change])"
    }
}
