import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - CacheBackend

extension PostgresCacheStore {
    public func upsert(_ write: CacheWrite, now: Date) throws -> CacheItem {
        if let local = siteHistoryStore() {
            return try siteChangeTransaction(local, audit: { _ in .wrote(write) }) { connection, change in
                try keepReplaced(connection, change, [write])
                return try upsert(connection, write, now: now)
            }
        }
        if layout == .sodarcache && settings.changes.audits {
            // The write and its audit entry in one statement: one round trip, where BEGIN, the
            // write, the entry and COMMIT took four.
            if readOnly { throw CacheError.storeUnwritable(location: location.description, reason: "opened read-only") }
            return try withConnection("write") { connection in
                try upsert(connection, write, now: now, audit: .wrote(write), alone: true)
            }
        }
        if write.project != nil, !(settings.changes.audits && layout == .sodarcache) {
            // One statement is a transaction by itself: BEGIN and COMMIT would add two round
            // trips to the one that does the work (the audit trail's entry needs them).
            if readOnly { throw CacheError.storeUnwritable(location: location.description, reason: "opened read-only") }
            let item = try withConnection("write") { connection in try upsert(connection, write, now: now, alone: true) }
            recordCommitted(.wrote(write))
            return item
        }
        return try writeTransaction(audit: { _ in .wrote(write) }) { connection in try upsert(connection, write, now: now) }
    }

    /// The batch's transaction; `first` runs in it before the deletes and writes (a change
    /// report reads what they replace).
    public func commit(
        deleting: [CacheDeletion], writing: [CacheWrite], now: Date, first: @escaping (PGConnection) throws -> Void
    ) throws -> Int {
        let body = { (connection: PGConnection, change: SiteChange?) throws -> Int in
            try first(connection)
            try self.keepReplaced(connection, change, writing)
            var deleted = 0
            for deletion in deleting {
                switch deletion {
                case .all(let app, let project):
                    deleted += try self.deleteRows(connection, change, matching: CacheFilter(appName: app, project: project))
                case .item(let app, let name, let project):
                    deleted += try self.deleteRow(connection, change, appName: app, name: name, project: project)
                }
            }
            try self.upsertBatch(connection, writing, now: now)
            return deleted
        }
        // Writes alone keep nothing in the trash, and pay nothing for it.
        let note = { (deleted: Int) in AuditNote.committed(deleting: deleting, writing: writing, deleted: deleted) }
        if deleting.isEmpty, !writing.isEmpty, let local = siteHistoryStore() {
            return try siteChangeTransaction(local, audit: note, body)
        }
        return try deleting.isEmpty ? writeTransaction(audit: note) { try body($0, nil) } : deleteTransaction(audit: note, body)
    }

    public func getCacheItem(appName: String, name: String, project: UUID?) throws -> CacheItem? {
        try withConnection { connection in
            let projectID = try projectRowID(connection, project)
            let result = try connection.query(
                projectID == nil ? statements.getSiteItem : statements.getItem,
                [.text(appName), .text(name)] + (projectID.map { [PGValue($0)] } ?? []))
            guard result.rowCount == 1 else { return nil }
            return try result.row(0).cacheItem()
        }
    }

    public func getUpdateTime(appName: String, name: String, project: UUID?) throws -> Double? {
        try withConnection { connection in
            let projectID = try projectRowID(connection, project)
            let result = try connection.query(
                """
                SELECT extract(epoch from date_modified)::text FROM \(tables.items)
                WHERE \(projectID == nil ? "project_id IS NULL" : "project_id = $3") AND app_name = $1 AND name = $2
                ORDER BY id LIMIT 1
                """, [.text(appName), .text(name)] + (projectID.map { [PGValue($0)] } ?? []))
            return result.rowCount == 1 ? result.double(0, 0) : nil
        }
    }

    public func getProjectCache(project: UUID?, dataType: String) throws -> [CacheItem] {
        guard dataType == "json" else { throw CacheError.unsupportedDataType(dataType) }
        return try withConnection { connection in
            let projectID = try projectRowID(connection, project)
            let result = try connection.query(
                """
                SELECT DISTINCT ON (i.app_name, i.name) \(itemColumns), \(dataColumn) FROM \(tables.items) i \(itemJoins)
                WHERE \(projectID == nil ? "i.project_id IS NULL" : "i.project_id = $1")
                ORDER BY i.app_name, i.name, i.id
                """, projectID.map { [PGValue($0)] } ?? [])
            return try result.rows { try $0.cacheItem() }
        }
    }

