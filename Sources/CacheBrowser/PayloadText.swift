import JSONKit

/// A payload line as the view draws it: the fold mark, the indent and coloured runs (with a
/// folded container's closing bracket and child count), laid out either wrapped to the pane's
/// width or shifted sideways and cut at the pane's edges. Only lines on screen are ever laid
/// out, and a layout stops at the pane's last row or column: a huge line is not measured whole.
public struct PayloadText: Sendable {
    /// Text in one colour.
    public struct Run: Sendable, Hashable {
        public var text: String
        public var role: CellRole
        /// Key and string text: a backslash escape (`\u001b`) is cut whole or not at all.
        public var escapes: Bool
        /// A diff's changed part of a string (drawn bold and underlined).
        public var emphasis = false
    }

    /// A piece of text placed at a row (of the line) and a column (of the pane).
    public struct Placed: Sendable, Hashable {
        public var text: Substring
        public var role: CellRole
        public var row: Int
        public var column: Int
        /// Its run's `emphasis`.
        public var emphasis = false
    }

    /// The fold mark and a space before every line.
    public static let gutterWidth = 2

    /// `▸ ` folded, `▾ ` unfolded, blank when nothing opens on the line.
    public var gutter: String
    public var indent: Int
    public var runs: [Run]
    /// How many of the first runs are the key and `": "`: wrapped rows go under what follows.
    public var keyRuns: Int
    /// Only the line's start was read: it goes on past the runs.
    public var isCut: Bool

    /// Line `index` of a document; `folded`: whether a container opening on it is folded;
    /// `columns`: how much of it can be shown at most (a long line is read no further).
    public init(_ document: any PayloadDocument, line index: Int, folded: Bool, columns: Int = .max) {
        // A column takes at most 4 bytes of UTF-8 (an escape such as \u001b takes more columns
        // than bytes); the slack covers the key and punctuation.
        let maxBytes = columns >= Int.max / 8 ? Int.max : 4 * max(0, columns) + 64
        let line = document.payloadLine(index, maxBytes: maxBytes)
        isCut = line.isCut
        let fold = document.fold(openingAt: index)
        let isFolded = fold != nil && folded
        gutter = fold == nil ? "  " : (isFolded ? "▸ " : "▾ ")
        indent = line.indent
        runs = line.segments.map {
            Run(text: $0.text, role: BrowserView.role($0.kind), escapes: $0.kind == .key || $0.kind == .string)
        }
        keyRuns = line.segments.first?.kind == .key ? min(2, runs.count) : 0
        if isFolded, let fold {
            let closing = document.payloadLine(fold.endLine).segments
                .map(\.text).joined().trimmingCharacters(in: .whitespaces)
            runs.append(Run(text: "…" + closing, role: .punctuation, escapes: false))
            let noun = fold.isArray ? (fold.childCount == 1 ? "item" : "items") : (fold.childCount == 1 ? "key" : "keys")
            runs.append(Run(text: "  \(fold.childCount) \(noun)", role: .dim, escapes: false))
        }
    }

    /// A line given as its runs, with no fold mark and nothing cut off (a diff's row).
    init(indent: Int, runs: [Run]) {
        gutter = "  "
        self.indent = indent
        self.runs = runs
        keyRuns = 0
        isCut = false
    }

    // MARK: - Measuring

    /// Columns of the text after the fold mark (indent included), counted no further than `limit`.
    public func columns(upTo limit: Int) -> Int {
        var total = indent
        for run in runs where total < limit {
            total += Display.columns(of: run.text, upTo: limit - total)
        }
        return total
    }

    /// Where wrapped text starts in a pane `width` wide: the first row after the indent, the
    /// others under the value (after `"key": `). Both leave at least `room` columns, so that a deep
    /// indent or a long key in a narrow pane still leaves a row something to show.
    func wrapColumns(width: Int) -> (first: Int, next: Int) {
        let room = max(1, min(20, width / 2))
        let limit = max(0, width - room)
        var hang = 0
        for run in runs.prefix(keyRuns) { hang += Display.columns(of: run.text, upTo: width) }
        let first = Self.gutterWidth + indent
        return (min(first, limit), min(first + hang, limit))
    }

    /// The number of rows the line takes wrapped to `width`, counted no further than `limit`.
    public func rowCount(width: Int, limit: Int) -> Int {
        wrapped(width: width, maxRows: max(1, limit)) { _ in }.rows
    }

