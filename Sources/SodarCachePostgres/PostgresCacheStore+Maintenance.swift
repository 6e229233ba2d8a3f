import Foundation
import SodarCache

// MARK: - CacheMaintenance

extension PostgresCacheStore {
    public func items(matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        let tree = try tree()
        return try withConnection { connection in
            try itemPage(connection, tree: tree, matching: filter, after: after, limit: limit)
        }
    }

    public func forEachItemPage(
        matching filter: CacheFilter, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws {
        let limit = max(1, pageSize)
        // One snapshot (REPEATABLE READ) on a connection of its own: the listing never mixes
        // two states, and `body` may use the store meanwhile.
        try Self.mapped(location.description) {
            let connection = try pool.connect()
            try connection.transaction("REPEATABLE READ, READ ONLY") {
                let tree = ProjectTree(rows: try loadRows(connection))
                var after: ItemSummary?
                while true {
                    let page = try itemPage(connection, tree: tree, matching: filter, after: after, limit: limit)
                    if !page.isEmpty { try body(page) }
                    guard page.count == limit, let last = page.last else { return }
                    after = last
                }
            }
        }
    }

    public func countItems(matching filter: CacheFilter) throws -> [String: Int] {
        try withConnection { connection in
            let (conditions, parameters) = try self.conditions(connection, filter)
            let result = try connection.query(
                "SELECT app_name, count(*) FROM \(tables.items) i \(Self.whereClause(conditions)) GROUP BY app_name",
                parameters)
            var counts: [String: Int] = [:]
            for row in 0..<result.rowCount { counts[result.string(row, 0) ?? ""] = result.int(row, 1) ?? 0 }
            return counts
        }
    }

    @discardableResult
    public func deleteItems(matching filter: CacheFilter) throws -> Int {
        try writeTransaction { connection in
            let (conditions, parameters) = try self.conditions(connection, filter)
            return try connection.query("DELETE FROM \(tables.items) i \(Self.whereClause(conditions))", parameters).affectedRows
        }
    }

    @discardableResult
    public func deleteItems(uuids: [UUID]) throws -> Int {
        if uuids.isEmpty { return 0 }
        return try writeTransaction { connection in
            var deleted = 0
            // Bounded statements: a 10,000-item delete is a few statements, all in one transaction.
            var start = 0
            while start < uuids.count {
                let chunk = uuids[start..<min(start + 1_000, uuids.count)]
                let literal = "{" + chunk.map { $0.uuidString.lowercased() }.joined(separator: ",") + "}"
                deleted += try connection.query(
                    "DELETE FROM \(tables.items) WHERE sodar_uuid = ANY($1::uuid[])", [.text(literal)]
                ).affectedRows
                start += chunk.count
            }
            return deleted
        }
    }

    // MARK: - Helpers

    static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    /// SQL conditions on the item table (alias `i`) for `filter`, scope included.
    func conditions(_ connection: PGConnection, _ filter: CacheFilter, scope: Bool = true) throws -> ([String], [PGValue]) {
        var conditions: [String] = []
        var parameters: [PGValue] = []
        func bind(_ value: PGValue) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        if scope {
            switch filter.scope {
            case .all: break
            case .site: conditions.append("i.project_id IS NULL")
            case .project(let uuid):
                let id = try projectRowID(connection, uuid)
                conditions.append("i.project_id = \(bind(PGValue(id)))::bigint")
            }
        }
        if let app = filter.appName { conditions.append("i.app_name = \(bind(.text(app)))") }
        if let olderThan = filter.olderThan {
            conditions.append("i.date_modified < to_timestamp(\(bind(PGValue(olderThan.timeIntervalSince1970)))::float8)")
        }
        if let registered = filter.appNotIn {
            // Orphans: an app no longer registered, or a project no longer there.
            let missing = "(i.project_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \(tables.projects) o WHERE o.id = i.project_id))"
            if registered.isEmpty {
                conditions.append(missing)
            } else {
                let list = "{" + registered.sorted().map(Self.arrayElement).joined(separator: ",") + "}"
                conditions.append("(NOT (i.app_name = ANY(\(bind(.text(list)))::text[])) OR \(missing))")
            }
        }
        return (conditions, parameters)
    }

    /// One element of a text array literal, quoted.
    static func arrayElement(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// One keyset page of `items(matching:)`: site-wide items first, then each project's in
    /// tree order, by (app, name); orphans by item UUID.
    func itemPage(
        _ connection: PGConnection, tree: ProjectTree, matching filter: CacheFilter, after: ItemSummary?, limit: Int
    ) throws -> [ItemSummary] {
        guard limit > 0 else { return [] }
        var (conditions, parameters) = try self.conditions(connection, filter)
        func bind(_ value: PGValue) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        let select = "SELECT \(itemColumns), \(sizeColumn) FROM \(tables.items) i \(itemJoins)"
        if filter.appNotIn != nil {
            if let after { conditions.append("i.sodar_uuid > \(bind(PGValue(after.uuid)))::uuid") }
            let result = try connection.query(
                "\(select) \(Self.whereClause(conditions)) ORDER BY i.sodar_uuid LIMIT \(bind(PGValue(limit)))::bigint",
                parameters)
            return (0..<result.rowCount).map { Self.summary(result, $0) }
        }
        // The scopes to walk, in order, starting with the one `after` ended in.
        var page: [ItemSummary] = []
        let (baseConditions, baseParameters) = (conditions, parameters)
        func scopePage(projectIDs: [Int]?, after: ItemSummary?) throws {
            var conditions = baseConditions
            parameters = baseParameters
            let order: String
            if let projectIDs {
                let ids = bind(Self.array(projectIDs))
                conditions.append("i.project_id = ANY(\(ids)::bigint[])")
                order = "array_position(\(ids)::bigint[], i.project_id), i.app_name, i.name"
            } else {
                conditions.append("i.project_id IS NULL")
                order = "i.app_name, i.name"
            }
            if let after {
                conditions.append("(i.app_name, i.name) > (\(bind(.text(after.appName))), \(bind(.text(after.name))))")
            }
            let result = try connection.query(
                "\(select) \(Self.whereClause(conditions)) ORDER BY \(order) LIMIT \(bind(PGValue(limit - page.count)))::bigint",
                parameters)
            page += (0..<result.rowCount).map { Self.summary(result, $0) }
        }
        switch filter.scope {
        case .site:
            try scopePage(projectIDs: nil, after: after)
            return page
        case .project(let uuid):
            // The scope condition is already in `conditions`.
            let id = try projectRowID(connection, uuid) ?? 0
            try scopePage(projectIDs: [id], after: after)
            return page
        case .all:
            var position = 0
            if let after, let project = after.project {
                guard let at = tree.position(uuid: project) else { return [] }
                try scopePage(projectIDs: [tree.nodes[at].id], after: after)
                position = at + 1
            } else {
                try scopePage(projectIDs: nil, after: after)
            }
            // The following projects, a batch at a time. Batches start small and grow: each
            // statement reads and sorts every item of its projects, and a page is usually
            // filled by the first few (500 projects of 100 items took 140-270 ms).
            var batchSize = 8
            while page.count < limit && position < tree.nodes.count {
                let batch = tree.nodes[position..<min(position + batchSize, tree.nodes.count)].map(\.id)
                try scopePage(projectIDs: batch, after: nil)
                position += batch.count
                batchSize = min(batchSize * 4, 512)
            }
            return page
        }
    }
}
