import Foundation
import GRDB
import SodarCache
import StoreKernel

// MARK: - What a sync unit's writes replace

extension SQLiteCacheStore: ReadingCommit {
    public func payloads(in scopes: [ItemScope]) throws -> [StoredPayload] {
        if scopes.isEmpty { return [] }
        return try snapshotRead { db in try payloads(in: db, scopes) }
    }

    /// One indexed read per scope (the unique index leads with project and app). In a batch's
    /// transaction the write lock is held: nothing can land between this read and the writes.
    public func payloads(in db: Database, _ scopes: [ItemScope]) throws -> [StoredPayload] {
        var found: [StoredPayload] = []
        for scope in Set(scopes) {
            let projectID = try projectRowID(db, scope.project)
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT name, data FROM cache_item WHERE project_id = ? AND app_name = ?"),
                arguments: [projectID, scope.app])
            while let row = try rows.next() {
                let name = try row.text(0, "name", of: CorruptRow.item(app: scope.app, name: "?", reason: ""))
                let data = try row.payload(1, "data", of: CorruptRow.item(app: scope.app, name: name, reason: ""))
                found.append(StoredPayload(project: scope.project, app: scope.app, name: name, data: data))
            }
        }
        return found
    }
}
