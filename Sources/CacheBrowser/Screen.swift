import Foundation
import JSONKit

/// A grid of cells: what `view` renders and the terminal draws.
public struct Screen: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at (row, column).
    public subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Writes text at (row, column), escaped for the terminal and cut to `maxWidth` columns
    /// (with `…` when cut). - Returns: the columns written.
    @discardableResult
    public mutating func put(
        _ text: String, row: Int, column: Int, style: CellStyle = .normal, maxWidth: Int? = nil
    ) -> Int {
        guard row >= 0, row < height, column >= 0, column < width else { return 0 }
        let limit = min(width - column, maxWidth ?? Int.max)
        guard limit > 0 else { return 0 }
        let safe = Display.escape(text)
        let needsCut = Display.width(safe) > limit
        let budget = needsCut ? limit - 1 : limit
        var col = column
        var used = 0
        for character in safe {
            let string = String(character)
            let w = Display.width(of: character)
            if w == 0 {
                // A lone combining mark or zero-width scalar: attach to the previous cell.
                if col > column {
                    var back = row * width + col - 1
                    if cells[back].width == 0, back > row * width { back -= 1 }
                    cells[back].text += string
                }
                continue
            }
            if used + w > budget { break }
            release(row: row, column: col)
            if w == 2 { release(row: row, column: col + 1) }
            cells[row * width + col] = Cell(text: string, width: UInt8(w), style: style)
            if w == 2 {
                cells[row * width + col + 1] = Cell(text: "", width: 0, style: style)
            }
            col += w
            used += w
        }
        if needsCut {
            if used < limit - 1 {
                // A wide character did not fit: pad so the ellipsis stays at the edge.
                fill(row: row, from: col, count: limit - 1 - used, style: style)
                col += limit - 1 - used
                used = limit - 1
            }
            release(row: row, column: col)
            cells[row * width + col] = Cell(text: "…", width: 1, style: style)
            used += 1
        }
        return used
    }

    /// Fills `count` cells of a row with spaces in a style.
    public mutating func fill(row: Int, from column: Int, count: Int, style: CellStyle = .normal) {
        guard row >= 0, row < height else { return }
        let start = max(0, column)
        let end = min(width, column + count)
        guard start < end else { return }
        for col in start..<end {
            release(row: row, column: col)
            cells[row * width + col] = Cell(text: " ", width: 1, style: style)
        }
    }

    /// Before the cell at (row, column) is overwritten: the wide character it is one half of
    /// becomes blank, so that no half of it is left (a dialog's border drawn over the right
    /// half of `東` left a cell claiming two columns beside the border; found by fuzzing).
    private mutating func release(row: Int, column: Int) {
        let index = row * width + column
        if cells[index].width == 0, column > 0, cells[index - 1].width == 2 {
            cells[index - 1] = Cell(text: " ", width: 1, style: cells[index - 1].style)
        } else if cells[index].width == 2, column + 1 < width, cells[index + 1].width == 0 {
            cells[index + 1] = Cell(text: " ", width: 1, style: cells[index + 1].style)
        }
    }

    /// Restyles `count` cells of a row, keeping their text.
    public mutating func restyle(row: Int, from column: Int, count: Int, style: CellStyle) {
        guard row >= 0, row < height else { return }
        let start = max(0, column)
        let end = min(width, column + count)
        guard start < end else { return }
        for col in start..<end { cells[row * width + col].style = style }
    }

    /// The screen as plain text, one line per row, trailing spaces removed (for tests and logs).
    public var text: String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for row in 0..<height {
            var line = ""
            for col in 0..<width {
                let cell = cells[row * width + col]
                if cell.width > 0 { line += cell.text }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
