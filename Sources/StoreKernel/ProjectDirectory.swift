import Foundation
import SodarCache

/// The projects a store knows: SODAR's project tree, kept next to the cache.
public protocol ProjectDirectory: Sendable {
    /// Adds a project. The parent, when given, must exist and be a category.
    /// - Throws: `CacheError.projectNotFound` for an unknown parent, `.invalidArgument` for a
    ///   parent that is not a category or a UUID already taken.
    @discardableResult
    func addProject(_ project: Project) throws -> Project

    /// Replaces a project's fields by UUID (title, type, parent, description, path); full
    /// titles of its descendants follow.
    @discardableResult
    func updateProject(_ project: Project) throws -> Project

    /// Creates or updates every project by UUID in one transaction (parents may come after
    /// children in the list); nothing is written when any record is bad.
    /// - Returns: how many were created and how many updated.
    func importProjects(_ projects: [Project]) throws -> (created: Int, updated: Int)

    /// A project by UUID, or nil.
    func project(uuid: UUID) throws -> Project?

    /// Every project in tree order (by full title).
    func allProjects() throws -> [Project]
}
