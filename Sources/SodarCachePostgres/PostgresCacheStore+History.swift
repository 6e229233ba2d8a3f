import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

/// The history of sodarcache's own schema (SODAR's tables keep theirs in the local store: `SiteHistory`).
struct OwnHistory: InStoreHistory {
    let store: PostgresCacheStore

    private static let columns = """
        v.id, v.sodar_uuid, p.sodar_uuid, v.app_name, v.name, v.user_name, v.user_uuid, extract(epoch from v.date_modified),
        extract(epoch from v.replaced_at), v.size
        """

    func versions(appName: String, name: String, project: UUID?) throws -> [ItemVersion] {
        try store.withConnection { connection in
            let projectID = try store.projectRowID(connection, project) ?? 0
            let result = try connection.query(
                """
                SELECT \(Self.columns) FROM sodarcache_item_version v LEFT JOIN sodarcache_project p ON p.id = v.project_id
                WHERE v.project_id = $1::bigint AND v.app_name = $2 AND v.name = $3 ORDER BY v.id DESC
                """, [PGValue(projectID), .text(appName), .text(name)])
            return try result.rows { try $0.itemVersion(withData: false) }
        }
    }

    func version(rev: Int64) throws -> ItemVersion? {
        try store.withConnection { connection in
            let result = try connection.query(
                """
                SELECT \(Self.columns), v.data FROM sodarcache_item_version v LEFT JOIN sodarcache_project p ON p.id = v.project_id
                WHERE v.id = $1::bigint
                """, [PGValue(Int(rev))])
            return result.rowCount == 1 ? try result.row(0).itemVersion(withData: true) : nil
        }
    }

    func writeTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (PGConnection) throws -> T) throws -> T {
        try store.writeTransaction(audit: audit, body)
    }

    func keepVersion(_ connection: PGConnection, _ version: ItemVersion, keep: Int) throws {
        let projectID = try store.projectRowID(connection, version.project) ?? 0
        try connection.query(
            """
            WITH kept AS (
                INSERT INTO sodarcache_item_version
                    (project_id, app_name, name, sodar_uuid, user_name, user_uuid, date_modified, replaced_at, size, data)
                VALUES ($1::bigint, $2, $3, $4::uuid, $5, $6::uuid, to_timestamp($7::float8), to_timestamp($8::float8),
                    $9::bigint, $10)
                RETURNING id)
            DELETE FROM sodarcache_item_version
            WHERE project_id = $1::bigint AND app_name = $2 AND name = $3 AND id NOT IN (
                SELECT id FROM kept
                UNION ALL (SELECT id FROM sodarcache_item_version WHERE project_id = $1::bigint AND app_name = $2 AND name = $3
                           ORDER BY id DESC LIMIT $11::integer - 1))
            """,
            [PGValue(projectID), .text(version.appName), .text(version.name), PGValue(version.uuid),
             PGValue(version.user?.username), PGValue(version.user?.uuid), PGValue(version.dateModified.timeIntervalSince1970),
             PGValue(version.replacedAt.timeIntervalSince1970), PGValue(version.size), .bytes(version.data ?? Data()),
             PGValue(keep)])
    }

    func historyPolicy() throws -> HistoryPolicy {
        try store.withConnection { connection in
            let result = try connection.query("SELECT app_name, versions, max_bytes FROM sodarcache_history_setting")
            return HistoryPolicy(settings: (0..<result.rowCount).map { row in
                (result.string(row, 0) ?? "", result.int(row, 1) ?? 0, Int64(result.int(row, 2) ?? 0))
            })
        }
    }

    func replaceHistoryPolicy(_ connection: PGConnection, _ policy: HistoryPolicy) throws {
        var apps = PGArrayLiteral(), versions = PGArrayLiteral()
        for row in policy.settings {
            apps.append(row.app)
            versions.append(row.versions)
        }
        try connection.query("DELETE FROM sodarcache_history_setting")
        try connection.query(
            """
            INSERT INTO sodarcache_history_setting (app_name, versions, max_bytes)
            SELECT a, v, $3::bigint FROM unnest($1::text[], $2::integer[]) AS s(a, v)
            """,
            [apps.value, versions.value, PGValue(Int(policy.maxBytes))])
        try connection.query(
            """
            DELETE FROM sodarcache_item_version WHERE id IN (
                SELECT id FROM (
                    SELECT v.id, row_number() OVER (PARTITION BY v.project_id, v.app_name, v.name ORDER BY v.id DESC) AS n,
                        (SELECT s.versions FROM sodarcache_history_setting s WHERE s.app_name IN (v.app_name, '')
                         ORDER BY s.app_name DESC LIMIT 1) AS keep
                    FROM sodarcache_item_version v
                ) ranked WHERE n > keep)
            """)
    }
}

extension PostgresCacheStore {
    public var history: (any ItemHistory)? {
        switch layout {
        case .sodarcache: OwnHistory(store: self)
        case .sodar: siteLocal.isConfigured ? SiteHistory(self) : nil
        }
    }
}
