import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - StoreAdministration

extension PostgresCacheStore {
    public var locationDescription: String { location.description }

    public var capabilities: StoreCapabilities { granted.limited(readOnly: readOnly) }

    public func installedApps() throws -> [String: String]? {
        guard layout == .sodar else { return nil }
        return try withConnection { connection in try installedApps(connection) }
    }

    /// SODAR's installed apps, each with the plugin registry row that covers it: an app is
    /// installed when a row of `djangoplugins_plugin` not marked removed (status 2; disabled
    /// ones count) has a `pythonpath` that starts with the app's name and a dot. Plugin names do
    /// not match app names; module paths do. Empty off SODAR's tables.
    /// - Throws: `CacheError.storeUnreadable` when the registry cannot be read (then no app can
    ///   be called an orphan).
    func installedApps(_ connection: PGConnection) throws -> [String: String] {
        guard layout == .sodar else { return [:] }
        guard let registry = tables.registry else {
            let role = granted.role ?? "this role"
            throw CacheError.storeUnreadable(
                location: location.description,
                reason: "SODAR's plugin registry (djangoplugins_plugin) cannot be read, so no app can be called an orphan: "
                    + "GRANT SELECT ON djangoplugins_plugin TO \(Self.quoted(role))")
        }
        let rows = try connection.query("SELECT pythonpath::text FROM \(registry) WHERE status <> 2 ORDER BY pythonpath")
        var installed: [String: String] = [:]
        for row in 0..<rows.rowCount {
            guard let path = rows.string(row, 0) else { continue }
            // Every proper dotted prefix of the path is an app name the row covers.
            var prefix = ""
            for part in path.split(separator: ".").dropLast() {
                prefix += (prefix.isEmpty ? "" : ".") + part
                if installed[prefix] == nil { installed[prefix] = path }
            }
        }
        return installed
    }

    public var busyMeaning: String {
        "another session held a lock this write needs for longer than \(Self.lockTimeout)"
    }

    public func deleteProject(uuid: UUID, withItems: Bool) throws -> Int {
        guard layout == .sodarcache else { throw Self.projectsBelongToSODAR }
        let deleted = try deleteTransaction(audit: { AuditNote.projectDeleted(uuid, items: $0) }) { connection, _ -> Int in
            try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [PGValue(Self.schemaLockKey + 1)])
            let found = try connection.query(
                "SELECT id, title FROM sodarcache_project WHERE sodar_uuid = $1::uuid FOR UPDATE", [PGValue(uuid)])
            guard found.rowCount == 1, let id = found.int(0, 0) else { throw CacheError.projectNotFound(uuid.sodarString) }
            let title = ProjectTree(rows: try loadRows(connection)).node(uuid: uuid)?.project.fullTitle ?? found.string(0, 1) ?? ""
            let children = try connection.query(
                "SELECT count(*) FROM sodarcache_project WHERE parent_id = $1::bigint", [PGValue(id)]).int(0, 0) ?? 0
            // Its items the trash marked go to the copy table first, with the project's UUID (a
            // marked row knows its project by row id only); the delete then copies the rest.
            try settleMarks(connection, "WHERE m.project_id = $1::bigint", [PGValue(id)])
            let items = try connection.query(
                "SELECT count(*) FROM sodarcache_item WHERE project_id = $1::bigint", [PGValue(id)]).int(0, 0) ?? 0
            try ProjectTree.checkDelete(uuid, title: title, children: children, items: items, withItems: withItems)
            try connection.query("DELETE FROM sodarcache_item WHERE project_id = $1::bigint", [PGValue(id)])
            try connection.query("DELETE FROM sodarcache_project WHERE id = $1::bigint", [PGValue(id)])
            return items
        }
        projectIDs.forget(uuid)
        treeCache.withLock { $0 = nil }
        return deleted
    }

    /// PostgreSQL's VACUUM of the item table: the space of deleted rows is reused by later
    /// writes, and given back to the file system where it ends a table file. Readers and
    /// writers go on meanwhile (no VACUUM FULL, which would lock them out).
    public func reclaimSpace() throws -> SpaceReport {
        if readOnly { throw CacheError.storeUnwritable(location: location.description, reason: "opened read-only") }
        return try withConnection { connection in
            // PostgreSQL only warns and skips a table this role does not own: say so instead.
            let owns = try connection.query(
                "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = $1::regclass", [.text(tables.rows)])
            guard owns.bool(0, 0) == true else {
                throw CacheError.storeUnwritable(
                    location: location.description, reason: "only the owner of \(Self.shown(tables.rows)) may vacuum it")
            }
            func size() throws -> Int64 {
                Int64(try connection.query("SELECT pg_total_relation_size($1::regclass)", [.text(tables.rows)]).int(0, 0) ?? 0)
            }
            let before = try size()
            try connection.execute("VACUUM (ANALYZE) \(tables.rows)")
            return SpaceReport(bytesBefore: before, bytesAfter: try size(), complete: true)
        }
    }

    public func close() throws {
        closed.withLock { $0 = true }
        watcher.withLock { $0 = nil }
    }
}
