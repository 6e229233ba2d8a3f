import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - ProjectDirectory

extension PostgresCacheStore {
    /// In a SODAR site's database, projects are SODAR's: created, moved and renamed there.
    static let projectsBelongToSODAR = CacheError.invalidArgument(
        "Projects belong to SODAR in a SODAR site's database: add, change and import them in SODAR itself")

    @discardableResult
    public func addProject(_ project: Project) throws -> Project {
        guard layout == .sodarcache else { throw Self.projectsBelongToSODAR }
        try ProjectTree.checkTitle(project)
        let tree = try changeProjects { connection, rows in
            if rows[project.uuid] != nil {
                throw CacheError.invalidArgument("A project with UUID \(project.uuid.sodarString) already exists")
            }
            if let parent = project.parent, rows[parent] == nil {
                throw CacheError.projectNotFound(parent.sodarString)
            }
            rows[project.uuid] = Self.row(project, id: 0)
            try connection.query(
                """
                INSERT INTO sodarcache_project (sodar_uuid, title, type, parent_id, description, path)
                VALUES ($1::uuid, $2, $3, (SELECT id FROM sodarcache_project WHERE sodar_uuid = $4::uuid), $5, $6)
                """,
                [PGValue(project.uuid), .text(project.title), .text(project.type.rawValue), PGValue(project.parent),
                 .text(project.description), PGValue(project.path)])
        }
        return try tree.project(project.uuid)
    }

    @discardableResult
    public func updateProject(_ project: Project) throws -> Project {
        guard layout == .sodarcache else { throw Self.projectsBelongToSODAR }
        try ProjectTree.checkTitle(project)
        let tree = try changeProjects { connection, rows in
            guard rows[project.uuid] != nil else { throw CacheError.projectNotFound(project.uuid.sodarString) }
            if let parent = project.parent, rows[parent] == nil {
                throw CacheError.projectNotFound(parent.sodarString)
            }
            rows[project.uuid] = Self.row(project, id: rows[project.uuid]?.id ?? 0)
            try connection.query(
                """
                UPDATE sodarcache_project SET title = $2, type = $3,
                    parent_id = (SELECT id FROM sodarcache_project WHERE sodar_uuid = $4::uuid), description = $5, path = $6
                WHERE sodar_uuid = $1::uuid
                """,
                [PGValue(project.uuid), .text(project.title), .text(project.type.rawValue), PGValue(project.parent),
                 .text(project.description), PGValue(project.path)])
        }
        return try tree.project(project.uuid)
    }

    public func importProjects(_ projects: [Project]) throws -> (created: Int, updated: Int) {
        guard layout == .sodarcache else { throw Self.projectsBelongToSODAR }
        try ProjectTree.checkImport(projects)
        var counts = (created: 0, updated: 0)
        try changeProjects { connection, rows in
            for project in projects {
                let old = rows[project.uuid]
                if old == nil { counts.created += 1 } else { counts.updated += 1 }
                rows[project.uuid] = ProjectTree.importedRow(project, replacing: old)
            }
            // New rows first (parents may follow their children), then every parent link.
            for project in projects {
                try connection.query(
                    """
                    INSERT INTO sodarcache_project (sodar_uuid, title, type, description, path)
                    VALUES ($1::uuid, $2, $3, $4, $5)
                    ON CONFLICT (sodar_uuid) DO UPDATE SET title = excluded.title, type = excluded.type,
                        description = excluded.description, path = coalesce(excluded.path, sodarcache_project.path)
                    """,
                    [PGValue(project.uuid), .text(project.title), .text(project.type.rawValue), .text(project.description),
                     PGValue(project.path)])
            }
            for project in projects {
                try connection.query(
                    """
                    UPDATE sodarcache_project SET parent_id = (SELECT id FROM sodarcache_project WHERE sodar_uuid = $2::uuid)
                    WHERE sodar_uuid = $1::uuid
                    """, [PGValue(project.uuid), PGValue(project.parent)])
            }
        }
        return counts
    }

    public func project(uuid: UUID) throws -> Project? {
        try tree().node(uuid: uuid)?.project
    }

    public func allProjects() throws -> [Project] {
        try tree().nodes.map(\.project)
    }

    // MARK: - The tree

    /// The project tree, read again only when the project table changed: after a commit, its
    /// fingerprint (row count and the rows' transaction ids, a scan of a few thousand small rows)
    /// is compared, so items written by SODAR's workers do not rebuild the tree.
    func tree() throws -> ProjectTree {
        let token = try changeToken()
        let cached = treeCache.withLock { $0 }
        if let cached, cached.token == token { return cached.tree }
        let (fingerprint, tree) = try withConnection { connection -> (String, ProjectTree) in
            let fingerprint = try connection.query(
                "SELECT count(*)::text || '/' || coalesce(sum(xmin::text::bigint), 0)::text FROM \(tables.projects)"
            ).string(0, 0) ?? ""
            if let cached, cached.fingerprint == fingerprint { return (fingerprint, cached.tree) }
            // The table changed: a project re-created under a new row id must not keep its old one.
            if cached != nil { forgetProjectIDs() }
            return (fingerprint, ProjectTree(rows: try loadRows(connection)))
        }
        treeCache.withLock { $0 = (token, fingerprint, tree) }
        return tree
    }

    func loadRows(_ connection: PGConnection) throws -> [ProjectTree.Row] {
        let path = layout == .sodarcache ? "path" : "NULL::text"
        let result = try connection.query(
            "SELECT id, sodar_uuid, title, type, parent_id, coalesce(description, ''), \(path) FROM \(tables.projects)")
        return (0..<result.rowCount).compactMap { row in
            guard let id = result.int(row, 0), let uuid = result.uuid(row, 1) else { return nil }
            return ProjectTree.Row(
                id: id, uuid: uuid, title: result.string(row, 2) ?? "",
                type: Project.Kind(rawValue: result.string(row, 3) ?? "") ?? .project, parentID: result.int(row, 4),
                description: result.string(row, 5) ?? "", path: result.string(row, 6))
        }
    }

    // MARK: - Helpers

    /// A change to projects: the rows by UUID, `body` updating them and the table, then the
    /// rules every tree keeps, all in one transaction that concurrent changes wait for.
    /// - Returns: the tree after the change.
    @discardableResult
    private func changeProjects(
        _ body: (PGConnection, inout [UUID: ProjectTree.Row]) throws -> Void
    ) throws -> ProjectTree {
        let tree = try writeTransaction(audit: { _ in AuditNote(action: "project", what: "changed the project tree") }) { connection -> ProjectTree in
            try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [PGValue(Self.schemaLockKey + 1)])
            var rows: [UUID: ProjectTree.Row] = [:]
            for row in try loadRows(connection) { rows[row.uuid] = row }
            try body(connection, &rows)
            try ProjectTree.checkRules(rows)
            return ProjectTree(rows: try loadRows(connection))
        }
        treeCache.withLock { $0 = nil }
        return tree
    }

    /// Rows keyed by UUID carry their parent as a UUID here (the `parentID` of a new row is
    /// not known yet): see `row(_:id:)`.
    private static func row(_ project: Project, id: Int) -> ProjectTree.Row {
        ProjectTree.Row(
            id: id, uuid: project.uuid, title: project.title, type: project.type,
            parentID: nil, description: project.description, path: project.path, parentUUID: project.parent)
    }

}
