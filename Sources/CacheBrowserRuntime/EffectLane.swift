import CacheBrowser

/// The serial queue an effect runs on. Work on one lane never waits for another's: a 50 MB
/// document being built does not hold up the lists, and a delete never waits behind a slow
/// list read, nor a list read behind a delete.
public enum EffectLane: String, Sendable, Hashable, CaseIterable {
    /// Totals and pages, in order (the totals arrive before the first projects), and `r`'s
    /// reopen before the reads that follow it.
    case lists
    /// Opening, refreshing and saving the item.
    case payload
    /// Working out the value `y` copies.
    case copy
    /// Searching the open payload.
    case search
    /// Counting what a delete takes, and the delete: the store's writes besides a sync.
    case writes
    /// A sync (its units run on the sync engine's own workers).
    case sync

    /// The lane `effect` runs on.
    public init(_ effect: BrowserEffect) {
        switch effect {
        case .loadPayload, .refreshPayload, .saveJSON: self = .payload
        case .copyValue: self = .copy
        case .search, .cancelSearch: self = .search
        case .countForDelete, .delete: self = .writes
        case .sync, .cancelSync: self = .sync
        case .reopenIfReplaced, .loadTotals, .loadPage, .clipboard, .quit: self = .lists
        }
    }
}
