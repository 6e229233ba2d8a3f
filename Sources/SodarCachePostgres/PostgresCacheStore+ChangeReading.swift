import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - What a sync unit's writes replace

extension PostgresCacheStore: ReadingCommit {
    public func payloads(in scopes: [ItemScope]) throws -> [StoredPayload] {
        if scopes.isEmpty { return [] }
        return try withConnection { connection in try payloads(connection, scopes, lock: false) }
    }

    /// In a batch's transaction, the rows read stay locked until it ends.
    public func payloads(in connection: PGConnection, _ scopes: [ItemScope]) throws -> [StoredPayload] {
        try payloads(connection, scopes, lock: true)
    }

    /// One indexed read per scope (SODAR's unique constraint leads with project and app). With
    /// `lock`, the rows read stay locked until the transaction ends (`FOR UPDATE`), so no other
    /// session's write lands between this read and the unit's writes (READ COMMITTED would let
    /// one in). Site-wide rows may repeat a name (SODAR's constraint lets NULL projects
    /// repeat): the oldest row counts, as every read takes it.
    func payloads(_ connection: PGConnection, _ scopes: [ItemScope], lock: Bool) throws -> [StoredPayload] {
        var found: [StoredPayload] = []
        for scope in Set(scopes) {
            let projectID = try projectRowID(connection, scope.project)
            let result = try connection.query(
                """
                SELECT i.name, \(dataColumn) FROM \(tables.items) i
                WHERE \(projectID == nil ? "i.project_id IS NULL" : "i.project_id = $2") AND i.app_name = $1
                ORDER BY i.name, i.id\(lock ? " FOR UPDATE" : "")
                """, [.text(scope.app)] + (projectID.map { [PGValue($0)] } ?? []))
            var previous: String?
            for row in 0..<result.rowCount {
                let stored = result.row(row), named = CorruptRow.item(app: scope.app, name: result.string(row, 0), reason: "")
                let name = try stored.text(0, "name", of: named)
                // By bytes: a name canonically equal to the previous one (composed and decomposed
                // accents) is another item to the server.
                if let previous, name.utf8.elementsEqual(previous.utf8) { continue }
                previous = name
                let data = try stored.payload(1, "data", of: named)
                found.append(StoredPayload(project: scope.project, app: scope.app, name: name, data: data))
            }
        }
        return found
    }
}
