import Foundation
import JSONKit
import SodarCache
import StoreKernel

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
        guard payload.document != nil else { return }
        // Only the lines on screen are laid out: a frame costs what it shows.
        var row = top
        var line: Int? = payload.top
        while let index = line, row < top + height,
            let text = payload.text(
                ofLine: index,
                columns: state.payloadWrap ? screen.width * (top + height - row) : state.payloadShift + screen.width)
        {
            let rows = text.draw(
                row: row, maxRows: top + height - row, wrap: state.payloadWrap, shift: state.payloadShift, into: &screen)
            if index == payload.cursor {
                for y in row..<(row + rows) {
                    for x in 0..<screen.width {
                        var style = screen[y, x].style
                        style.reverse = true
                        screen.restyle(row: y, from: x, count: 1, style: style)
                    }
                }
            }
            row += max(1, rows)
            line = payload.nextVisible(after: index)
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

    /// The record's time field: what the time means on this store.
    static func timeLabel(_ ages: ItemAges) -> String {
        switch ages {
        case .lastWrite: return "Modified"
        case .creation: return "Created"
        case .commitTime: return "Written"
        }
    }

    static func drawRecord(_ state: BrowserState, _ payload: PayloadState, layout: BrowserLayout, into screen: inout Screen) {
        let summary = payload.summary
        let item = payload.item
        let top = layout.bodyTop
        let width = screen.width
        let label = CellStyle(.title, bold: true)
        // The item read for the payload holds SODAR's date_modified; the listing's time is the age.
        let modified = state.options.itemAges == .lastWrite ? item?.dateModified ?? summary.dateModified : summary.dateModified
        let stale = state.isStale(modified)
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
            field(4, Self.timeLabel(state.options.itemAges), BrowserFormat.exactTime(modified, timeZone: state.timeZone) + " (\(age))")
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
