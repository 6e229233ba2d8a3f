import Foundation

/// The diff of one version against the current payload (`Enter` in the version list).
public struct DiffViewState: Sendable {
    /// The older side.
    public var version: VersionRow
    public var generation: Int
    public var loading = true
    public var lines: DiffLines?
    public var failure: String?
    /// The row under the cursor, and the first row on screen.
    public var cursor = 0
    public var top = 0
    /// `>`/`<`: columns the rows are scrolled sideways (each diff starts at the left).
    public var shift = 0

    public init(version: VersionRow, generation: Int) {
        self.version = version
        self.generation = generation
    }

    /// The change the cursor row shows, or the last one above it.
    public var currentChange: Int? {
        guard let lines, !lines.changeStarts.isEmpty else { return nil }
        var found: Int?
        for (index, start) in lines.changeStarts.enumerated() {
            if start <= cursor { found = index } else { break }
        }
        return found ?? (lines.rows.indices.contains(cursor) ? lines.rows[cursor].change : nil)
    }

    /// Moves the cursor by `delta` rows (clamped), keeping it on screen.
    mutating func move(by delta: Int, visible: Int) {
        guard let count = lines?.rows.count, count > 0 else { return }
        cursor = min(max(0, cursor + delta), count - 1)
        scrollToCursor(visible: visible)
    }

    /// How far right the rows on screen can be shifted (their end then shows at the right
    /// edge), measuring each no further than `reach` columns; `room`: the text's width.
    func furthestShift(visible: Int, reach: Int, room: Int) -> Int {
        guard let rows = lines?.rows, top < rows.count else { return 0 }
        var widest = 0
        for row in rows[top..<min(rows.count, top + visible)] {
            switch row.kind {
            case .context, .added, .removed: widest = max(widest, row.payloadText.columns(upTo: reach))
            case .fold, .cut: break
            }
        }
        return max(0, widest - room)
    }

    mutating func scrollToCursor(visible: Int) {
        top = min(top, cursor)
        if cursor >= top + visible { top = cursor - visible + 1 }
        top = max(0, top)
    }

    /// `]`/`[`: the cursor to the next or previous change's first row, shown with a little
    /// context above it. - Returns: the change's index, or nil when there is none that way.
    mutating func jump(forward: Bool, visible: Int) -> Int? {
        guard let starts = lines?.changeStarts, !starts.isEmpty else { return nil }
        let target: Int?
        if forward {
            target = starts.firstIndex { $0 > cursor }
        } else {
            target = starts.lastIndex { $0 < cursor }
        }
        guard let index = target else { return nil }
        cursor = starts[index]
        // A few lines of context above the change when there is room.
        let margin = min(3, max(0, visible / 4))
        if cursor < top + margin || cursor >= top + visible - margin {
            top = max(0, cursor - margin)
        }
        return index
    }
}
