import Foundation

/// A SODAR project or category: the unit cached data belongs to.
public struct Project: Sendable, Hashable, Codable {
    /// SODAR's two project types.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case category = "CATEGORY"
        case project = "PROJECT"
    }

    public var uuid: UUID
    public var title: String
    public var type: Kind
    /// The parent category, if any.
    public var parent: UUID?
    public var description: String
    /// An optional filesystem directory that sync sources may read (issue: sync sources).
    public var path: String?
    /// The parent chain's titles and this title joined by ` / `, as SODAR shows it.
    /// Filled in by the store; equal to `title` for a project without a parent.
    public var fullTitle: String

    public init(
        uuid: UUID = UUID(), title: String, type: Kind = .project, parent: UUID? = nil,
        description: String = "", path: String? = nil, fullTitle: String? = nil
    ) {
        self.uuid = uuid
        self.title = title
        self.type = type
        self.parent = parent
        self.description = description
        self.path = path
        self.fullTitle = fullTitle ?? title
    }
}
