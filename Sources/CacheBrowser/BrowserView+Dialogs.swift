import Foundation
import JSONKit

extension BrowserView {
    /// Splits text into lines of at most `width` columns (at spaces when it can).
    static func wrap(_ text: String, width: Int) -> [String] {
        // Indentation (stderr lines, lists) stays on the first line.
        let indent = String(text.prefix { $0 == " " })
        if !indent.isEmpty, indent.count < width {
            return wrap(String(text.dropFirst(indent.count)), width: width - indent.count).map { indent + $0 }
        }
        let width = max(1, width)
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in Display.escape(text).split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let w = Display.width(word)
            if currentWidth > 0, currentWidth + 1 + w <= width {
                current += " " + word
                currentWidth += 1 + w
                continue
            }
            if currentWidth > 0 {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            // A word wider than the line is cut into pieces.
            var piece = ""
            var pieceWidth = 0
            for character in word {
                let cw = Display.width(String(character))
                if pieceWidth + cw > width, !piece.isEmpty {
                    lines.append(piece)
                    piece = ""
                    pieceWidth = 0
                }
                piece.append(character)
                pieceWidth += cw
            }
            current = piece
            currentWidth = pieceWidth
        }
        lines.append(current)
        return lines
    }

    /// A bordered box centred on the screen, cleared inside; returns its left column, top row,
    /// inner width and inner height.
    @discardableResult
    static func drawBox(
        title: String, width: Int, height: Int, into screen: inout Screen
    ) -> (left: Int, top: Int, innerWidth: Int, innerHeight: Int) {
        let frame = BoxFrame(width: width, height: height, screenWidth: screen.width, screenHeight: screen.height)
        drawBox(title: title, frame: frame, into: &screen)
        return (frame.left, frame.top, frame.innerWidth, frame.innerHeight)
    }

    static func drawBox(title: String, frame: BoxFrame, into screen: inout Screen) {
        let (left, top, boxWidth, boxHeight) = (frame.left, frame.top, frame.width, frame.height)
        let border = CellStyle(.title, bold: true)
        screen.put("┌" + String(repeating: "─", count: boxWidth - 2) + "┐", row: top, column: left, style: border)
        screen.put(" " + title + " ", row: top, column: left + 2, style: border, maxWidth: boxWidth - 4)
        for row in (top + 1)..<(top + boxHeight - 1) {
            screen.put("│", row: row, column: left, style: border)
            screen.fill(row: row, from: left + 1, count: boxWidth - 2)
            screen.put("│", row: row, column: left + boxWidth - 1, style: border)
        }
        screen.put(
            "└" + String(repeating: "─", count: boxWidth - 2) + "┘", row: top + boxHeight - 1, column: left, style: border)
    }

    // MARK: - Confirmation

    static func drawConfirm(_ dialog: ConfirmDialog, into screen: inout Screen) {
        // The same numbers as a click's hit-test.
        let layout = ConfirmLayout(dialog, screenWidth: screen.width, screenHeight: screen.height)
        let box = layout.box
        drawBox(title: dialog.title, frame: box, into: &screen)
        let isDelete: Bool
        if case .delete = dialog.purpose { isDelete = true } else { isDelete = false }
        for (i, line) in layout.shown.enumerated() {
            var style = isDelete && i == 0 ? CellStyle(.error, bold: true) : CellStyle.normal
            if i > 0 && line == ConfirmLayout.cutMark { style = CellStyle(.dim) }
            screen.put(line, row: box.top + 2 + i, column: box.left + 2, style: style, maxWidth: box.innerWidth)
        }
        screen.put(
            ConfirmLayout.noLabel, row: layout.buttonsRow, column: layout.noColumns.lowerBound,
            style: CellStyle(.key, bold: true, reverse: !dialog.yesSelected))
        screen.put(
            ConfirmLayout.yesLabel, row: layout.buttonsRow, column: layout.yesColumns.lowerBound,
            style: CellStyle(isDelete ? .error : .key, bold: true, reverse: dialog.yesSelected))
        screen.put(
            "y yes · n/Esc no · ←/→ choose · Enter", row: layout.hintRow, column: box.left + 2,
            style: CellStyle(.dim), maxWidth: box.innerWidth)
    }

    // MARK: - Sync failures

    static func drawFailures(_ state: BrowserState, cursor: Int, detail: Bool, into screen: inout Screen) {
        let failures = state.syncFailures
        guard !failures.isEmpty else { return }
        let index = min(max(0, cursor), failures.count - 1)
        let boxWidth = min(screen.width - 2, 96)
        let textWidth = max(1, boxWidth - 4)
        if detail {
            let lines = failures[index].detailLines.flatMap { wrap($0, width: textWidth) }
            let box = drawBox(
                title: "Failure \(index + 1)/\(failures.count) (Esc: back, j/k: other failures)", width: boxWidth,
                height: lines.count + 2, into: &screen)
            for (i, line) in lines.prefix(box.innerHeight).enumerated() {
                screen.put(line, row: box.top + 1 + i, column: box.left + 2, maxWidth: box.innerWidth)
            }
            return
        }
        // The same numbers as a click's hit-test.
        let layout = BoxListLayout.failures(
            count: failures.count, cursor: index, screenWidth: screen.width, screenHeight: screen.height)
        let box = layout.box
        drawBox(title: "Sync failures: \(failures.count) (Enter: details, Esc: close)", frame: box, into: &screen)
        for i in 0..<min(layout.visible, failures.count) {
            let entry = layout.top + i
            guard entry < failures.count else { break }
            let row = layout.row(i)
            screen.put(failures[entry].summary, row: row, column: box.left + 2, maxWidth: box.innerWidth)
            if entry == index {
                for x in (box.left + 1)..<(box.left + 3 + box.innerWidth) {
                    var style = screen[row, x].style
                    style.reverse = true
                    screen.restyle(row: row, from: x, count: 1, style: style)
                }
            }
        }
    }
}
