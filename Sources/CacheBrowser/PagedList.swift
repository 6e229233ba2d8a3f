/// A keyset-paged list: the rows loaded so far, whether more exist, and the cursor.
public struct PagedList<Row: Sendable & Hashable>: Sendable, Hashable {
    public var rows: [Row] = []
    /// The store may have rows after the last loaded one.
    public var hasMore = false
    /// The store has rows before the first loaded one (after a jump to the end: `G`, `End`).
    public var hasPrevious = false
    /// The position of the first loaded row in the whole list, when known (nil after a jump
    /// to the end of a list whose length is not known).
    public var offset: Int? = 0
    /// A page request is out.
    public var loading = false
    /// The first page has arrived (an empty list then means "nothing there").
    public var loaded = false
    /// The request whose answer this list waits for; older answers are dropped.
    public var generation = 0
    public var cursor = 0
    /// The first visible row.
    public var top = 0
    public var filter: String?
    /// A live refresh asked for the first page again: the old rows stay on screen until it arrives.
    public var replacing = false

    public init() {}

    /// Moves the cursor within `count` entries, keeping it within `visible` rows of `top`.
    mutating func move(_ step: CursorStep, count: Int, visible: Int) {
        guard count > 0 else { cursor = 0; top = 0; return }
        switch step {
        case .rows(let delta): cursor = min(max(0, cursor + delta), count - 1)
        case .first: cursor = 0
        case .last: cursor = count - 1
        }
        scroll(count: count, visible: visible)
    }

    /// The wheel: the rows and the cursor move together by `delta`, so the cursor keeps its
    /// place on screen until the list's end stops the rows; then the cursor goes on to the end.
    mutating func wheel(by delta: Int, count: Int, visible: Int) {
        guard count > 0 else { cursor = 0; top = 0; return }
        let visible = max(1, visible)
        top = min(max(0, top + delta), max(0, count - visible))
        cursor = min(max(0, cursor + delta), count - 1)
        scroll(count: count, visible: visible)
    }

    /// Keeps the cursor on screen.
    mutating func scroll(count: Int, visible: Int) {
        let visible = max(1, visible)
        if count == 0 { cursor = 0; top = 0; return }
        cursor = min(max(0, cursor), count - 1)
        if cursor < top { top = cursor }
        if cursor >= top + visible { top = cursor - visible + 1 }
        top = max(0, min(top, max(0, count - visible)))
    }

    /// Empties the list for a fresh first page under a new generation.
    /// With `keepRows`, the rows and the cursor stay until the new first page replaces them.
    mutating func restart(generation: Int, keepRows: Bool = false) {
        self.generation = generation
        loading = true
        if keepRows && loaded {
            replacing = true
            return
        }
        rows = []
        hasMore = false
        hasPrevious = false
        offset = 0
        loaded = false
        replacing = false
        cursor = 0
        top = 0
    }

    /// Takes a page that arrived: the first one of a refresh replaces the old rows.
    /// - Returns: whether it was a first page.
    mutating func receive(_ page: [Row], hasMore more: Bool) -> Bool {
        let first = !loaded || replacing
        if replacing {
            rows = page
            replacing = false
        } else {
            rows += page
        }
        if first {
            hasPrevious = false
            offset = 0
        }
        hasMore = more
        loading = false
        loaded = true
        return first
    }

    /// Takes a page of the rows just before the loaded ones; in a list waiting for its first
    /// page, the list's last page (a jump to the end), with the cursor on its last row.
    /// - Returns: whether it was a first page.
    mutating func receivePrevious(_ page: [Row], hasPrevious more: Bool, total: Int? = nil) -> Bool {
        let first = !loaded || replacing
        if first {
            rows = page
            hasMore = false
            cursor = max(0, page.count - 1)
            top = 0
            offset = more ? total.map { max(0, $0 - page.count) } : 0
        } else {
            rows = page + rows
            cursor += page.count
            top += page.count
            offset = more ? offset.map { max(0, $0 - page.count) } : 0
        }
        hasPrevious = more
        replacing = false
        loading = false
        loaded = true
        return first
    }

    /// Takes rows from somewhere inside the list, replacing what it had, with the cursor on
    /// `cursorAt` (rows before it unknown when `hasPrevious`).
    mutating func receiveWindow(_ page: [Row], hasPrevious before: Bool, hasMore after: Bool, cursorAt index: Int) {
        rows = page
        hasPrevious = before
        hasMore = after
        offset = before ? nil : 0
        cursor = min(max(0, index), max(0, page.count - 1))
        top = 0
        replacing = false
        loading = false
        loaded = true
    }
}