    // MARK: - Helpers

    /// Deletes one item (and any site-wide duplicates of it).
    func deleteRow(_ connection: PGConnection, _ change: SiteChange?, appName: String, name: String, project: UUID?) throws -> Int {
        let projectID = try projectRowID(connection, project)
        return try deleteItemRows(
            connection, change, "WHERE \(projectID == nil ? "project_id IS NULL" : "project_id = $3") AND app_name = $1 AND name = $2",
            [.text(appName), .text(name)] + (projectID.map { [PGValue($0)] } ?? []))
    }

    /// The row id of a project (nil: site-wide).
    /// - Throws: `CacheError.projectNotFound`.
    func projectRowID(_ connection: PGConnection, _ project: UUID?) throws -> Int? {
        guard let project else { return nil }
        try checkProjectIDs(connection)
        if let id = projectIDs.id(project) { return Int(id) }
        // Row ids never change: a tree read for the project list has them all (the browser's
        // first frame need not read them again).
        if let id = treeCache.withLock({ $0?.tree.node(uuid: project)?.id }) {
            projectIDs.remember(project, Int64(id))
            return id
        }
        // After a few misses (a sync or a listing going through the projects), every project's
        // id in one statement (a site has thousands): one round trip, instead of one more for
        // each project a caller touches. The first misses read one row each: a launch asks
        // for a project or two, and reading 10,000 ids took 10-20 ms of it.
        if projectIDs.missed() {
            let all = try connection.query("SELECT sodar_uuid, id FROM \(tables.projects)")
            var ids: [UUID: Int64] = [:]
            for row in 0..<all.rowCount {
                if let uuid = all.uuid(row, 0), let id = all.int(row, 1) { ids[uuid] = Int64(id) }
            }
            projectIDs.remember(ids, all: true)
            if let id = ids[project] { return Int(id) }
        }
        let result = try connection.query("SELECT id FROM \(tables.projects) WHERE sodar_uuid = $1::uuid", [PGValue(project)])
        guard result.rowCount == 1, let id = result.int(0, 0) else {
            throw CacheError.projectNotFound(project.sodarString)
        }
        projectIDs.remember(project, Int64(id))
        return id
    }

    /// Drops the kept project ids when the project table changed since they were read (SODAR
    /// re-creates a project with the same UUID under a new row id): checked once per change
    /// token a long-lived reader (the browser) has seen, one small scan of the project table.
    func checkProjectIDs(_ connection: PGConnection) throws {
        guard let token = lastToken.withLock({ $0 }) else { return }
        let dropped = try projectIDs.check(token: token) {
            try connection.query(
                "SELECT count(*)::text || '/' || coalesce(sum(xmin::text::bigint), 0)::text FROM \(tables.projects)"
            ).string(0, 0) ?? ""
        }
        if dropped { treeCache.withLock { $0 = nil } }
    }

    /// Forgets every kept project id and the tree they came from.
    func forgetProjectIDs() {
        projectIDs.forgetAll()
        treeCache.withLock { $0 = nil }
    }

    /// A SODAR user's row id, looked up by username.
    /// - Throws: `CacheError.invalidArgument` for a username the site does not have.
    func userRowID(_ connection: PGConnection, _ user: User?) throws -> Int? {
        guard let user, let users = tables.users else { return nil }
        let result = try connection.query("SELECT id FROM \(users) WHERE username = $1", [.text(user.username)])
        guard result.rowCount == 1, let id = result.int(0, 0) else {
            throw CacheError.invalidArgument("Unknown user \"\(user.username)\": no such username in \(settings.userTable)")
        }
        return id
    }

