import Foundation
import GRDB
import SodarCache
import StoreKernel

// MARK: - ProjectDirectory

extension SQLiteCacheStore {
    @discardableResult
    public func addProject(_ project: Project) throws -> Project {
        let added = try writeTransaction(audit: { .project("added", $0) }) { db -> Project in
            var rows = try Self.projectRows(db)
            try ProjectTree.add(project, to: &rows)
            try Self.write(db, rows[project.uuid])
            return try Self.recomputeTitles(db, of: project.uuid)
        }
        logger.debug("Added project \"\(added.fullTitle)\" (\(project.uuid.sodarString))")
        return added
    }

    @discardableResult
    public func updateProject(_ project: Project) throws -> Project {
        try writeTransaction(audit: { .project("changed", $0) }) { db -> Project in
            var rows = try Self.projectRows(db)
            try ProjectTree.update(project, in: &rows)
            try Self.write(db, rows[project.uuid])
            return try Self.recomputeTitles(db, of: project.uuid)
        }
    }

    @discardableResult
    public func importProjects(_ projects: [Project]) throws -> (created: Int, updated: Int) {
        let result = try writeTransaction(audit: { .imported(created: $0.created, updated: $0.updated) }) { db -> (created: Int, updated: Int) in
            var rows = try Self.projectRows(db)
            let counts = try ProjectTree.merge(projects, into: &rows)
            // Parent links are deferred foreign keys: parents may follow their children.
            for project in projects { try Self.write(db, rows[project.uuid]) }
            try Self.recomputeTitles(db, root: nil)
            return counts
        }
        logger.debug("Imported \(projects.count) projects")
        return result
    }

    /// Deletes a project in one transaction. A category with child projects is refused, and so
    /// is a project with cached items unless `withItems` (then its items go too).
    /// - Returns: how many items were deleted with it.
    /// - Throws: `CacheError.projectNotFound`, `.invalidArgument` for a refusal (naming how
    ///   many items or children), or a store error.
    @discardableResult
    public func deleteProject(uuid: UUID, withItems: Bool) throws -> Int {
        let deleted = try deleteTransaction(audit: { AuditNote.projectDeleted(uuid, items: $0) }) { db -> Int in
            guard let project = try Self.fetchProject(db, uuid) else { throw CacheError.projectNotFound(uuid.sodarString) }
            let children = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM project WHERE parent_uuid = ?", arguments: [uuid]) ?? 0
            let id = try projectRowID(db, uuid)
            let items = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM cache_item WHERE project_id = ?", arguments: [id]) ?? 0
            try ProjectTree.checkDelete(uuid, title: project.fullTitle, children: children, items: items, withItems: withItems)
            try db.execute(sql: "DELETE FROM cache_item WHERE project_id = ?", arguments: [id])
            // Its items' history goes with it: SQLite gives a later project the same row id
            // (the highest is reused), which would show it these versions as its own.
            try db.execute(sql: "DELETE FROM item_version WHERE project_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM project WHERE id = ?", arguments: [id])
            return items
        }
        // The row id must not outlive the row: a later project may be given the same id.
        projectIDs.forget(uuid)
        logger.debug("Deleted project \(uuid.sodarString) and \(deleted) items")
        return deleted
    }

    public func project(uuid: UUID) throws -> Project? {
        try read { db in try Self.fetchProject(db, uuid) }
    }

