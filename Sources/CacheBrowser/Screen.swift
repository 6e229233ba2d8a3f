import Foundation
import JSONKit

/// What a cell means; the terminal layer maps roles to colours or, under `NO_COLOR`, to attributes.
public enum CellRole: UInt8, Sendable, Hashable, CaseIterable {
    case normal, header, title, selected, key, string, number, literal, punctuation
    case stale, dim, error, category, accent
}

/// How one cell is drawn.
public struct CellStyle: Sendable, Hashable {
    public var role: CellRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ role: CellRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let normal = CellStyle()
}

/// One terminal cell: a grapheme and the columns it takes. The cell after a wide character
/// has width 0 and an empty text; the terminal layer skips it.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var width: UInt8
    public var style: CellStyle

    public init(text: String, width: UInt8, style: CellStyle) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell(text: " ", width: 1, style: .normal)
}

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

extension String {
    /// Pads or cuts to exactly `columns` terminal columns (left-aligned).
    func padded(to columns: Int) -> String {
        let safe = Display.escape(self)
        let w = Display.width(safe)
        if w <= columns { return safe + String(repeating: " ", count: columns - w) }
        return safe.cut(to: columns)
    }

    /// Right-aligned in `columns` terminal columns.
    func rightAligned(to columns: Int) -> String {
        let safe = Display.escape(self)
        let w = Display.width(safe)
        if w <= columns { return String(repeating: " ", count: columns - w) + safe }
        return safe.cut(to: columns)
    }

    /// Cut to at most `columns` columns, ending in `…` when cut, padded to exactly `columns`.
    func cut(to columns: Int) -> String {
        guard columns > 0 else { return "" }
        var out = ""
        var used = 0
        for character in self {
            let w = Display.width(String(character))
            if used + w > columns - 1 { break }
            out.append(character)
            used += w
        }
        out += String(repeating: " ", count: max(0, columns - 1 - used)) + "…"
        return out
    }

    /// Padded to exactly `columns`, or cut in the middle (`irods/rows/1f12…9c0a`) when too wide:
    /// item names share long prefixes and differ at their ends.
    func middleCut(to columns: Int) -> String {
        let safe = Display.escape(self)
        let width = Display.width(safe)
        if width <= columns { return safe + String(repeating: " ", count: columns - width) }
        guard columns >= 8 else { return safe.cut(to: columns) }
        let room = columns - 1
        var head = ""
        var headWidth = 0
        for character in safe {
            let w = Display.width(String(character))
            if headWidth + w > room * 3 / 5 { break }
            head.append(character)
            headWidth += w
        }
        var tail: [Character] = []
        var tailWidth = 0
        for character in safe.reversed() {
            let w = Display.width(String(character))
            if headWidth + tailWidth + w > room { break }
            tail.append(character)
            tailWidth += w
        }
        let used = headWidth + 1 + tailWidth
        return head + "…" + String(tail.reversed()) + String(repeating: " ", count: max(0, columns - used))
    }
}
