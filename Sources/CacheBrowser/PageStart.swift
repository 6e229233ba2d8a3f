/// Where a page of a list starts, by keyset: after a row, before one, or around one.
public enum PageStart<Row: Sendable & Hashable>: Sendable, Hashable {
    /// The rows after this one (nil: the list's first page).
    case after(Row?)
    /// The rows just before this one (nil: the list's last page), by reverse keyset: `G`/`End`
    /// and paging up from there.
    case before(Row?)
    /// Half a page before this row and a page from it on: a refresh of a list scrolled far down
    /// keeps its place, `o` keeps the selected item selected wherever the new order puts it.
    /// In a loaded page: the row that stands for the anchor (itself, or its successor when a
    /// fold now hides it or it is gone).
    case around(Row)

    /// The page starts the list afresh (its start, its end, a window): a newer such request for
    /// the same list makes an older one that has not started pointless.
    public var restartsList: Bool {
        switch self {
        case .after(let row): return row == nil
        case .before(let row): return row == nil
        case .around: return true
        }
    }
}
