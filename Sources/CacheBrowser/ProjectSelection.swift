import Foundation
import SodarCache
import StoreKernel

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
