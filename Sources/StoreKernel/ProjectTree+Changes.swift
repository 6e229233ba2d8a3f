import Foundation
import SodarCache

// MARK: - Changes to the tree, checked before they land

/// An engine reads its project rows keyed by UUID, applies a change here, and writes what
/// changed: the rules (a title that says something, an existing category as parent, no cycle,
/// no two siblings with one title) and their messages are the same on every engine.
extension ProjectTree {
    /// A project's row as a change writes it: its parent by UUID (a new row has no id yet: 0).
    public static func row(_ project: Project, id: Int) -> Row {
        Row(
            id: id, uuid: project.uuid, title: project.title, type: project.type, parentID: nil,
            description: project.description, path: project.path, parentUUID: project.parent)
    }

    /// Adds `project` to `rows`, then checks the tree's rules.
    /// - Throws: `CacheError.invalidArgument` for a UUID already taken or a broken rule,
    ///   `.projectNotFound` for an unknown parent.
    public static func add(_ project: Project, to rows: inout [UUID: Row]) throws {
        try checkTitle(project)
        if rows[project.uuid] != nil {
            throw CacheError.invalidArgument("A project with UUID \(project.uuid.sodarString) already exists")
        }
        if let parent = project.parent, rows[parent] == nil { throw CacheError.projectNotFound(parent.sodarString) }
        rows[project.uuid] = row(project, id: 0)
        try checkRules(rows)
    }

    /// Replaces `project`'s row in `rows` (every field, its path too), then checks the rules.
    /// - Throws: `CacheError.projectNotFound` for an unknown project or parent,
    ///   `.invalidArgument` for a broken rule.
    public static func update(_ project: Project, in rows: inout [UUID: Row]) throws {
        try checkTitle(project)
        guard let old = rows[project.uuid] else { throw CacheError.projectNotFound(project.uuid.sodarString) }
        if let parent = project.parent, rows[parent] == nil { throw CacheError.projectNotFound(parent.sodarString) }
        rows[project.uuid] = row(project, id: old.id)
        try checkRules(rows)
    }

    /// Merges an import's records into `rows` (a record without a path keeps the old one),
    /// then checks the rules.
    /// - Returns: how many were created and how many updated.
    public static func merge(_ projects: [Project], into rows: inout [UUID: Row]) throws -> (created: Int, updated: Int) {
        try checkImport(projects)
        var counts = (created: 0, updated: 0)
        for project in projects {
            let old = rows[project.uuid]
            if old == nil { counts.created += 1 } else { counts.updated += 1 }
            rows[project.uuid] = importedRow(project, replacing: old)
        }
        try checkRules(rows)
        return counts
    }

    /// Refuses to delete a category with children, or a project with items unless `withItems`.
    /// - Parameter title: the project's full title, as the message shows it.
    public static func checkDelete(_ uuid: UUID, title: String, children: Int, items: Int, withItems: Bool) throws {
        if children > 0 {
            throw CacheError.invalidArgument(
                "Category \"\(title)\" (\(uuid.sodarString)) has \(children) child project\(children == 1 ? "" : "s"); delete or move them first")
        }
        if items > 0 && !withItems {
            throw CacheError.invalidArgument(
                "Project \"\(title)\" (\(uuid.sodarString)) has \(items) cached item\(items == 1 ? "" : "s"); pass --with-items to delete them with it")
        }
    }

    /// The rules every project tree keeps, checked on rows keyed by UUID before a change lands:
    /// parents exist and are categories, no cycles, no two siblings with one title.
    public static func checkRules(_ rows: [UUID: ProjectTree.Row]) throws {
        var byID: [Int: UUID] = [:]
        for row in rows.values where row.id != 0 { byID[row.id] = row.uuid }
        func parent(of row: ProjectTree.Row) -> UUID? { row.parentUUID ?? row.parentID.flatMap { byID[$0] } }
        var titles = Set<String>()
        // Checked in one order on every engine (the first broken rule is the one reported).
        for (_, row) in rows.values.map({ ($0.uuid.uuidString, $0) }).sorted(by: { $0.0 < $1.0 }) {
            let parentUUID = parent(of: row)
            if let parentUUID {
                guard let parentRow = rows[parentUUID] else { throw CacheError.projectNotFound(parentUUID.sodarString) }
                guard parentRow.type == .category else {
                    throw CacheError.invalidArgument(
                        "Parent \(parentUUID.sodarString) of project \(row.uuid.sodarString) is not a category")
                }
            }
            let key = (parentUUID?.uuidString ?? "-") + "\u{0}" + row.title
            if !titles.insert(key).inserted {
                let place = parentUUID.flatMap { rows[$0] }.map { "in \"\($0.title)\"" } ?? "at the top level"
                throw CacheError.invalidArgument(
                    "A project titled \"\(row.title)\" already exists \(place); titles must differ under one parent")
            }
            // Walk up: a cycle never reaches the top.
            var seen: Set<UUID> = [row.uuid]
            var current = parentUUID
            while let step = current {
                guard seen.insert(step).inserted else {
                    throw CacheError.invalidArgument(
                        "Project \(row.uuid.sodarString) cannot be moved under itself or its own descendant")
                }
                current = rows[step].flatMap { parent(of: $0) }
            }
        }
    }

    /// A project's title must say something.
    public static func checkTitle(_ project: Project) throws {
        if project.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw CacheError.invalidArgument("A project's title cannot be empty")
        }
    }

    /// What an import's records must be on their own: each with a title, each UUID once.
    public static func checkImport(_ projects: [Project]) throws {
        var seen = Set<UUID>()
        for project in projects {
            try checkTitle(project)
            guard seen.insert(project.uuid).inserted else {
                throw CacheError.invalidArgument("Project \(project.uuid.sodarString) appears twice in the import")
            }
        }
    }

    /// An imported project's row, merged with the row it replaces: its parent by UUID (new rows
    /// have no id yet) and the old path kept when the record carries none.
    public static func importedRow(_ project: Project, replacing old: Row?) -> Row {
        Row(
            id: old?.id ?? 0, uuid: project.uuid, title: project.title, type: project.type, parentID: nil,
            description: project.description, path: project.path ?? old?.path, parentUUID: project.parent)
    }
}
