import Foundation
import SodarCache

/// Every project of a store in tree order, held in memory: SODAR's project table has no index
/// that gives tree order (nor one on `full_title`), and a site has thousands of projects, not
/// millions, so one read of the table serves every page until the projects change. The order
/// is the SQLite store's: a parent before its children, siblings by title (ASCII case-folded)
/// then UUID.
public struct ProjectTree: Sendable {
    public struct Node: Sendable {
        /// The row id items refer to.
        public var id: Int
        public var project: Project
        public var depth: Int
        /// The parent's position in `nodes` (nil at the top level).
        public var parent: Int?
        /// This node and its descendants: they are `nodes[position ..< position + subtreeSize]`.
        public var subtreeSize: Int
        /// Direct children.
        public var childCount: Int
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

    /// Builds the tree. A row whose parent is not among the rows stands at the top level; rows
    /// in a parent cycle (and a row that is its own parent) are left out. A row's parent is
    /// `parentID`, or `parentUUID` when it has no id.
    public init(rows: [Row]) {
        let count = rows.count
        var indexByID: [Int: Int] = [:]
        var indexByUUID: [UUID: Int] = [:]
        indexByID.reserveCapacity(count)
        indexByUUID.reserveCapacity(count)
        for index in rows.indices {
            indexByID[rows[index].id] = index
            indexByUUID[rows[index].uuid] = index
        }
        // Children by row index, sorted by each row's key: its folded title, a 2, and its UUID's
        // bytes (the order of the SQLite store's hex sort key). Keys live in one buffer.
        var keyBytes: [UInt8] = []
        keyBytes.reserveCapacity(count * 40)
        var keyRanges: [Range<Int>] = []
        keyRanges.reserveCapacity(count)
        var children: [[Int]] = Array(repeating: [], count: count)
        var roots: [Int] = []
        for index in rows.indices {
            let start = keyBytes.count
            Self.appendSiblingKey(of: rows[index], to: &keyBytes)
            keyRanges.append(start..<keyBytes.count)
            let parentID = rows[index].parentID
            let parent = parentID.flatMap { indexByID[$0] } ?? (parentID == nil ? rows[index].parentUUID.flatMap { indexByUUID[$0] } : nil)
            if let parent, parent != index { children[parent].append(index) } else if parent == nil { roots.append(index) }
        }
        func sorted(_ list: [Int]) -> [Int] {
            guard list.count > 1 else { return list }
            return keyBytes.withUnsafeBufferPointer { bytes in
                list.sorted { left, right in
                    let a = keyRanges[left], b = keyRanges[right]
                    let common = min(a.count, b.count)
                    let order = memcmp(bytes.baseAddress! + a.lowerBound, bytes.baseAddress! + b.lowerBound, common)
                    return order != 0 ? order < 0 : a.count < b.count
                }
            }
        }
        var nodes: [Node] = []
        nodes.reserveCapacity(count)
        var visited = [Bool](repeating: false, count: count)
        // Depth-first, iteratively (a deep tree must not exhaust the stack). An entry with a
        // node position closes that node's subtree.
        enum Step { case open(row: Int, parent: Int?), close(position: Int) }
        var stack: [Step] = sorted(roots).reversed().map { .open(row: $0, parent: nil) }
        while let step = stack.popLast() {
            switch step {
            case .close(let position):
                nodes[position].subtreeSize = nodes.count - position
            case .open(let index, let parent):
                guard !visited[index] else { continue }
                visited[index] = true
                let row = rows[index]
                var fullTitle = row.title, depth = 0
                var parentUUID: UUID?
                if let parent {
                    fullTitle = nodes[parent].project.fullTitle + " / " + row.title
                    depth = nodes[parent].depth + 1
                    parentUUID = nodes[parent].project.uuid
                }
                let position = nodes.count
                nodes.append(
                    Node(
                        id: row.id,
                        project: Project(
                            uuid: row.uuid, title: row.title, type: row.type, parent: parentUUID,
                            description: row.description, path: row.path, fullTitle: fullTitle),
                        depth: depth, parent: parent, subtreeSize: 1, childCount: 0))
                if let parent { nodes[parent].childCount += 1 }
                stack.append(.close(position: position))
                for child in sorted(children[index]).reversed() { stack.append(.open(row: child, parent: position)) }
            }
        }
        self.nodes = nodes
        (positionByUUID, positionByID) = Self.positions(nodes)
    }

