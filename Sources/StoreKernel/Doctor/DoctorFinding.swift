import Foundation
import SodarCache

/// One group of trouble: one kind, in one project (or site-wide) and one app.
public struct DoctorFinding: Sendable, Hashable {
    public var check: DoctorCheck
    /// `.critical` or `.warning`, as the settings mark the kind.
    public var severity: DoctorStatus
    /// The project; nil for site-wide items, and for orphans whose project is gone.
    public var project: Project?
    /// The items' project no longer exists (orphans only).
    public var projectGone: Bool
    /// The project's ancestors, outermost first: what to unfold to show it.
    public var ancestors: [UUID]
    public var app: String
    /// Items found; for `missing`, item names missing.
    public var count: Int
    /// Their payloads' bytes; nil for `missing`, and for orphans of projects that are gone
    /// (counted, not read).
    public var bytes: Int?
    /// The oldest item's time, as the store's ages go.
    public var oldest: Date?
    /// The largest payload's bytes.
    public var largest: Int
    /// Some of the items (at most `DoctorSettings.examplesPerFinding`): the oldest first for
    /// `stale`, the largest first for `oversized`, else by name.
    public var items: [ItemSummary]
    /// `missing`: the names missing; `duplicates`: the name stored more than once.
    public var names: [String]
    /// Orphans: why they are orphans ("app not registered", "project gone").
    public var reason: String?

    public init(
        check: DoctorCheck, severity: DoctorStatus, project: Project?, projectGone: Bool = false, ancestors: [UUID] = [],
        app: String, count: Int, bytes: Int? = nil, oldest: Date? = nil, largest: Int = 0, items: [ItemSummary] = [],
        names: [String] = [], reason: String? = nil
    ) {
        self.check = check
        self.severity = severity
        self.project = project
        self.projectGone = projectGone
        self.ancestors = ancestors
        self.app = app
        self.count = count
        self.bytes = bytes
        self.oldest = oldest
        self.largest = largest
        self.items = items
        self.names = names
        self.reason = reason
    }

    /// Where the finding is, for people: the project's full title, "(site-wide)", or "(project gone)".
    public var place: String {
        if let project { return project.fullTitle }
        return projectGone ? "(project gone)" : "(site-wide)"
    }
}
