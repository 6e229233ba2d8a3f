import Foundation
import GRDB
import SodarCache

// MARK: - CacheMaintenance

extension SQLiteCacheStore {
    public func items(matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        let (conditions, arguments) = Self.conditions(filter)
        return try read { db in
            try groupedItems(
                db, scope: filter.scope, conditions: conditions, arguments: arguments, after: after, limit: limit)
        }
    }

    public func countItems(matching filter: CacheFilter) throws -> [String: Int] {
        try read { db in
            let (conditions, arguments) = try scopedConditions(db, filter)
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT app_name, count(*) FROM cache_item \(Self.whereClause(conditions)) GROUP BY app_name",
                arguments: arguments)
            var counts: [String: Int] = [:]
            while let row = try rows.next() { counts[row[0]] = row[1] }
            return counts
        }
    }

    @discardableResult
    public func deleteItems(matching filter: CacheFilter) throws -> Int {
        let count = try writeTransaction { db -> Int in
            let (conditions, arguments) = try scopedConditions(db, filter)
            try db.execute(sql: "DELETE FROM cache_item \(Self.whereClause(conditions))", arguments: arguments)
            return db.changesCount
        }
        logger.debug("Deleted \(count) cached items matching a filter")
        return count
    }

    @discardableResult
    public func deleteItems(uuids: [UUID]) throws -> Int {
        if uuids.isEmpty { return 0 }
        let count = try writeTransaction { db -> Int in
            let statement = try db.cachedStatement(sql: "DELETE FROM cache_item WHERE uuid = ?")
            var deleted = 0
            for uuid in uuids {
                try statement.execute(arguments: [uuid])
                deleted += db.changesCount
            }
            return deleted
        }
        logger.debug("Deleted \(count) cached items by UUID")
        return count
    }

    // MARK: - Helpers

    /// SQL conditions (unqualified column names) for everything in `filter` but its scope.
    static func conditions(_ filter: CacheFilter) -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let app = filter.appName {
            conditions.append("app_name = ?")
            arguments += [app]
        }
        if let olderThan = filter.olderThan {
            conditions.append("date_modified < ?")
            arguments += [olderThan.timeIntervalSince1970]
        }
        if let excluded = filter.appNotIn, !excluded.isEmpty {
            let apps = excluded.sorted()
            conditions.append("app_name NOT IN (\(Array(repeating: "?", count: apps.count).joined(separator: ", ")))")
            arguments += StatementArguments(apps)
        }
        return (conditions, arguments)
    }

    /// `conditions(_:)` plus the filter's scope.
    func scopedConditions(_ db: Database, _ filter: CacheFilter) throws -> ([String], StatementArguments) {
        var (conditions, arguments) = Self.conditions(filter)
        switch filter.scope {
        case .all:
            break
        case .site:
            conditions.insert("project_id = 0", at: 0)
        case .project(let uuid):
            conditions.insert("project_id = ?", at: 0)
            var scoped: StatementArguments = [try projectRowID(db, uuid)]
            scoped += arguments
            arguments = scoped
        }
        return (conditions, arguments)
    }
}
