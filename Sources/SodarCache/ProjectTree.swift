import Foundation

/// Every project of a store in tree order, held in memory: SODAR's project table has no index
/// that gives tree order (nor one on `full_title`), and a site has thousands of projects, not
/// millions, so one read of the table serves every page until something is committed. The
/// order is the SQLite store's: a parent before its children, siblings by title (ASCII
/// case-folded) then UUID.
public struct ProjectTree: Sendable {
    public struct Node: Sendable {
        /// The row id items refer to.
        public var id: Int
        public var project: Project
        public var depth: Int
        /// Tree-order key, compared bytewise: each level's lowercased title and UUID.
        public var sortKey: [UInt8]
        /// The full title, ASCII-folded once for filters.
        public var foldedTitle: String = ""
    }

    /// Nodes in tree order (a parent before its children, siblings by title then UUID).
    public let nodes: [Node]
    private let positionByUUID: [UUID: Int]
    private let positionByID: [Int: Int]

    /// One row of the project table.
    public struct Row: Sendable {
        public var id: Int
        public var uuid: UUID
        public var title: String
        public var type: Project.Kind
        public var parentID: Int?
        public var description: String
        public var path: String?
        /// The parent by UUID, for rows not written yet (changes checked before they land).
        public var parentUUID: UUID?

        public init(
            id: Int, uuid: UUID, title: String, type: Project.Kind, parentID: Int?, description: String, path: String?,
            parentUUID: UUID? = nil
        ) {
            self.id = id
            self.uuid = uuid
            self.title = title
            self.type = type
            self.parentID = parentID
            self.description = description
            self.path = path
            self.parentUUID = parentUUID
        }
    }

    /// Builds the tree; rows whose parent chain is broken or cyclic are left out.
    public init(rows: [Row]) {
        var byID: [Int: Row] = [:]
        var children: [Int?: [Row]] = [:]
        for row in rows {
            byID[row.id] = row
        }
        for row in rows {
            let parent = row.parentID.flatMap { byID[$0] == nil ? nil : $0 }
            children[parent, default: []].append(row)
        }
        var nodes: [Node] = []
        nodes.reserveCapacity(rows.count)
        func component(_ row: Row) -> [UInt8] {
            // Bytes, not Foundation's replacingOccurrences: that took three quarters of a
            // 10,000-project tree's build on Linux (NSString round trips).
            Array(Self.foldASCII(row.title).utf8) + [2] + row.uuid.uuidString.utf8.filter { $0 != UInt8(ascii: "-") }
        }
        // Depth-first, iteratively (a deep tree must not exhaust the stack).
        var stack: [(row: Row, parentKey: [UInt8], parentTitle: String?, depth: Int)] = []
        func push(_ siblings: [Row]?, parentKey: [UInt8], parentTitle: String?, depth: Int) {
            guard let siblings else { return }
            let sorted = siblings.map { ($0, component($0)) }.sorted { $0.1.lexicographicallyPrecedes($1.1) }
            for (row, _) in sorted.reversed() {
                stack.append((row, parentKey, parentTitle, depth))
            }
        }
        push(children[nil], parentKey: [], parentTitle: nil, depth: 0)
        var visited = Set<Int>()
        while let (row, parentKey, parentTitle, depth) = stack.popLast() {
            guard visited.insert(row.id).inserted else { continue }
            let key = parentKey.isEmpty ? component(row) : parentKey + [1] + component(row)
            let fullTitle = parentTitle.map { $0 + " / " + row.title } ?? row.title
            let parentUUID = row.parentID.flatMap { byID[$0]?.uuid }
            nodes.append(
                Node(
                    id: row.id,
                    project: Project(
                        uuid: row.uuid, title: row.title, type: row.type, parent: parentUUID,
                        description: row.description, path: row.path, fullTitle: fullTitle),
                    depth: depth, sortKey: key, foldedTitle: Self.foldASCII(fullTitle)))
            push(children[row.id], parentKey: key, parentTitle: fullTitle, depth: depth + 1)
        }
        self.nodes = nodes
        var byUUID: [UUID: Int] = [:]
        var byRowID: [Int: Int] = [:]
        for (index, node) in nodes.enumerated() {
            byUUID[node.project.uuid] = index
            byRowID[node.id] = index
        }
        positionByUUID = byUUID
        positionByID = byRowID
    }

    /// The project `uuid` as the tree has it (full title filled in).
    /// - Throws: `CacheError.projectNotFound`.
    public func project(_ uuid: UUID) throws -> Project {
        guard let node = node(uuid: uuid) else { throw CacheError.projectNotFound(uuid.sodarString) }
        return node.project
    }

    public func node(uuid: UUID) -> Node? { positionByUUID[uuid].map { nodes[$0] } }
    public func node(id: Int) -> Node? { positionByID[id].map { nodes[$0] } }
    public func position(uuid: UUID) -> Int? { positionByUUID[uuid] }
    public func position(id: Int) -> Int? { positionByID[id] }

    /// SQLite's NOCASE: ASCII letters fold, nothing else.
    public static func foldASCII(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Whether a node's full title contains `filter` (already folded), as `matches(_:filter:)`.
    public static func matches(_ node: Node, folded filter: String?) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        return node.foldedTitle.contains(filter)
    }

    /// Whether `text` contains `filter`, ASCII case-insensitively (as SQLite's LIKE).
    public static func matches(_ text: String, filter: String?) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        return foldASCII(text).contains(foldASCII(filter))
    }

    /// The rules every project tree keeps, checked on rows keyed by UUID before a change lands:
    /// parents exist and are categories, no cycles, no two siblings with one title.
    public static func checkRules(_ rows: [UUID: ProjectTree.Row]) throws {
        var byID: [Int: UUID] = [:]
        for row in rows.values where row.id != 0 { byID[row.id] = row.uuid }
        func parent(of row: ProjectTree.Row) -> UUID? { row.parentUUID ?? row.parentID.flatMap { byID[$0] } }
        var titles = Set<String>()
        for row in rows.values.sorted(by: { $0.uuid.uuidString < $1.uuid.uuidString }) {
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