    public func allProjects() throws -> [Project] {
        try read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(Self.projectColumns) FROM project ORDER BY sort_key, uuid")
            var projects: [Project] = []
            while let row = try rows.next() { projects.append(try Self.project(row)) }
            return projects
        }
    }

    // MARK: - Helpers

    static let projectColumns = projectColumns(prefix: "")

    /// The columns `project(_:offset:)` decodes, each prefixed with a table alias.
    static func projectColumns(prefix: String) -> String {
        ["uuid", "title", "type", "parent_uuid", "description", "path", "full_title", "depth"]
            .map { prefix + $0 }.joined(separator: ", ")
    }

    /// Decodes `projectColumns` starting at `offset`.
    static func project(_ row: Row, offset: Int = 0) throws -> Project {
        let named = CorruptRow(row: "project \"\(String.fromDatabaseValue(row[offset + 1]) ?? "?")\"", reason: "")
        let typeName = try row.text(offset + 2, "type", of: named)
        return Project(
            uuid: try row.uuid(offset, "uuid", of: named), title: try row.text(offset + 1, "title", of: named),
            type: try CorruptRow.projectKind(typeName, row: named), parent: try row.optionalUUID(offset + 3, "parent_uuid", of: named),
            description: try row.optionalText(offset + 4, "description", of: named) ?? "",
            path: try row.optionalText(offset + 5, "path", of: named), fullTitle: try row.optionalText(offset + 6, "full_title", of: named))
    }

    static func fetchProject(_ db: Database, _ uuid: UUID) throws -> Project? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(Self.projectColumns) FROM project WHERE uuid = ?"), arguments: [uuid]
        ).map { try Self.project($0) }
    }

    /// Every project row keyed by UUID, as `ProjectTree`'s changes check them.
    static func projectRows(_ db: Database) throws -> [UUID: ProjectTree.Row] {
        var rows: [UUID: ProjectTree.Row] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(projectColumns) FROM project")
        while let row = try cursor.next() {
            let project = try Self.project(row)
            rows[project.uuid] = ProjectTree.row(project, id: 0)
        }
        return rows
    }

    /// Writes a changed project's row; full titles, sort keys and depths are the caller's to
    /// recompute (`recomputeTitles`).
    static func write(_ db: Database, _ row: ProjectTree.Row?) throws {
        guard let row else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO project (uuid, title, type, parent_uuid, description, path, full_title, sort_key, depth)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT (uuid) DO UPDATE SET title = excluded.title, type = excluded.type,
                    parent_uuid = excluded.parent_uuid, description = excluded.description, path = excluded.path
                """
        ).execute(arguments: [
            row.uuid, row.title, row.type.rawValue, row.parentUUID, row.description, row.path, row.title, row.title,
        ])
    }

    /// One level of a project's tree-order key, for a project row `c`: its title, then its
    /// UUID (stored as a 16-byte blob), so that siblings with equal titles keep their subtrees
    /// apart (U+0002 sorts before any title character and after U+0001, which joins the levels,
    /// so children still follow their parent).
    static let sortComponentSQL = "c.title || char(2) || hex(c.uuid)"

    /// Recomputes the full titles, sort keys and depths of `uuid`'s subtree.
    /// - Returns: the project as it now stands.
    static func recomputeTitles(_ db: Database, of uuid: UUID) throws -> Project {
        try recomputeTitles(db, root: uuid)
        guard let project = try fetchProject(db, uuid) else { throw CacheError.projectNotFound(uuid.sodarString) }
        return project
    }

    /// Recomputes full titles, sort keys and depths of `root`'s subtree (nil: the whole tree).
    static func recomputeTitles(_ db: Database, root: UUID?) throws {
        let start = root == nil ? "c.parent_uuid IS NULL" : "c.uuid = ?"
        let arguments: StatementArguments = root.map { [$0] } ?? []
        try db.execute(
            sql: """
                WITH RECURSIVE t(uuid, full_title, sort_key, depth) AS (
                    SELECT c.uuid,
                        CASE WHEN p.uuid IS NULL THEN c.title ELSE p.full_title || ' / ' || c.title END,
                        CASE WHEN p.uuid IS NULL THEN \(Self.sortComponentSQL) ELSE p.sort_key || char(1) || \(Self.sortComponentSQL) END,
                        CASE WHEN p.uuid IS NULL THEN 0 ELSE p.depth + 1 END
                    FROM project c LEFT JOIN project p ON p.uuid = c.parent_uuid
                    WHERE \(start)
                    UNION ALL
                    SELECT c.uuid, t.full_title || ' / ' || c.title, t.sort_key || char(1) || \(Self.sortComponentSQL), t.depth + 1
                    FROM project c JOIN t ON c.parent_uuid = t.uuid
                )
                UPDATE project SET full_title = t.full_title, sort_key = t.sort_key, depth = t.depth
                FROM t WHERE project.uuid = t.uuid
                """,
            arguments: arguments)
    }
}
