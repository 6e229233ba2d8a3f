/// Moving through a payload whose folded containers show as one line.
extension PayloadState {
    /// The visible line after `line`, skipping a folded container's body.
    func nextVisible(after line: Int) -> Int? {
        guard let document else { return nil }
        var next = line + 1
        if let fold = document.fold(openingAt: line), isFolded(line) { next = fold.endLine + 1 }
        return next < document.lineCount ? next : nil
    }

    /// The visible line before `line`: a folded container shows as its opening line.
    func previousVisible(before line: Int) -> Int? {
        guard let document, line > 0 else { return nil }
        let previous = min(line, document.lineCount) - 1
        guard previous >= 0 else { return nil }
        if let fold = document.fold(closingAt: previous), fold.startLine < previous, isFolded(fold.startLine) {
            return fold.startLine
        }
        return previous
    }

    /// The visible lines from `top`, at most `count`.
    public func visibleLines(count: Int) -> [Int] {
        guard let document, document.lineCount > 0, count > 0 else { return [] }
        var lines = [top]
        lines.reserveCapacity(count)
        var line = top
        while lines.count < count, let next = nextVisible(after: line) {
            lines.append(next)
            line = next
        }
        return lines
    }

    /// The line as the view draws it, read no further than `columns` can show.
    public func text(ofLine line: Int, columns: Int = .max) -> PayloadText? {
        guard let document, line >= 0, line < document.lineCount else { return nil }
        return PayloadText(document, line: line, folded: isFolded(line), columns: columns)
    }

    /// Screen rows `line` takes (1 unless lines wrap), counted no further than the pane's rows.
    func rows(ofLine line: Int, _ viewport: PayloadViewport) -> Int {
        guard let width = viewport.wrapWidth, let text = text(ofLine: line, columns: width * max(1, viewport.rows))
        else { return 1 }
        return text.rowCount(width: width, limit: max(1, viewport.rows))
    }

    /// Moves the cursor by `steps` visible lines (negative: up).
    mutating func moveCursor(by steps: Int, _ viewport: PayloadViewport) {
        var line = cursor
        if steps > 0 {
            for _ in 0..<steps { guard let next = nextVisible(after: line) else { break }; line = next }
        } else {
            for _ in 0..<(-steps) { guard let prev = previousVisible(before: line) else { break }; line = prev }
        }
        cursor = line
        scrollToCursor(viewport)
    }

    /// PgDn/PgUp: moves the cursor over the lines that fill one pane of screen rows (at least one
    /// line), so that with wrapping a page is a page of rows, not of lines.
    mutating func movePage(down: Bool, _ viewport: PayloadViewport) {
        let visible = max(1, viewport.rows)
        var line = cursor
        var passed = 0
        while let step = down ? nextVisible(after: line) : previousVisible(before: line) {
            let rows = rows(ofLine: down ? line : step, viewport)
            if passed > 0 && passed + rows > visible { break }
            passed += rows
            line = step
        }
        cursor = line
        scrollToCursor(viewport)
    }

    /// The wheel: the view and the cursor move together by `steps` visible lines, as a
    /// list's rows do (`PagedList.wheel`).
    mutating func wheel(by steps: Int, _ viewport: PayloadViewport) {
        guard let document, document.lineCount > 0 else { return }
        let visible = max(1, viewport.rows)
        // The last screenful's first line (the last lines' rows fill the pane): the view stops there.
        var lastTop = previousVisible(before: document.lineCount) ?? 0
        var used = rows(ofLine: lastTop, viewport)
        while let previous = previousVisible(before: lastTop) {
            let more = rows(ofLine: previous, viewport)
            if used + more > visible { break }
            used += more
            lastTop = previous
        }
        var newTop = top
        for _ in 0..<abs(steps) {
            guard let next = steps > 0 ? nextVisible(after: newTop) : previousVisible(before: newTop) else { break }
            if steps > 0 && newTop >= lastTop { break }
            newTop = next
        }
        top = newTop
        var line = cursor
        for _ in 0..<abs(steps) {
            guard let next = steps > 0 ? nextVisible(after: line) : previousVisible(before: line) else { break }
            line = next
        }
        cursor = line
        scrollToCursor(viewport)
    }

