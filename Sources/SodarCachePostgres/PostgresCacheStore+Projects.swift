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
        let tree = try changeProjects { connection, rows in
            try ProjectTree.add(project, to: &rows)
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
        let tree = try changeProjects { connection, rows in
            try ProjectTree.update(project, in: &rows)
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
        var counts = (created: 0, updated: 0)
        try changeProjects { connection, rows in
            counts = try ProjectTree.merge(projects, into: &rows)
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
        return try (0..<result.rowCount).map { try Self.projectRow(result, $0) }
    }

    /// A project row from the tree's columns (id, UUID, title, type, parent id, description,
    /// path); a row that is no project (no title, a type SODAR does not have) is a `CorruptRow`
    /// naming it, as on every engine.
    static func projectRow(_ result: PGResult, _ index: Int) throws -> ProjectTree.Row {
        let row = result.row(index)
        // Named only when it is corrupt: a tree load reads every project.
        let named = { CorruptRow(row: "project \"\(row.text(at: 2) ?? "?")\"", reason: "") }
        return ProjectTree.Row(
            id: try row.integer(0, "id", of: named()), uuid: try row.uuid(1, "sodar_uuid", of: named()),
            title: try row.text(2, "title", of: named()),
            type: try CorruptRow.projectKind(try row.text(3, "type", of: named()), row: named()),
            parentID: result.int(index, 4), description: result.string(index, 5) ?? "", path: result.string(index, 6))
    }

    // MARK: - Helpers

    /// A change to projects: the rows by UUID, `body` checking its change on them (`ProjectTree`'s
    /// changes) and writing the table, in one transaction that concurrent changes wait for.
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
            return ProjectTree(rows: try loadRows(connection))
        }
        treeCache.withLock { $0 = nil }
        return tree
    }
}
