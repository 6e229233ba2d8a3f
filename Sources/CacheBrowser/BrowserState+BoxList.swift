import Foundation

// The lists in a box under a summary row (the doctor's findings, the audit trail, a sync's
// changes) move their cursor alike, with the numbers `BoxListLayout` draws with.
extension BrowserState {
    /// What a click or the wheel does on such a list.
    enum ListPointing {
        /// The cursor goes to this entry.
        case select(Int)
        /// The entry under the cursor was clicked again: open it.
        case open(Int)
    }

    /// Where a key moves the cursor of a list of `count` entries under a summary row; nil for
    /// a key that does not move it.
    func listCursor(_ key: Key, cursor: Int, count: Int) -> Int? {
        let last = max(0, count - 1)
        let page = max(1, BoxListLayout.underSummary(count: count, cursor: cursor, screenWidth: width, screenHeight: height).visible)
        switch key {
        case .down, .char("j"): return min(last, cursor + 1)
        case .up, .char("k"): return max(0, cursor - 1)
        case .pageDown, .ctrl("f"): return min(last, cursor + page)
        case .pageUp, .ctrl("b"): return max(0, cursor - page)
        case .home, .char("g"): return 0
        case .end, .char("G"): return last
        default: return nil
        }
    }

    /// What a mouse event does on a list of `count` entries under a summary row: the wheel
    /// moves the cursor a row, a click selects the entry under it or opens the selected one;
    /// nil for a click beside the entries.
    func listPointing(_ event: MouseEvent, cursor: Int, count: Int) -> ListPointing? {
        let last = max(0, count - 1)
        switch event.action {
        case .wheelUp: return .select(max(0, cursor - 1))
        case .wheelDown: return .select(min(last, cursor + 1))
        case .press:
            guard
                let entry = BoxListLayout.underSummary(count: count, cursor: min(cursor, last), screenWidth: width, screenHeight: height)
                    .entry(row: event.row, column: event.column)
            else { return nil }
            return entry == cursor ? .open(entry) : .select(entry)
        }
    }
}