    /// Builds the tree from rows already in tree order with their depths and full titles (the
    /// SQLite store keeps both): no sort and no string building. Nil when the rows are not a
    /// tree in that order (a row whose parent is not the nearest row above it one level up).
    public init?(ordered rows: [(id: Int, project: Project, depth: Int)]) {
        var nodes: [Node] = []
        nodes.reserveCapacity(rows.count)
        var open: [Int] = []
        func close(to depth: Int) {
            while open.count > depth {
                let position = open.removeLast()
                nodes[position].subtreeSize = nodes.count - position
            }
        }
        for row in rows {
            guard row.depth >= 0, row.depth <= open.count else { return nil }
            close(to: row.depth)
            let parent = open.last
            guard parent.map({ nodes[$0].project.uuid }) == row.project.parent else { return nil }
            if let parent { nodes[parent].childCount += 1 }
            open.append(nodes.count)
            nodes.append(Node(id: row.id, project: row.project, depth: row.depth, parent: parent, subtreeSize: 1, childCount: 0))
        }
        close(to: 0)
        self.nodes = nodes
        (positionByUUID, positionByID) = Self.positions(nodes)
    }

    /// Each node's position by UUID and by row id.
    private static func positions(_ nodes: [Node]) -> ([UUID: Int], [Int: Int]) {
        var byUUID: [UUID: Int] = [:]
        var byRowID: [Int: Int] = [:]
        byUUID.reserveCapacity(nodes.count)
        byRowID.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            byUUID[node.project.uuid] = index
            byRowID[node.id] = index
        }
        return (byUUID, byRowID)
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

    /// A row's place among its siblings: its title ASCII-folded, a 2, and its UUID's bytes
    /// (the order of the SQLite store's hex sort key), compared as bytes.
    static func appendSiblingKey(of row: Row, to key: inout [UInt8]) {
        for byte in row.title.utf8 { key.append((65...90).contains(byte) ? byte + 32 : byte) }
        key.append(2)
        withUnsafeBytes(of: row.uuid.uuid) { key.append(contentsOf: $0) }
    }

    /// A category and every project and category beneath it, in breadth-first order, from a
    /// project list (`D`, `x` and `deletecache --subtree` on a category; the doctor's scope).
    public static func subtree(of root: UUID, in projects: [Project]) -> [UUID] {
        var children: [UUID: [UUID]] = [:]
        for project in projects { if let parent = project.parent { children[parent, default: []].append(project.uuid) } }
        var found = [root]
        var index = 0
        while index < found.count {
            found += children[found[index]] ?? []
            index += 1
        }
        return found
    }

    /// Sibling rows in tree order, for an engine that reads one branch at a time.
    public static func inSiblingOrder(_ rows: [Row]) -> [Row] {
        var key: [UInt8] = []
        let keyed = rows.map { row -> ([UInt8], Row) in
            key.removeAll(keepingCapacity: true)
            appendSiblingKey(of: row, to: &key)
            return (key, row)
        }
        return keyed.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }

    /// SQLite's NOCASE: ASCII letters fold, nothing else.
    public static func foldASCII(_ text: String) -> String {
        String(decoding: text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Whether `text` contains `filter`, ASCII case-insensitively (as SQLite's LIKE).
    public static func matches(_ text: String, filter: String?) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        return foldASCII(text).contains(foldASCII(filter))
    }
}
