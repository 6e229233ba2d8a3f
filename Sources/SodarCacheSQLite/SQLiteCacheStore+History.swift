import Foundation
import GRDB
import SodarCache
import StoreKernel

extension SQLiteCacheStore: InStoreHistory {
    public var history: (any ItemHistory)? { self }

    public func versions(appName: String, name: String, project: UUID?) throws -> [ItemVersion] {
        try read { db in
            let projectID = try projectRowID(db, project)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT id, uuid, ?, app_name, name, user_name, user_uuid, date_modified, replaced_at, size FROM item_version
                    WHERE project_id = ? AND app_name = ? AND name = ? ORDER BY id DESC
                    """,
                arguments: [project, projectID, appName, name]
            ).map { try $0.itemVersion(withData: false) }
        }
    }

    public func version(rev: Int64) throws -> ItemVersion? {
        try read { db in
            // Site-wide versions (project_id 0) find no project: their UUID column is NULL.
            try Row.fetchOne(
                db,
                sql: """
                    SELECT v.id, v.uuid, p.uuid, v.app_name, v.name, v.user_name, v.user_uuid, v.date_modified,
                        v.replaced_at, v.size, v.data
                    FROM item_version v LEFT JOIN project p ON p.id = v.project_id WHERE v.id = ?
                    """,
                arguments: [rev]
            ).map { try $0.itemVersion(withData: true) }
        }
    }

    public func keepVersion(_ db: Database, _ version: ItemVersion, keep: Int) throws {
        let projectID = try projectRowID(db, version.project)
        try db.cachedStatement(
            sql: """
                INSERT INTO item_version
                    (project_id, app_name, name, uuid, user_name, user_uuid, date_modified, replaced_at, size, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            projectID, version.appName, version.name, version.uuid, version.user?.username, version.user?.uuid,
            version.dateModified.timeIntervalSince1970, version.replacedAt.timeIntervalSince1970, version.size, version.data,
        ])
        try db.cachedStatement(
            sql: """
                DELETE FROM item_version WHERE project_id = ?1 AND app_name = ?2 AND name = ?3 AND id NOT IN (
                    SELECT id FROM item_version WHERE project_id = ?1 AND app_name = ?2 AND name = ?3 ORDER BY id DESC LIMIT ?4)
                """
        ).execute(arguments: [projectID, version.appName, version.name, keep])
    }

    public func historyPolicy() throws -> HistoryPolicy {
        // A file read as it is, older than v7, has no setting: the default applies.
        guard hasSchema("v7") else { return .standard }
        return try read { db in
            HistoryPolicy(settings: try Row.fetchAll(db, sql: "SELECT app_name, versions, max_bytes FROM history_setting").map {
                ($0[0], $0[1], $0[2])
            })
        }
    }

    public func replaceHistoryPolicy(_ db: Database, _ policy: HistoryPolicy) throws {
        try db.execute(sql: "DELETE FROM history_setting")
        let insert = try db.cachedStatement(sql: "INSERT INTO history_setting (app_name, versions, max_bytes) VALUES (?, ?, ?)")
        for row in policy.settings { try insert.execute(arguments: [row.app, row.versions, row.maxBytes]) }
        // Versions beyond the new counts go now.
        try db.execute(
            sql: """
                DELETE FROM item_version WHERE id IN (
                    SELECT id FROM (
                        SELECT v.id, row_number() OVER (PARTITION BY v.project_id, v.app_name, v.name ORDER BY v.id DESC) AS n,
                            (SELECT s.versions FROM history_setting s WHERE s.app_name IN (v.app_name, '')
                             ORDER BY s.app_name DESC LIMIT 1) AS keep
                        FROM item_version v
                    ) WHERE n > keep)
                """)
    }
}
