import SodarCache
import StoreKernel

/// A loaded page of one of the three lists (the answer to a `PageRequest`).
public enum ListPage: Sendable, Hashable {
    case projects(PageRows<ProjectSummary>)
    case apps(PageRows<AppSummary>)
    case items(PageRows<ItemSummary>)

    /// The pane the list is drawn in.
    public var pane: BrowserPane {
        switch self {
        case .projects: return .projects
        case .apps: return .apps
        case .items: return .items
        }
    }
}