    /// Creates or replaces one item in the caller's transaction; keeps its UUID, and its user
    /// when the write names none. Site-wide items stay one per (app, name) although SODAR's
    /// unique constraint lets NULL projects repeat.
    /// - Parameter alone: the call is not in a transaction: on sodarcache's schema the marks'
    ///   shared lock (`MarksLock`) is taken in the statement's round trip, one implicit
    ///   transaction, so that no delete marks the row while it is written.
    func upsert(_ connection: PGConnection, _ write: CacheWrite, now: Date, audit: AuditNote? = nil, alone: Bool = false) throws -> CacheItem {
        let projectID = try projectRowID(connection, write.project)
        let stamp = PGValue(now.timeIntervalSince1970)
        let payload = PGValue.bytes(write.data)
        let result: PGResult
        switch layout {
        case .sodar:
            let returning = Self.sodarReturning(tables.users!)
            if let projectID {
                // The user is looked up in the statement itself (no row when the username is
                // unknown, so nothing is written): one round trip per write.
                result = try connection.query(
                    statements.upsertItem,
                    [.text(write.appName), .text(write.name), stamp, payload, PGValue(projectID), PGValue(write.user?.username)])
                if result.rowCount == 0, let user = write.user {
                    throw CacheError.invalidArgument("Unknown user \"\(user.username)\": no such username in \(settings.userTable)")
                }
            } else {
                let userID = try userRowID(connection, write.user)
                try lockSiteItem(connection, write)
                // The row SODAR's `get_cache_item` reads (the lowest id) is the one written, as
                // SODAR's `set_cache_item` does. Other site-wide rows of the name (SODAR's
                // constraint lets them through) stay: a write never deletes what SODAR wrote;
                // the doctor reports them, and `delete --uuid` takes one through the trash.
                let existing = try connection.query(
                    "SELECT id FROM \(tables.items) WHERE project_id IS NULL AND app_name = $1 AND name = $2 ORDER BY id LIMIT 1",
                    [.text(write.appName), .text(write.name)])
                if existing.rowCount == 0 {
                    result = try connection.query(
                        """
                        INSERT INTO \(tables.items) AS i (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                        VALUES ($1, $2, to_timestamp($3::float8), gen_random_uuid(), $4::jsonb, NULL, $5::integer)
                        \(returning)
                        """, [.text(write.appName), .text(write.name), stamp, payload, PGValue(userID)])
                } else {
                    let keep = existing.int(0, 0)
                    result = try connection.query(
                        """
                        UPDATE \(tables.items) AS i SET date_modified = to_timestamp($1::float8), data = $2::jsonb,
                            user_id = coalesce($3::integer, i.user_id)
                        WHERE i.id = $4::integer
                        \(returning)
                        """, [stamp, payload, PGValue(userID), PGValue(keep)])
                }
            }
        case .sodarcache:
            let conflict = projectID == nil ? "(app_name, name) WHERE project_id IS NULL" : "(project_id, app_name, name)"
            let upsert = projectID == nil ? Self.sodarcacheUpsertSQL(conflict: conflict) : statements.upsertItem
            let parameters = [
                PGValue(projectID), .text(write.appName), .text(write.name), PGValue(write.user?.username),
                PGValue(write.user?.uuid), stamp, PGValue(write.data.count), payload,
            ]
            if audit != nil { try purgeAuditIfDue(connection) }
            let statement = audit.map { (Self.audited(upsert), parameters + auditParameters($0)) } ?? (upsert, parameters)
            let locked = alone && tables.itemTable != nil
            // The name's row in the trash goes to the copy table, and the write takes the slot.
            let settle = settleStatement(projectIDs: [projectID], appNames: [write.appName], names: [write.name])
            func attempt(settling: Bool) throws -> PGResult {
                let statements = (settling ? [settle] : []) + [statement]
                if locked {
                    return try connection.pipelined(
                        [("SELECT pg_advisory_xact_lock_shared($1::bigint)", [PGValue(Self.marksLockKey)])] + statements)
                }
                for (sql, values) in statements.dropLast() { try connection.query(sql, values) }
                return try connection.query(statement.0, statement.1)
            }
            var written = try attempt(settling: false)
            if written.rowCount == 0 { written = try attempt(settling: true) }
            result = written
        }
        guard result.rowCount == 1 else {
            throw CacheError.storeFailure("upsert of \"\(write.appName):\(write.name)\" returned nothing")
        }
        return CacheItem(
            uuid: try result.row(0).uuid(0, "sodar_uuid", of: .item(app: write.appName, name: write.name, reason: "")),
            project: write.project, appName: write.appName, name: write.name,
            user: Self.user(name: result.string(0, 1), uuid: result.uuid(0, 2)), data: write.data, dateModified: now)
    }

