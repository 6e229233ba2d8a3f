import Foundation
import GRDB
import SodarCache
import StoreKernel

// MARK: - LocalHistoryStore (this store as a SODAR site's local store)

extension SQLiteCacheStore: LocalHistoryStore {
    @discardableResult
    public func applySiteHistoryPolicy(_ policy: HistoryPolicy) throws -> Bool {
        guard try applyHistoryPolicy(policy) else { return false }
        try writeTransaction { db in
            for key in try Row.fetchAll(db, sql: "SELECT DISTINCT project_uuid, app_name, name FROM site_version WHERE pending_xact IS NULL") {
                try trimSiteVersions(db, project: key[0], app: key[1], name: key[2], keep: policy.versions(of: key[1]))
            }
        }
        return true
    }

    @discardableResult
    public func keepSiteVersions(_ versions: [ItemVersion], transaction: Int64?) throws -> Int {
        let policy = try historyPolicy()
        let kept = versions.filter(policy.keeps)
        if kept.isEmpty { return 0 }
        try writeTransaction { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO site_version
                        (project_uuid, app_name, name, uuid, user_name, user_uuid, date_modified, replaced_at, size, data, pending_xact)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for version in kept {
                try insert.execute(arguments: [
                    version.project, version.appName, version.name, version.uuid, version.user?.username, version.user?.uuid,
                    version.dateModified.timeIntervalSince1970, version.replacedAt.timeIntervalSince1970, version.data?.count ?? 0,
                    version.data, transaction,
                ])
            }
            if transaction == nil {
                var seen: Set<String> = []
                for version in kept where seen.insert("\(version.project?.uuidString ?? "")\u{0}\(version.appName)\u{0}\(version.name)").inserted {
                    try trimSiteVersions(
                        db, project: version.project, app: version.appName, name: version.name, keep: policy.versions(of: version.appName))
                }
            }
        }
        return kept.count
    }

    public func settleSiteVersions(transaction: Int64) throws {
        let policy = try historyPolicy()
        try writeTransaction { db in
            let keys = try Row.fetchAll(
                db, sql: "SELECT DISTINCT project_uuid, app_name, name FROM site_version WHERE pending_xact = ?", arguments: [transaction])
            try db.execute(sql: "UPDATE site_version SET pending_xact = NULL WHERE pending_xact = ?", arguments: [transaction])
            for key in keys {
                try trimSiteVersions(db, project: key[0], app: key[1], name: key[2], keep: policy.versions(of: key[1]))
            }
        }
    }

    public func dropSiteVersions(transaction: Int64) throws {
        try writeTransaction { db in
            try db.execute(sql: "DELETE FROM site_version WHERE pending_xact = ?", arguments: [transaction])
        }
    }

    public func pendingSiteVersionTransactions() throws -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT pending_xact FROM site_version WHERE pending_xact IS NOT NULL ORDER BY 1")
        }
    }

    public func siteVersions(appName: String, name: String, project: UUID?) throws -> [ItemVersion] {
        // A local store read as it is, older than v9, has no versions yet.
        guard hasSchema("v9") else { return [] }
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.siteVersionColumns), NULL FROM site_version
                    WHERE app_name = ? AND name = ? AND project_uuid IS ? AND pending_xact IS NULL ORDER BY id DESC
                    """,
                arguments: [appName, name, project]
            ).map { try $0.itemVersion(withData: false) }
        }
    }

    public func siteVersion(rev: Int64) throws -> ItemVersion? {
        guard hasSchema("v9") else { return nil }
        return try read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.siteVersionColumns), data FROM site_version WHERE id = ? AND pending_xact IS NULL",
                arguments: [rev]
            ).map { try $0.itemVersion(withData: true) }
        }
    }

    // MARK: - Helpers

    private static let siteVersionColumns =
        "id, uuid, project_uuid, app_name, name, user_name, user_uuid, date_modified, replaced_at, size"

    /// Drops an item's settled versions beyond the newest `keep`.
    private func trimSiteVersions(_ db: Database, project: UUID?, app: String, name: String, keep: Int) throws {
        try db.execute(
            sql: """
                DELETE FROM site_version
                WHERE app_name = ?1 AND name = ?2 AND project_uuid IS ?3 AND pending_xact IS NULL AND id NOT IN (
                    SELECT id FROM site_version WHERE app_name = ?1 AND name = ?2 AND project_uuid IS ?3 AND pending_xact IS NULL
                    ORDER BY id DESC LIMIT ?4)
                """,
            arguments: [app, name, project, max(0, keep)])
    }
}
