import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

extension PostgresCacheStore {
    /// Writes one entry in the caller's transaction (sodarcache's own schema), and drops those
    /// past the keep when the oldest is (at most hourly: `AuditPurgeSchedule`).
    func record(_ connection: PGConnection, _ note: AuditNote) throws {
        try purgeAuditIfDue(connection)
        try connection.query(
            """
            INSERT INTO sodarcache_audit_log (at, os_user, host, command, action, what, outcome)
            VALUES (to_timestamp($1::float8), $2, $3, $4, $5, $6, $7)
            """, auditParameters(note))
    }

    /// Drops the entries past the keep when the oldest is, at most hourly
    /// (`AuditPurgeSchedule`): not a `DELETE` with every write.
    func purgeAuditIfDue(_ connection: PGConnection) throws {
        try auditPurge.beforeEntry(
            at: settings.clock(), keep: settings.changes.auditKeep,
            oldest: {
                try connection.query("SELECT extract(epoch from min(at)) FROM sodarcache_audit_log").double(0, 0)
                    .map(Date.init(timeIntervalSince1970:))
            },
            purge: { cutoff in
                try connection.query(
                    "DELETE FROM sodarcache_audit_log WHERE at < to_timestamp($1::float8)", [PGValue(cutoff.timeIntervalSince1970)])
            })
    }

    /// `statement` (8 parameters, returning rows when it wrote) with its audit entry written
    /// in the same statement, as `record` writes it: parameters 9 to 15 are `auditParameters`.
    /// The caller runs `purgeAuditIfDue` first.
    static func audited(_ statement: String) -> String {
        """
        WITH w AS (\(statement)),
        entry AS (
            INSERT INTO sodarcache_audit_log (at, os_user, host, command, action, what, outcome)
            SELECT to_timestamp($9::float8), $10, $11, $12, $13, $14, $15 WHERE EXISTS (SELECT 1 FROM w)
        ) SELECT * FROM w
        """
    }

    /// The parameters of an audit entry written now: time, who, what.
    func auditParameters(_ note: AuditNote) -> [PGValue] {
        let who = settings.changes.attribution
        return [
            PGValue(settings.clock().timeIntervalSince1970), .text(who.osUser), .text(who.host), .text(who.command),
            .text(note.action), .text(note.what), .text(note.outcome),
        ]
    }

    public var audit: (any AuditLog)? {
        switch layout {
        case .sodarcache: OwnAudit(store: self)
        case .sodar: siteLocal.isConfigured ? SiteAudit(self) : nil
        }
    }
}

/// The audit trail of sodarcache's own schema.
struct OwnAudit: AuditLog {
    let store: PostgresCacheStore

    func auditEntries(since: Date?, limit: Int) throws -> [AuditEntry] {
        try store.withConnection { connection in
            let result = try connection.query(
                """
                SELECT id, extract(epoch from at), os_user, host, db_role, command, action, what, outcome FROM sodarcache_audit_log
                WHERE at >= to_timestamp($1::float8) ORDER BY id DESC LIMIT $2::bigint
                """, [PGValue((since ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970), PGValue(max(0, limit))])
            return try result.rows { try $0.auditEntry() }
        }
    }

    func record(_ note: AuditNote) throws {
        guard store.settings.changes.audits else { return }
        _ = try store.writeTransaction { connection in try store.record(connection, note) }
    }
}