    // MARK: - Batches

    /// Writes a batch in the caller's transaction as a few multi-row statements (`unnest` of
    /// one array per column): one statement fires sodarcache's totals triggers once, where a
    /// statement per item fired them for every item (and piled up versions of the totals row).
    /// The result is that of writing the items one by one, in order.
    func upsertBatch(_ connection: PGConnection, _ writes: [CacheWrite], now: Date) throws {
        var project: [(write: CacheWrite, id: Int)] = []
        var site: [CacheWrite] = []
        for write in Self.merged(writes) {
            if let id = try projectRowID(connection, write.project) { project.append((write, id)) } else { site.append(write) }
        }
        func stamp(_ write: CacheWrite) -> Double {
            (write.dateModified.map(CacheWriteRules.storedTime) ?? now).timeIntervalSince1970
        }
        for chunk in Self.chunks(project.map(\.write)) {
            let ids = project[chunk].map(\.id)
            try upsertRows(connection, Array(project[chunk].map(\.write)), projectIDs: ids, stamp: stamp)
        }
        switch layout {
        case .sodarcache:
            for chunk in Self.chunks(site) {
                try upsertRows(connection, Array(site[chunk]), projectIDs: nil, stamp: stamp)
            }
        case .sodar:
            // SODAR's constraint lets site-wide rows repeat: each takes the locked path.
            for write in site { _ = try upsert(connection, write, now: Date(timeIntervalSince1970: stamp(write))) }
        }
    }

    /// One multi-row upsert; `projectIDs` nil: site-wide items (sodarcache's schema only).
    private func upsertRows(
        _ connection: PGConnection, _ writes: [CacheWrite], projectIDs: [Int]?, stamp: (CacheWrite) -> Double
    ) throws {
        let bytes = writes.reduce(0) { $0 + $1.data.count + $1.name.utf8.count + 64 }
        var apps = PGArrayLiteral(), names = PGArrayLiteral(), stamps = PGArrayLiteral(), data = PGArrayLiteral(reservingCapacity: bytes)
        var projects = PGArrayLiteral(), users = PGArrayLiteral()
        for (index, write) in writes.enumerated() {
            apps.append(write.appName)
            names.append(write.name)
            stamps.append(stamp(write))
            data.append(quoted: write.data)
            projects.append(projectIDs?[index])
            users.append(write.user?.username)
        }
        switch layout {
        case .sodar:
            let written = try connection.query(
                statements.upsertBatch, [apps.value, names.value, stamps.value, data.value, projects.value, users.value]
            ).affectedRows
            if written < writes.count {
                // Rows whose username the site does not have were left out: name one, and the
                // caller's transaction rolls the batch back.
                let known = try connection.query(
                    "SELECT username FROM \(tables.users!) WHERE username = ANY($1::text[])", [users.value])
                let found = Set((0..<known.rowCount).compactMap { known.string($0, 0) })
                let unknown = writes.compactMap { $0.user?.username }.first { !found.contains($0) } ?? "?"
                throw CacheError.invalidArgument("Unknown user \"\(unknown)\": no such username in \(settings.userTable)")
            }
        case .sodarcache:
            var uuids = PGArrayLiteral(), sizes = PGArrayLiteral()
            for write in writes {
                uuids.append(write.user?.uuid)
                sizes.append(write.data.count)
            }
            func attempt() throws -> Int {
                try connection.query(
                    projectIDs == nil ? statements.upsertSiteBatch : statements.upsertBatch,
                    [projects.value, apps.value, names.value, users.value, uuids.value, stamps.value, sizes.value, data.value]
                ).affectedRows
            }
            var written = try attempt()
            if written < writes.count {
                // Some names' rows are in the trash: they go to the copy table, and the batch
                // is written again (rows it wrote already are written the same).
                try settleMarks(
                    connection, projectIDs: projectIDs?.map { Optional($0) } ?? Array(repeating: nil, count: writes.count),
                    appNames: writes.map(\.appName), names: writes.map(\.name))
                written = try attempt()
            }
            guard written == writes.count else {
                throw CacheError.storeFailure("a batch upsert of \(writes.count) items wrote \(written)")
            }
        }
    }

