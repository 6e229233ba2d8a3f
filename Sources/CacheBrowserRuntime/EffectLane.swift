import CacheBrowser

/// The serial queue an effect runs on. Work on one lane never waits for another's: a 50 MB
/// document being built does not hold up the lists, the first page of the projects does not
/// hold up the site row's apps and items, a delete never waits behind a slow list read, nor a
/// list read behind a delete.
public enum EffectLane: String, Sendable, Hashable, CaseIterable {
    /// `r`'s reopen, the change token read at launch, the totals and the project pages, in
    /// order: the reopen before the reads that follow it, the token and the totals before the
    /// first projects.
    case projects
    /// A project's app pages, in order.
    case apps
    /// An app's item pages, in order.
    case items
    /// Opening, refreshing and saving the item.
    case payload
    /// Working out the value `y` copies.
    case copy
    /// Searching the open payload.
    case search
    /// Counting what a delete takes, the delete, and its undo: the store's writes besides a
    /// sync, in the order they were asked for (an undo pressed at once follows its delete).
    case writes
    /// A sync (its units run on the sync engine's own workers).
    case sync
    /// The doctor's pass over the store (`!`): seconds on a large store, never in a list's way.
    case doctor
    /// An item's versions (`H`) and a diff of one: a 50 MB diff never holds up the payload.
    case versions
    /// Looking an item up by name, and reading the audit trail: never behind a page read.
    case lookup

    /// The lane `effect` runs on.
    public init(_ effect: BrowserEffect) {
        switch effect {
        case .loadPage(_, let request, _):
            switch request.pane {
            case .apps: self = .apps
            case .items: self = .items
            default: self = .projects
            }
        case .loadPayload, .refreshPayload, .saveJSON: self = .payload
        case .copyValue: self = .copy
        case .search, .cancelSearch: self = .search
        case .countForDelete, .delete, .undoDelete: self = .writes
        case .sync, .cancelSync, .previewSync: self = .sync
        case .locateItem, .loadAudit: self = .lookup
        case .runDoctor: self = .doctor
        case .loadVersions, .loadDiff, .cancelDiff: self = .versions
        case .reopenIfReplaced, .readChangeToken, .loadTotals, .clipboard, .quit: self = .projects
        }
    }
}
