import Foundation
import SodarCache

/// Where projects' files are, when the store does not say: a SODAR site's project table has
/// no path column, so the config supplies one (`[project_paths]`).
public struct ProjectPaths: Sendable, Hashable {
    /// A path template over `{project_uuid}`, `{project_title}` and `{project_uuid_prefix}`
    /// (the UUID's first two hex digits, as iRODS collections use them).
    public var template: String?
    /// Paths of single projects by UUID; they win over the template.
    public var byProject: [UUID: String] = [:]

    /// The placeholders a template may use.
    public static let placeholders = ["project_uuid", "project_title", "project_uuid_prefix"]

    public init(template: String? = nil, byProject: [UUID: String] = [:]) {
        self.template = template
        self.byProject = byProject
    }

    /// The project with its path filled in: its own, else the configured one. Categories
    /// keep none.
    public func resolve(_ project: Project) -> Project {
        guard project.type == .project, project.path == nil || project.path == "" else { return project }
        var resolved = project
        if let path = byProject[project.uuid] {
            resolved.path = path
        } else if let template {
            let uuid = project.uuid.sodarString
            resolved.path = CommandPlugin.substitute(template, [
                "project_uuid": uuid, "project_title": project.title, "project_uuid_prefix": String(uuid.prefix(2)),
            ])
        }
        return resolved
    }
}

/// Settings for PostgreSQL stores (`[postgres]`).
public struct PostgresSettings: Sendable, Hashable {
    /// A SODAR site's user table (Django's `AUTH_USER_MODEL`).
    public var userTable = "users_user"
    /// The schema that holds SODAR's tables, when the catalog finds them in several.
    public var schema: String?
    /// How connections reach the server: "auto" (told apart on connecting), "direct", "pooled".
    public var connection = "auto"
    /// A read-only session's statement timeout in seconds (0: none).
    public var readTimeout = 300

    public init(userTable: String = "users_user") {
        self.userTable = userTable
    }
}