    /// The writes with repeats of one item folded into its last write, as writing them in
    /// order would leave it: the last data and time, and the last user given (a write without
    /// a user keeps the one before). One statement cannot touch a row twice.
    static func merged(_ writes: [CacheWrite]) -> [CacheWrite] {
        struct Key: Hashable {
            var project: UUID?
            // Bytes, not String: Swift's == folds canonically equivalent text, PostgreSQL does not.
            var app: [UInt8]
            var name: [UInt8]
        }
        var index: [Key: Int] = [:]
        var merged: [CacheWrite] = []
        merged.reserveCapacity(writes.count)
        for write in writes {
            let key = Key(project: write.project, app: Array(write.appName.utf8), name: Array(write.name.utf8))
            if let at = index[key] {
                let user = write.user ?? merged[at].user
                merged[at] = write
                merged[at].user = user
            } else {
                index[key] = merged.count
                merged.append(write)
            }
        }
        return merged
    }

    /// Index ranges of at most 1,000 writes or about 8 MB of payload each.
    static func chunks(_ writes: [CacheWrite]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var bytes = 0
        for (index, write) in writes.enumerated() {
            if index > start && (index - start == 1_000 || bytes + write.data.count > 8 << 20) {
                ranges.append(start..<index)
                start = index
                bytes = 0
            }
            bytes += write.data.count
        }
        if start < writes.count { ranges.append(start..<writes.count) }
        return ranges
    }

    /// SODAR's upsert RETURNING clause: the item's UUID and its user's name and UUID.
    static func sodarReturning(_ users: String) -> String {
        """
        RETURNING i.sodar_uuid, (SELECT username FROM \(users) WHERE id = i.user_id),
            (SELECT sodar_uuid FROM \(users) WHERE id = i.user_id)
        """
    }

    /// sodarcache's upsert, for a project's item or (`conflict` on the partial index) a site-wide one.
    static func sodarcacheUpsertSQL(conflict: String) -> String {
        """
        INSERT INTO sodarcache_item AS i
            (sodar_uuid, project_id, app_name, name, user_name, user_uuid, date_modified, size, data)
        VALUES (gen_random_uuid(), $1::bigint, $2, $3, $4, $5::uuid, to_timestamp($6::float8), $7::bigint, $8)
        ON CONFLICT \(conflict) DO UPDATE SET
            user_uuid = CASE WHEN excluded.user_name IS NULL THEN i.user_uuid ELSE excluded.user_uuid END,
            user_name = coalesce(excluded.user_name, i.user_name),
            date_modified = excluded.date_modified, size = excluded.size, data = excluded.data
        \(keepMarked)
        RETURNING i.sodar_uuid, i.user_name, i.user_uuid
        """
    }

    /// sodarcache's multi-row upsert: the columns of `sodarcacheUpsertSQL`, each an array.
    static func sodarcacheBatchSQL(conflict: String) -> String {
        """
        INSERT INTO sodarcache_item AS i
            (sodar_uuid, project_id, app_name, name, user_name, user_uuid, date_modified, size, data)
        SELECT gen_random_uuid(), w.project_id, w.app_name, w.name, w.user_name, w.user_uuid, to_timestamp(w.stamp), w.size, w.data
        FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::float8[], $7::bigint[], $8::text[])
            AS w(project_id, app_name, name, user_name, user_uuid, stamp, size, data)
        ON CONFLICT \(conflict) DO UPDATE SET
            user_uuid = CASE WHEN excluded.user_name IS NULL THEN i.user_uuid ELSE excluded.user_uuid END,
            user_name = coalesce(excluded.user_name, i.user_name),
            date_modified = excluded.date_modified, size = excluded.size, data = excluded.data
        \(keepMarked)
        """
    }

    /// An upsert leaves a row the trash marked as it is (it writes nothing then; the caller
    /// settles the mark and writes again): it belongs to a delete that can be undone.
    static let keepMarked = "WHERE NOT EXISTS (SELECT 1 FROM sodarcache_trash_mark m WHERE m.item_id = i.id)"

    /// Serialises our writers of one site-wide (app, name) until the transaction ends.
    private func lockSiteItem(_ connection: PGConnection, _ write: CacheWrite) throws {
        try connection.query(
            "SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))",
            [.text("sodarcache:" + write.appName), .text(write.name)])
    }
}
