import Foundation
import JSONKit
import SodarCache

extension BrowserView {
    static func drawPayload(_ state: BrowserState, _ payload: PayloadState, layout: BrowserLayout, into screen: inout Screen) {
        drawRecord(state, payload, layout: layout, into: &screen)
        let top = layout.payloadTop
        let height = layout.payloadHeight
        guard height > 0 else { return }
        if payload.loading {
            let size = BrowserFormat.size(payload.summary.size)
            placeholder("\(spinner(state)) preparing the payload (\(size))…", row: top, column: 0, width: screen.width, into: &screen)
            return
        }
        if let failure = payload.failure {
            screen.put("  " + failure, row: top, column: 0, style: CellStyle(.error, bold: true))
            return
        }
        guard let document = payload.document else { return }
        let lines = payload.visibleLines(count: height)
        for (i, lineIndex) in lines.enumerated() {
            drawPayloadLine(document, payload, lineIndex, row: top + i, width: screen.width, into: &screen)
        }
    }

    static func role(_ kind: JSONTokenKind) -> CellRole {
        switch kind {
        case .key: return .key
        case .string: return .string
        case .number: return .number
        case .literal: return .literal
        case .punctuation: return .punctuation
        }
    }

    static func drawPayloadLine(
        _ document: any PayloadDocument, _ payload: PayloadState, _ index: Int, row: Int, width: Int,
        into screen: inout Screen
    ) {
        let line = document.payloadLine(index)
        let fold = document.fold(openingAt: index)
        let folded = fold != nil && payload.isFolded(index)
        var column = 0
        let gutter = fold == nil ? "  " : (folded ? "▸ " : "▾ ")
        column += screen.put(gutter, row: row, column: column, style: CellStyle(.dim))
        column += screen.put(String(repeating: " ", count: line.indent), row: row, column: column)
        for segment in line.segments where column < width {
            column += screen.put(segment.text, row: row, column: column, style: CellStyle(role(segment.kind)))
        }
        if folded, let fold, column < width {
            let closing = document.payloadLine(fold.endLine).segments
                .map(\.text).joined().trimmingCharacters(in: .whitespaces)
            column += screen.put("…" + closing, row: row, column: column, style: CellStyle(.punctuation))
            let noun = fold.isArray ? (fold.childCount == 1 ? "item" : "items") : (fold.childCount == 1 ? "key" : "keys")
            column += screen.put("  \(fold.childCount) \(noun)", row: row, column: column, style: CellStyle(.dim))
        }
        if index == payload.cursor {
            for x in 0..<width {
                var style = screen[row, x].style
                style.reverse = true
                screen.restyle(row: row, from: x, count: 1, style: style)
            }
        }
    }

    static func drawRecord(_ state: BrowserState, _ payload: PayloadState, layout: BrowserLayout, into screen: inout Screen) {
        let summary = payload.summary
        let item = payload.item
        let top = layout.bodyTop
        let width = screen.width
        let label = CellStyle(.title, bold: true)
        let stale = state.isStale(item?.dateModified ?? summary.dateModified)
        let modified = item?.dateModified ?? summary.dateModified
        let age = BrowserFormat.age(of: modified, now: state.now)
        let user = item?.user?.username ?? summary.user ?? "-"
        let project = payload.projectTitle ?? (summary.project == nil ? "(site-wide)" : summary.project?.sodarString ?? "")
        let size = BrowserFormat.size(item?.size ?? summary.size)
        switch layout.recordHeight {
        case 6:
            func field(_ row: Int, _ name: String, _ value: String, column: Int = 0, maxWidth: Int? = nil) {
                screen.put(name.padded(to: 9), row: top + row, column: column + 1, style: label)
                screen.put(value, row: top + row, column: column + 11, maxWidth: maxWidth ?? (width - column - 11))
            }
            // The second column leaves room for a full UUID in the first.
            let half = min(max(width / 2, 49), width - 20)
            field(0, "Project", project)
            field(1, "App", summary.appName, maxWidth: half - 12)
            field(1, "User", user, column: half)
            field(2, "Name", summary.name)
            field(3, "UUID", summary.uuid.sodarString, maxWidth: half - 12)
            field(3, "Size", size, column: half)
            field(4, "Modified", BrowserFormat.exactTime(modified, timeZone: state.timeZone) + " (\(age))")
            if stale {
                screen.put(
                    staleMark + " stale", row: top + 4, column: width - 8, style: CellStyle(.stale, bold: true))
            }
            screen.put(String(repeating: "─", count: width), row: top + 5, column: 0, style: CellStyle(.dim))
        case 2:
            var column = 0
            if stale { column += screen.put(staleMark + " ", row: top, column: 0, style: CellStyle(.stale, bold: true)) }
            column += screen.put(summary.appName + " · ", row: top, column: column, style: label)
            screen.put("\(summary.name) · \(age) · \(size) · \(user)", row: top, column: column)
            screen.put(String(repeating: "─", count: width), row: top + 1, column: 0, style: CellStyle(.dim))
        default:
            break
        }
    }
}
