import Foundation

/// Which part of a store the doctor looks at (`-p`, `--subtree`, `-a`).
public struct DoctorScope: Sendable, Hashable {
    /// Only this project's items (a category: its own, or with `subtree` every project beneath
    /// it too); nil: every project and the site-wide items.
    public var project: UUID?
    public var subtree: Bool
    /// Only this app's items.
    public var app: String?

    public init(project: UUID? = nil, subtree: Bool = false, app: String? = nil) {
        self.project = project
        self.subtree = subtree
        self.app = app
    }

    /// Whether the site-wide items are in scope.
    public var includesSite: Bool { project == nil }
}
