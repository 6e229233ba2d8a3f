import Foundation
import SodarCache
import StoreKernel

/// The browser's panes, left to right.
public enum BrowserPane: Sendable, Hashable {
    case projects, apps, items, payload
}

/// A row of the project list: the site-wide items or one project.
public enum ProjectSelection: Sendable, Hashable {
    case site
    case project(ProjectSummary)

    /// The project UUID the store takes (`nil`: site-wide).
    public var uuid: UUID? {
        switch self {
        case .site: return nil
        case .project(let summary): return summary.project.uuid
        }
    }

    public var title: String {
        switch self {
        case .site: return "(site-wide)"
        case .project(let summary): return summary.project.fullTitle
        }
    }
}

/// A line of text the user is typing (filter, search, file name).
public struct BrowserPrompt: Sendable, Hashable {
    public enum Purpose: Sendable, Hashable {
        case filter(BrowserPane)
        case search
        case saveJSON
    }

    public var purpose: Purpose
    public var text: String
    /// The text is the old value, shown selected: the first character typed replaces it,
    /// an editing key (Backspace, →) starts editing it instead.
    public var selected = false

    public init(purpose: Purpose, text: String, selected: Bool = false) {
        self.purpose = purpose
        self.text = text
        self.selected = selected && !text.isEmpty
    }

    public var label: String {
        switch purpose {
        case .filter(.projects): return "Filter projects: "
        case .filter(.apps): return "Filter apps: "
        case .filter: return "Filter items: "
        case .search: return "Search: "
        case .saveJSON: return "Write JSON to file (empty: stdout after exit): "
        }
    }
}

/// Something drawn over the panes.
public enum BrowserOverlay: Sendable, Hashable {
    /// The key bindings, scrolled by this many lines.
    case help(scroll: Int)
    /// A yes/no question (delete, cancel the sync, quit during a sync).
    case confirm(ConfirmDialog)
    /// The last sync's failures; `detail` shows the one under the cursor in full.
    case failures(cursor: Int, detail: Bool)
}

/// The status line's message.
public struct StatusMessage: Sendable, Hashable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// What a reload puts the cursors back on, as the first pages arrive.
public struct Reselection: Sendable, Hashable {
    public enum Owner: Sendable, Hashable {
        case site
        case project(UUID)
    }

    public var project: Owner?
    public var app: String?
    public var item: UUID?
}

/// The opened item: its record, its document, the cursor and the folds.
public struct PayloadState: Sendable {
    /// The list row it was opened from.
    public var summary: ItemSummary
    public var item: CacheItem?
    public var projectTitle: String?
    public var document: (any PayloadDocument)?
    public var loading = true
    /// Why there is no document (invalid JSON, item gone, store error).
    public var failure: String?
    public var generation: Int
    /// Document line of the cursor (always a visible line).
    public var cursor = 0
    /// Document line shown first.
    public var top = 0
    /// When true every container is folded except those in `foldExceptions`;
    /// when false only those in `foldExceptions` are folded.
    public var foldAll = false
    public var foldExceptions: Set<Int> = []
    public var lastSearch: String?
    /// The search running off the UI loop.
    public var searching: PayloadSearch?

    public init(summary: ItemSummary, generation: Int) {
        self.summary = summary
        self.generation = generation
    }

    /// Whether the container opening at `line` is folded.
    public func isFolded(_ line: Int) -> Bool {
        foldAll != foldExceptions.contains(line)
    }
}

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
    /// Marked items (Space), deleted together by `d`. They belong to the items list they were
    /// made in: leaving it (another app, project or filter) clears them.
    public var marks: [UUID: ItemSummary] = [:]
    /// The store's last seen change token.
    public var storeToken: Int?
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
    public var keyContext: KeyContext { pane == .payload ? .payload : .lists }

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
