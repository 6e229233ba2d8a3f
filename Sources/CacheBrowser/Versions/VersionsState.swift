import Foundation
import StoreKernel

/// `H`: an item's versions, and the diff of one of them against the current payload.
///
/// While it is set, it takes the body and the keys; Esc closes the diff, then the list,
/// back to the pane `H` was pressed in.
public struct VersionsState: Sendable {
    /// The item whose versions these are.
    public var item: ItemSummary
    /// Its request's generation: an older answer is dropped.
    public var generation: Int
    public var loading = true
    public var rows: [VersionRow] = []
    public var notes: [String] = []
    /// The store could not list them.
    public var failure: String?
    public var cursor = 0
    public var top = 0
    /// The diff open from the list (Enter), if any.
    public var diff: DiffViewState?

    public init(item: ItemSummary, generation: Int) {
        self.item = item
        self.generation = generation
    }

    public var selectedRow: VersionRow? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    /// Moves the cursor by `delta` rows (clamped), keeping it on screen.
    mutating func move(by delta: Int, visible: Int) {
        guard !rows.isEmpty else { return }
        cursor = min(max(0, cursor + delta), rows.count - 1)
        top = min(top, cursor)
        if cursor >= top + visible { top = cursor - visible + 1 }
        top = max(0, top)
    }
}
