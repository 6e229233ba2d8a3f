import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - What a role may do on sodarcache's own schema

extension PostgresCacheStore {
    /// What a delete and a write need on sodarcache's own schema: the item table and the totals
    /// its triggers keep, and, as this open's policy has them on, the trash (its entry, the
    /// rows its trigger copies, the id sequence) and the audit trail (the entry, its purge). The
    /// triggers run as the role that deletes or writes, so each grant counts; a role that lacks
    /// one would pass a check of the item table alone and fail at the delete (which rolls back).
    static func ownGrants(_ connection: PGConnection, schema: String, role: String, changes: ChangePolicy) throws -> StoreCapabilities {
        typealias Need = (table: String, privileges: [String], sequence: Bool, why: String?)
        let items: Need = ("sodarcache_item", ["SELECT", "DELETE"], false, nil)
        let totals: [Need] = [("sodarcache_totals", ["SELECT", "UPDATE"], false, nil), ("sodarcache_project_totals", ["SELECT", "UPDATE"], false, nil)]
        var audit: [Need] = []
        if changes.audits {
            audit = [("sodarcache_audit_log", ["SELECT", "INSERT", "DELETE"], true, "the audit trail records every change")]
        }
        // v10: every delete and write checks the trash's marks (granted to all by the migration;
        // an admin may have taken that back), and reads go through the live view.
        let marks: [Need] = [("sodarcache_trash_mark", ["SELECT"], false, nil), ("sodarcache_item_live", ["SELECT"], false, nil)]
        var deleting = [items] + totals + audit + marks
        if changes.trash.enabled {
            let why = "the trash keeps every delete; or delete with --no-trash"
            deleting += [
                ("sodarcache_trash_entry", ["SELECT", "INSERT", "UPDATE", "DELETE"], true, why),
                ("sodarcache_trash_item", ["SELECT", "INSERT", "DELETE"], false, why),  // the trim deletes items (v9: no cascade)
                // v10: a delete marks rows; the trim deletes them and their marks.
                ("sodarcache_trash_mark", ["SELECT", "INSERT", "DELETE"], false, why),
            ]
        }
        var writing: [Need] = [
            ("sodarcache_item", ["SELECT", "INSERT", "UPDATE"], true, nil),
            ("sodarcache_totals", ["SELECT", "UPDATE"], false, nil),
            ("sodarcache_project_totals", ["SELECT", "INSERT", "UPDATE"], false, nil),
            ("sodarcache_history_setting", ["SELECT"], false, "history keeps replaced versions"),
        ] + audit + marks
        // The history trigger keeps versions only where the store's setting says so.
        // (Asked only where the table is there and readable: `migrate` opens older stores too.)
        let settings = quoted(schema) + ".sodarcache_history_setting"
        let readable = try connection.query(
            "SELECT coalesce(has_table_privilege(to_regclass($1), 'SELECT'), false)", [.text(settings)]).bool(0, 0) == true
        let keepsVersions = try readable
            && connection.query("SELECT count(*) > 0 FROM \(settings) WHERE versions > 0").bool(0, 0) == true
        if keepsVersions || !readable {
            writing.append(("sodarcache_item_version", ["SELECT", "INSERT", "DELETE"], true, "history keeps replaced versions"))
        }
        // Projects (`project add/set/import/delete`): their table and its id sequence.
        let projects: [Need] = [("sodarcache_project", ["SELECT", "INSERT", "UPDATE", "DELETE"], true, nil)]
        // One round trip: every (relation, privilege) this role lacks.
        var kinds = PGArrayLiteral(), names = PGArrayLiteral(), privileges = PGArrayLiteral()
        let asked = Set((deleting + writing + projects).flatMap { need in
            need.privileges.map { "\(need.table) \($0)" } + (need.sequence ? ["\(need.table) USAGE"] : [])
        })
        for need in asked.sorted() {
            let parts = need.split(separator: " ").map(String.init)
            kinds.append(parts[1] == "USAGE" ? "sequence" : "table")
            names.append(quoted(schema) + "." + quoted(parts[0]))
            privileges.append(parts[1])
        }
        let missing = try connection.query(
            """
            SELECT t.name, t.privilege FROM unnest($1::text[], $2::text[], $3::text[]) AS t(kind, name, privilege)
            WHERE to_regclass(t.name) IS NOT NULL AND NOT CASE t.kind
                WHEN 'sequence' THEN has_sequence_privilege(pg_get_serial_sequence(t.name, 'id'), 'USAGE')
                ELSE has_table_privilege(to_regclass(t.name), t.privilege) END
            """, [kinds.value, names.value, privileges.value])
        var lacking: Set<String> = []
        for row in 0..<missing.rowCount {
            let name = shown(missing.string(row, 0) ?? "")
            lacking.insert((name.split(separator: ".").last.map(String.init) ?? name) + " " + (missing.string(row, 1) ?? ""))
        }
        func why(_ needs: [Need]) -> String? {
            var phrases: [String] = [], grants: [String] = [], reasons: [String] = []
            for need in needs {
                let table = schema + "." + need.table
                let tableLacks = need.privileges.filter { lacking.contains("\(need.table) \($0)") }
                let sequenceLacks = need.sequence && lacking.contains("\(need.table) USAGE")
                if tableLacks.isEmpty && !sequenceLacks { continue }
                if !tableLacks.isEmpty {
                    phrases.append("\(tableLacks.joined(separator: ", ")) on \(table)")
                    grants.append("GRANT \(tableLacks.joined(separator: ", ")) ON \(table) TO \(quoted(role))")
                }
                if sequenceLacks {
                    phrases.append("USAGE on \(table)'s id sequence")
                    grants.append("GRANT USAGE ON SEQUENCE \(table)_id_seq TO \(quoted(role))")
                }
                if let reason = need.why, !reasons.contains(reason) { reasons.append(reason) }
            }
            guard !phrases.isEmpty else { return nil }
            return "role \(role) has no \(phrases.joined(separator: "; no ")) (\((grants + reasons).joined(separator: "; ")))"
        }
        let whyNotDelete = why(deleting), whyNotWrite = why(writing)
        return StoreCapabilities(
            role: role, canDelete: whyNotDelete == nil, canWrite: whyNotWrite == nil, whyNotDelete: whyNotDelete,
            whyNotWrite: whyNotWrite, whyNotChangeProjects: why(projects))
    }
}
