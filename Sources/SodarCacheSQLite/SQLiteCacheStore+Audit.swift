import Foundation
import GRDB
import SodarCache
import StoreKernel

extension SQLiteCacheStore: AuditLog {
    public var audit: (any AuditLog)? { self }

    /// Writes one entry in the caller's transaction, and drops those past the keep when the
    /// oldest is (at most hourly: `AuditPurgeSchedule`).
    func record(_ db: Database, _ note: AuditNote, role: String? = nil) throws {
        let who = changes.attribution
        let now = clock()
        try auditPurge.beforeEntry(
            at: now, keep: changes.auditKeep,
            oldest: { try Double.fetchOne(db, sql: "SELECT min(at) FROM audit_log").map(Date.init(timeIntervalSince1970:)) },
            purge: { cutoff in
                try db.cachedStatement(sql: "DELETE FROM audit_log WHERE at < ?").execute(arguments: [cutoff.timeIntervalSince1970])
            })
        try db.cachedStatement(
            sql: """
                INSERT INTO audit_log (at, os_user, host, db_role, command, action, what, outcome)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [now.timeIntervalSince1970, who.osUser, who.host, role, who.command, note.action, note.what, note.outcome])
    }

    public func record(_ note: AuditNote) throws { try record(note, role: nil) }

    /// Records what a SODAR site's change did, in this local store (the site's role named).
    public func record(_ note: AuditNote, role: String?) throws {
        guard changes.audits else { return }
        _ = try writeTransaction { db in try record(db, note, role: role) }
    }

    public func auditEntries(since: Date?, limit: Int) throws -> [AuditEntry] {
        // An older schema read as it is (a local store before v8) has no audit trail yet.
        guard hasSchema("v8") else { return [] }
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, at, os_user, host, db_role, command, action, what, outcome FROM audit_log
                    WHERE at >= ? ORDER BY id DESC LIMIT ?
                    """,
                arguments: [(since ?? .distantPast).timeIntervalSince1970, max(0, limit)]
            ).map { try $0.auditEntry() }
        }
    }
}