    // MARK: - Laying out

    /// Lays the line out in rows of `width` columns (see `wrapColumns`), stopping after `maxRows`.
    /// A piece that does not fit the rest of a row starts the next one.
    /// - Returns: the rows taken, and whether the line goes on past the last of them.
    @discardableResult
    public func wrapped(width: Int, maxRows: Int, place: (Placed) -> Void) -> (rows: Int, cut: Bool) {
        guard width > 0, maxRows > 0 else { return (0, true) }
        let (first, next) = wrapColumns(width: width)
        var row = 0
        var column = first
        var cut = false
        func put(_ text: Substring, _ columns: Int, _ role: CellRole) -> Bool {
            if column + columns > width {
                guard row + 1 < maxRows else {
                    cut = true
                    return false
                }
                row += 1
                column = next
            }
            place(Placed(text: text, role: role, row: row, column: column))
            column += columns
            return true
        }
        for run in runs {
            Display.forEachUnit(of: run.text, escapes: run.escapes) { unit, columns in
                if columns == 0 { return true }
                if columns <= width - next { return put(unit, columns, run.role) }
                // Wider than a wrapped row (a pane a few columns wide): an escape goes character
                // by character; a wide character that can never fit shows as a dim `…`.
                for character in unit.indices {
                    let text = unit[character...character]
                    let fits = Display.width(of: unit[character]) <= width - next
                    guard put(fits ? text : "…", fits ? Display.width(of: unit[character]) : 1, fits ? run.role : .dim)
                    else { return false }
                }
                return true
            }
            if cut { break }
        }
        return (row + 1, cut || isCut)
    }

    /// Lays the line out in one row of `width` columns, from text column `shift` (0: the start of
    /// the indent) on. A piece cut by either edge is left out, and the last column is kept for
    /// the mark when the line goes on.
    /// - Returns: whether the line goes on to the right of the pane.
    @discardableResult
    public func shifted(width: Int, shift: Int, place: (Placed) -> Void) -> Bool {
        let room = width - Self.gutterWidth
        guard room > 0 else { return true }
        var position = indent
        var shown: [(Placed, end: Int)] = []
        var more = false
        for run in runs {
            Display.forEachUnit(of: run.text, escapes: run.escapes) { unit, columns in
                if columns == 0 { return true }
                let start = position
                position += columns
                if position > shift + room {
                    more = true
                    return false
                }
                if start >= shift {
                    shown.append((
                        Placed(text: unit, role: run.role, row: 0, column: Self.gutterWidth + start - shift, emphasis: run.emphasis),
                        position - shift
                    ))
                }
                return true
            }
            if more { break }
        }
        more = more || isCut
        for (piece, end) in shown where !more || end <= room - 1 { place(piece) }
        return more
    }

    // MARK: - Drawing

    /// Draws the line from `row`: wrapped to the screen's width in at most `maxRows` rows, or
    /// shifted by `shift` columns in one row. A dim `‹` after the fold mark says the line was
    /// scrolled from the left; a dim `›` in the last column says it goes on.
    /// - Returns: the rows drawn.
    @discardableResult
    public func draw(row: Int, maxRows: Int, wrap: Bool, shift: Int, into screen: inout Screen) -> Int {
        let width = screen.width
        guard maxRows > 0, width > 0 else { return 0 }
        let mark = CellStyle(.dim)
        if wrap {
            let (rows, cut) = wrapped(width: width, maxRows: maxRows) { piece in
                screen.put(String(piece.text), row: row + piece.row, column: piece.column, style: CellStyle(piece.role))
            }
            if wrapColumns(width: width).first >= Self.gutterWidth {
                screen.put(gutter, row: row, column: 0, style: mark)
            }
            if cut { screen.put("›", row: row + rows - 1, column: width - 1, style: mark) }
            return rows
        }
        let more = shifted(width: width, shift: shift) { piece in
            screen.put(String(piece.text), row: row, column: piece.column, style: CellStyle(piece.role))
        }
        screen.put(String(gutter.prefix(1)), row: row, column: 0, style: mark)
        if shift > 0 { screen.put("‹", row: row, column: 1, style: mark) }
        if more { screen.put("›", row: row, column: width - 1, style: mark) }
        return 1
    }
}
