import Foundation
import SodarCache
import StoreKernel

/// A page of one of the three lists: which list (its pane and query) and where the page starts.
public enum PageRequest: Sendable, Hashable {
    case projects(ProjectQuery, PageStart<ProjectSummary>)
    /// A project's apps (nil: the site-wide ones).
    case apps(project: UUID?, filter: String?, PageStart<AppSummary>)
    /// An app's items in a project (nil: site-wide), in `sort` order.
    case items(project: UUID?, app: String?, sort: ItemSort, filter: String?, PageStart<ItemSummary>)

    /// The pane the list is drawn in.
    public var pane: BrowserPane {
        switch self {
        case .projects: return .projects
        case .apps: return .apps
        case .items: return .items
        }
    }

    /// See `PageStart.restartsList`.
    public var restartsList: Bool {
        switch self {
        case .projects(_, let start): return start.restartsList
        case .apps(_, _, let start): return start.restartsList
        case .items(_, _, _, _, let start): return start.restartsList
        }
    }
}
