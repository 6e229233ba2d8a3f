import Foundation
import SodarCache
import StoreKernel

/// Everything the browser shows, as a value: `update` changes it, `view` draws it.
public struct BrowserState: Sendable {
    public var options: BrowserOptions
    public var keyMap: KeyMap
    /// The injected clock: ages and stale marks are computed against it.
    public var now: Date
    /// For exact times in the record.
    public var timeZone: TimeZone
    public var width: Int
    public var height: Int

    public var pane: BrowserPane = .projects
    public var totals: StoreTotals?
    public var projects = PagedList<ProjectSummary>()
    public var apps = PagedList<AppSummary>()
    public var items = PagedList<ItemSummary>()
    public var itemSort: ItemSort = .name
    /// Folded categories (with `foldAllProjects`: the categories left open), for the session.
    public var projectFolds: Set<UUID> = []
    /// `z`: every category folded except those in `projectFolds`.
    public var foldAllProjects = false
    /// `o` in the project pane: how siblings are ordered.
    public var projectOrder: ProjectOrder = .name
    /// The selection's screen row to keep while the project list is read again around it.
    public var projectAnchorRow: Int?
    /// Whose apps the apps pane shows.
    public var appsOwner: ProjectSelection?
    /// At launch the totals said the site row comes first: its apps were asked for beside the
    /// first page of projects, which then keeps them.
    var appsAhead = false
    /// Which app's items the items pane shows.
    public var itemsApp: String?
    /// Set by a reload until the lists are back on the same rows.
    public var reselect: Reselection?
    public var payload: PayloadState?
    /// `w`: long payload lines wrap. Kept for the session, whichever item is open.
    public var payloadWrap = false
    /// `>`/`<`: columns the payload is scrolled sideways when lines do not wrap. Kept for the
    /// session, whichever item is open.
    public var payloadShift = 0
    /// `H`: the focused item's versions and, from them, a diff (nil: not shown).
    public var versions: VersionsState?

    public var prompt: BrowserPrompt?
    public var overlay: BrowserOverlay?
    public var message: StatusMessage?
    /// A line above the status line for long-running work (sync progress), drawn after a spinner.
    public var progressLine: String?
    /// Whether sync and delete can run at all (`StoreActions` were given).
    public var actionsAvailable = false
    /// The running sync.
    public var sync: SyncProgress?
    /// The failures of the last (or the running) sync.
    public var syncFailures: [SyncFailureEntry] = []
    /// The doctor's last run for the findings view (`!`).
    public var checkup: Checkup?
    /// The last sync preview's changes (`P`).
    public var syncPreview: ChangeList?
    /// The changes of this session's last sync (`C`).
    public var lastSyncChanges: ChangeList?
    /// The audit pane's entries (`L`).
    public var auditTrail: AuditTrail?
    /// The item lookup under way (Enter in the change list or the audit pane).
    public var itemLookup: ItemLookup?
    /// Marked items (Space), deleted together by `d`. They belong to the items list they were
    /// made in: leaving it (another app, project or filter) clears them.
    public var marks: [UUID: ItemSummary] = [:]
    /// The store's last seen change token.
    public var storeToken: Int?
    /// A hot standby's lag, for the header: from the options at launch, then from the watcher.
    public var standby: StandbyStatus?
    /// Bytes to print once the terminal is restored (`e` with an empty file name).
    public var stdoutAfterExit: Data?
    public var quitting = false
    /// The last generation handed out; every request gets a new one.
    public var lastGeneration = 0

    /// Rows per page request.
    public var pageSize = 200

    public init(
        options: BrowserOptions, now: Date, width: Int = 80, height: Int = 24,
        timeZone: TimeZone = .current, keyMap: KeyMap = .standard
    ) {
        self.options = options
        self.standby = options.standby
        self.now = now
        self.width = width
        self.height = height
        self.timeZone = timeZone
        self.keyMap = keyMap
    }

    // MARK: - Derived

    /// The site-wide row shows above the projects when there are site-wide items and no filter.
    public var showsSiteRow: Bool {
        projects.filter == nil && !projects.hasPrevious && (totals?.siteItems ?? 0) > 0
    }

    /// Rows of the project pane, the site row included.
    public var projectEntryCount: Int {
        projects.rows.count + (showsSiteRow ? 1 : 0)
    }

    /// The project pane row at `index`.
    public func projectEntry(_ index: Int) -> ProjectSelection? {
        var i = index
        if showsSiteRow {
            if i == 0 { return .site }
            i -= 1
        }
        return projects.rows.indices.contains(i) ? .project(projects.rows[i]) : nil
    }

    public var selectedProject: ProjectSelection? { projectEntry(projects.cursor) }

    public var selectedApp: AppSummary? {
        apps.rows.indices.contains(apps.cursor) ? apps.rows[apps.cursor] : nil
    }

    public var selectedItem: ItemSummary? {
        items.rows.indices.contains(items.cursor) ? items.rows[items.cursor] : nil
    }

    /// Whether a time is older than the stale threshold.
    public func isStale(_ date: Date?) -> Bool {
        guard let date else { return false }
        return now.timeIntervalSince(date) > options.staleAfter
    }

    /// The payload pane's rows, and its width when lines wrap.
    public var payloadViewport: PayloadViewport {
        PayloadViewport(rows: layout.visibleRows(.payload), wrapWidth: payloadWrap ? width : nil)
    }

    /// Where the key map looks first.
    public var keyContext: KeyContext {
        if let versions { return versions.diff == nil ? .versions : .diff }
        return pane == .payload ? .payload : .lists
    }

    /// The item the payload view shows or the items list selects (by pane).
    public var focusedItem: ItemSummary? {
        switch pane {
        case .payload: return payload?.summary
        case .items: return selectedItem
        default: return nil
        }
    }

    /// The app the focus is in (apps, items or payload pane).
    public var focusedApp: String? {
        switch pane {
        case .projects: return nil
        case .apps, .items: return selectedApp?.appName
        case .payload: return payload?.summary.appName
        }
    }

    mutating func nextGeneration() -> Int {
        lastGeneration += 1
        return lastGeneration
    }
}
