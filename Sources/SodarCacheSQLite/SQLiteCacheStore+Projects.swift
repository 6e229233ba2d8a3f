import Foundation
import GRDB
import SodarCache
import StoreKernel

// MARK: - ProjectDirectory

extension SQLiteCacheStore {
    @discardableResult
    public func addProject(_ project: Project) throws -> Project {
        try checkTitle(project)
        let added = try writeTransaction(audit: { .project("added", $0) }) { db -> Project in
            if try exists(db, project.uuid) {
                throw CacheError.invalidArgument("A project with UUID \(project.uuid.sodarString) already exists")
            }
            var fullTitle = project.title
            var sortKey = Self.sortComponent(project)
            var depth = 0
            if let parentUUID = project.parent {
                guard
                    let parent = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT type, full_title, sort_key, depth FROM project WHERE uuid = ?"),
                        arguments: [parentUUID])
                else { throw CacheError.projectNotFound(parentUUID.sodarString) }
                let type: String = parent[0]
                guard type == Project.Kind.category.rawValue else {
                    throw Self.notCategory(parentUUID, child: project.uuid)
                }
                fullTitle = parent[1] + " / " + project.title
                sortKey = parent[2] + "\u{1}" + Self.sortComponent(project)
                depth = parent[3] + 1
            }
            try checkUniqueTitle(db, project)
            try db.cachedStatement(
                sql: """
                    INSERT INTO project (uuid, title, type, parent_uuid, description, path, full_title, sort_key, depth)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                project.uuid, project.title, project.type.rawValue, project.parent, project.description,
                project.path, fullTitle, sortKey, depth,
            ])
            var added = project
            added.fullTitle = fullTitle
            return added
        }
        logger.debug("Added project \"\(added.fullTitle)\" (\(project.uuid.sodarString))")
        return added
    }

    @discardableResult
    public func updateProject(_ project: Project) throws -> Project {
        try checkTitle(project)
        return try writeTransaction(audit: { .project("changed", $0) }) { db -> Project in
            guard try exists(db, project.uuid) else {
                throw CacheError.projectNotFound(project.uuid.sodarString)
            }
            // A new parent must not be the project itself or one of its descendants.
            var ancestor = project.parent
            var steps = 0
            while let current = ancestor {
                if current == project.uuid {
                    throw CacheError.invalidArgument(
                        "Project \(project.uuid.sodarString) cannot be moved under itself or its own descendant")
                }
                guard
                    let row = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT parent_uuid FROM project WHERE uuid = ?"), arguments: [current])
                else { throw CacheError.projectNotFound(current.sodarString) }
                ancestor = row[0]
                steps += 1
                if steps > 100_000 { throw CacheError.storeFailure("project tree has a cycle") }
            }
            try db.execute(
                sql: """
                    UPDATE project SET title = ?, type = ?, parent_uuid = ?, description = ?, path = ?
                    WHERE uuid = ?
                    """,
                arguments: [
                    project.title, project.type.rawValue, project.parent, project.description, project.path,
                    project.uuid,
                ])
            try checkTreeIntegrity(db)
            try Self.recomputeTitles(db, root: project.uuid)
            guard let updated = try fetchProject(db, project.uuid) else {
                throw CacheError.projectNotFound(project.uuid.sodarString)
            }
            return updated
        }
    }

    @discardableResult
    public func importProjects(_ projects: [Project]) throws -> (created: Int, updated: Int) {
        var seen = Set<UUID>()
        for project in projects {
            try checkTitle(project)
            guard seen.insert(project.uuid).inserted else {
                throw CacheError.invalidArgument("Project \(project.uuid.sodarString) appears twice in the import")
            }
        }
        let result = try writeTransaction(audit: { .imported(created: $0.created, updated: $0.updated) }) { db -> (created: Int, updated: Int) in
            var created = 0
            var updated = 0
            for project in projects {
                if try exists(db, project.uuid) { updated += 1 } else { created += 1 }
                // Parent links are deferred foreign keys: parents may follow their children.
                try db.cachedStatement(
                    sql: """
                        INSERT INTO project (uuid, title, type, parent_uuid, description, path, full_title, sort_key, depth)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
                        ON CONFLICT (uuid) DO UPDATE SET title = excluded.title, type = excluded.type,
                            parent_uuid = excluded.parent_uuid, description = excluded.description,
                            path = coalesce(excluded.path, path)
                        """
                ).execute(arguments: [
                    project.uuid, project.title, project.type.rawValue, project.parent, project.description,
                    project.path, project.title, project.title,
                ])
            }
            try checkTreeIntegrity(db)
            let reached = try Self.recomputeTitles(db, root: nil)
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM project") ?? 0
            if reached != total {
                throw CacheError.invalidArgument("The imported projects' parents form a cycle")
            }
            return (created, updated)
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
        let deleted = try deleteTransaction(audit: { AuditNote(action: "delete", what: "project \(uuid.sodarString) with \($0) item\($0 == 1 ? "" : "s")") }) { db -> Int in
            guard let project = try fetchProject(db, uuid) else { throw CacheError.projectNotFound(uuid.sodarString) }
            let children = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM project WHERE parent_uuid = ?", arguments: [uuid]) ?? 0
            if children > 0 {
                throw CacheError.invalidArgument(
                    "Category \"\(project.fullTitle)\" (\(uuid.sodarString)) has \(children) child project\(children == 1 ? "" : "s"); delete or move them first")
            }
            let id = try projectRowID(db, uuid)
            let items = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM cache_item WHERE project_id = ?", arguments: [id]) ?? 0
            if items > 0 && !withItems {
                throw CacheError.invalidArgument(
                    "Project \"\(project.fullTitle)\" (\(uuid.sodarString)) has \(items) cached item\(items == 1 ? "" : "s"); pass --with-items to delete them with it")
            }
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
        try read { db in try fetchProject(db, uuid) }
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
            type: Project.Kind(rawValue: typeName) ?? .project, parent: try row.optionalUUID(offset + 3, "parent_uuid", of: named),
            description: try row.optionalText(offset + 4, "description", of: named) ?? "",
            path: try row.optionalText(offset + 5, "path", of: named), fullTitle: try row.optionalText(offset + 6, "full_title", of: named))
    }

    func fetchProject(_ db: Database, _ uuid: UUID) throws -> Project? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(Self.projectColumns) FROM project WHERE uuid = ?"), arguments: [uuid]
        ).map { try Self.project($0) }
    }

    func exists(_ db: Database, _ uuid: UUID) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM project WHERE uuid = ?)"), arguments: [uuid]
        ) ?? false
    }

    func checkTitle(_ project: Project) throws {
        if project.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let shown = project.title.isEmpty ? "empty" : "only whitespace"
            throw CacheError.invalidArgument("The title of project \(project.uuid.sodarString) is \(shown)")
        }
    }

    static func notCategory(_ parent: UUID, child: UUID) -> CacheError {
        .invalidArgument(
            "Parent \(parent.sodarString) of project \(child.sodarString) is not a category")
    }

    /// No other project of the same parent has this title (SODAR: `UNIQUE (title, parent)`):
    /// two siblings with one title cannot be told apart in the tree or by full title.
    func checkUniqueTitle(_ db: Database, _ project: Project) throws {
        let taken = try Bool.fetchOne(
            db.cachedStatement(
                sql: "SELECT EXISTS (SELECT 1 FROM project WHERE parent_uuid IS ? AND title = ? AND uuid != ?)"),
            arguments: [project.parent, project.title, project.uuid]) ?? false
        if taken { throw try duplicateTitle(db, title: project.title, parent: project.parent) }
    }

    func duplicateTitle(_ db: Database, title: String, parent: UUID?) throws -> CacheError {
        let place = try parent.flatMap { try fetchProject(db, $0) }.map { "in \"\($0.fullTitle)\"" } ?? "at the top level"
        return .invalidArgument("A project titled \"\(title)\" already exists \(place); titles must differ under one parent")
    }

    /// Every parent exists and is a category (checked before the deferred foreign keys are),
    /// and no two siblings share a title.
    func checkTreeIntegrity(_ db: Database) throws {
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT c.uuid, c.parent_uuid FROM project c LEFT JOIN project p ON p.uuid = c.parent_uuid
                WHERE c.parent_uuid IS NOT NULL AND p.id IS NULL LIMIT 1
                """)
        {
            let parent: UUID = row[1]
            throw CacheError.projectNotFound(parent.sodarString)
        }
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT c.uuid, p.uuid FROM project c JOIN project p ON p.uuid = c.parent_uuid
                WHERE p.type != 'CATEGORY' LIMIT 1
                """)
        {
            throw Self.notCategory(row[1], child: row[0])
        }
        if let row = try Row.fetchOne(
            db,
            sql: "SELECT title, parent_uuid FROM project GROUP BY parent_uuid, title HAVING count(*) > 1 LIMIT 1")
        {
            throw try duplicateTitle(db, title: row[0], parent: row[1])
        }
    }

    /// One level of a project's tree-order key: its title, then its UUID, so that siblings
    /// with equal titles keep their subtrees apart (U+0002 sorts before any title character
    /// and after U+0001, which joins the levels, so children still follow their parent).
    static func sortComponent(_ project: Project) -> String {
        project.title + "\u{2}" + project.uuid.uuidString.replacingOccurrences(of: "-", with: "")
    }

    /// `sortComponent` in SQL, for a project row `c` (uuids are stored as 16-byte blobs).
    static let sortComponentSQL = "c.title || char(2) || hex(c.uuid)"

    /// Recomputes full titles, sort keys and depths of `root`'s subtree (nil: the whole tree).
    /// - Returns: how many projects were reached.
    @discardableResult
    static func recomputeTitles(_ db: Database, root: UUID?) throws -> Int {
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
        return db.changesCount
    }
}