    /// The line drawn on row `row` of the pane (0: its first), wrapped rows counted.
    public func line(atRow row: Int, _ viewport: PayloadViewport) -> Int? {
        guard let document, document.lineCount > 0, row >= 0, row < max(1, viewport.rows) else { return nil }
        var line = top
        var first = 0
        while true {
            let rows = rows(ofLine: line, viewport)
            if row < first + rows { return line }
            first += rows
            guard let next = nextVisible(after: line) else { return nil }
            line = next
        }
    }

    mutating func moveToTop(_ viewport: PayloadViewport) {
        cursor = 0
        top = 0
    }

    mutating func moveToBottom(_ viewport: PayloadViewport) {
        guard let document else { return }
        cursor = previousVisible(before: document.lineCount) ?? 0
        scrollToCursor(viewport)
    }

    /// Keeps the cursor's rows within the pane: when they do not fit below `top`, the cursor's
    /// line ends the pane (or starts it, when its rows alone fill it).
    mutating func scrollToCursor(_ viewport: PayloadViewport) {
        let visible = max(1, viewport.rows)
        if cursor <= top { top = cursor; return }
        var line = top
        var above = 0
        while line < cursor, above < visible, let next = nextVisible(after: line) {
            above += rows(ofLine: line, viewport)
            line = next
        }
        let own = rows(ofLine: cursor, viewport)
        guard line != cursor || above + own > visible else { return }
        var newTop = cursor
        var used = own
        while let prev = previousVisible(before: newTop) {
            let more = rows(ofLine: prev, viewport)
            if used + more > visible { break }
            used += more
            newTop = prev
        }
        top = newTop
    }

    mutating func setFolded(_ line: Int, _ folded: Bool) {
        if folded != foldAll { foldExceptions.insert(line) } else { foldExceptions.remove(line) }
    }

    /// Enter/Space: toggles the container opening on the cursor line, or folds the one around it.
    mutating func toggleFold(_ viewport: PayloadViewport) -> String? {
        guard let document else { return nil }
        if document.fold(openingAt: cursor) != nil {
            setFolded(cursor, !isFolded(cursor))
            scrollToCursor(viewport)
            return nil
        }
        guard let around = document.enclosingFolds(ofLine: cursor).first else {
            return "Nothing to fold here"
        }
        setFolded(around.startLine, true)
        cursor = around.startLine
        if top > cursor { top = cursor }
        scrollToCursor(viewport)
        return nil
    }

    mutating func foldEverything() {
        foldAll = true
        foldExceptions = []
        cursor = 0
        top = 0
    }

    mutating func unfoldEverything(_ viewport: PayloadViewport) {
        foldAll = false
        foldExceptions = []
        scrollToCursor(viewport)
    }

    /// Unfolds every container around `line` so it can be shown.
    mutating func reveal(_ line: Int) {
        guard let document else { return }
        for fold in document.enclosingFolds(ofLine: line) where isFolded(fold.startLine) {
            setFolded(fold.startLine, false)
        }
    }

    /// Starts a search from the cursor (it runs off the UI loop); `id` tells its result
    /// from an older one's. - Returns: the search to run; nil when there is nothing to search.
    mutating func startSearch(_ needle: String, forward: Bool, skipCurrent: Bool, id: Int) -> PayloadSearch? {
        guard let document, document.lineCount > 0 else { return nil }
        lastSearch = needle
        let count = document.lineCount
        // The document searches from the line after (before) `start`: for a new search the
        // cursor line itself counts, for n/N it does not.
        let start = skipCurrent ? cursor : (forward ? (cursor - 1 + count) % count : (cursor + 1) % count)
        let search = PayloadSearch(
            id: id, needle: needle, fromLine: start, forward: forward, skipCurrent: skipCurrent, document: document)
        searching = search
        return search
    }

    /// Moves to the running search's hit. - Returns: a status message.
    mutating func finishSearch(_ search: PayloadSearch, hit: Int?, path: String?, _ viewport: PayloadViewport) -> StatusMessage {
        searching = nil
        guard let hit, let document, hit < document.lineCount else {
            return StatusMessage("Not found: \(search.needle)", isError: true)
        }
        let wrapped = (search.forward ? hit < cursor : hit > cursor) || (hit == cursor && search.skipCurrent)
        reveal(hit)
        cursor = hit
        if top > cursor { top = cursor }
        scrollToCursor(viewport)
        let what = "/\(search.needle): \(path ?? document.path(ofLine: hit)) (line \(hit + 1))"
        return StatusMessage(wrapped ? what + " (wrapped)" : what)
    }
}
