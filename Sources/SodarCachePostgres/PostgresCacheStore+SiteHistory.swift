import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

// MARK: - The history of SODAR's tables, in the local store

/// The versions one change on SODAR's tables replaces: those its writes replace (read before
/// them), then the rows its deletes took, apart from items the change writes again (their
/// versions are the writes' own: none when the new payload is the same, as a sync that deletes
/// and rewrites an app's items mostly writes).
struct SiteVersionCollector {
    private struct Key: Hashable {
        var project: UUID?
        var app: [UInt8]
        var name: [UInt8]
    }

    private var replaced: [CacheItem] = []
    private var written: Set<Key> = []

    mutating func wrote(_ writes: [CacheWrite], replacing old: [CacheItem]) {
        for write in writes { written.insert(Key(project: write.project, app: Array(write.appName.utf8), name: Array(write.name.utf8))) }
        replaced += old
    }

    /// The versions to keep, replaced at `at`.
    func versions(deleted: [TrashedItem], at: Date) -> [ItemVersion] {
        var seen: Set<UUID> = []
        var versions: [ItemVersion] = []
        for item in replaced where seen.insert(item.uuid).inserted {
            versions.append(ItemVersion(replaced: item, at: at))
        }
        for item in deleted where !written.contains(Key(project: item.project, app: Array(item.appName.utf8), name: Array(item.name.utf8))) {
            guard seen.insert(item.uuid).inserted else { continue }
            versions.append(ItemVersion(replaced: item.item, at: at))
        }
        return versions
    }
}

extension PostgresCacheStore {
    /// The site's history policy, when it keeps any versions at all.
    func siteHistoryPolicy(_ local: any LocalTrashStore) throws -> HistoryPolicy? {
        let policy = try local.historyPolicy()
        return policy.versions > 0 || policy.perApp.values.contains { $0 > 0 } ? policy : nil
    }

    /// The local store, when this is a writable SODAR site whose history keeps versions. A
    /// local store that cannot be opened does not stop a write (it never needed one): the
    /// write keeps no version, and says so in the log.
    func siteHistoryStore() throws -> (any LocalTrashStore)? {
        guard layout == .sodar, !readOnly, granted.whyNotWrite == nil, settings.localTrash != nil else { return nil }
        do {
            guard let local = try localTrash(), try siteHistoryPolicy(local) != nil else { return nil }
            return local
        } catch {
            logger.warning("The site's local store cannot be read, so this write keeps no version: \(error)")
            return nil
        }
    }

    /// While `change` collects the site's history: reads the rows `writes` will replace whose
    /// payload differs from the write's (`jsonb` equality: key order and spelling do not count),
    /// and locks them until the transaction ends.
    func keepReplaced(_ connection: PGConnection, _ change: SiteChange?, _ writes: [CacheWrite]) throws {
        guard let change, change.versions != nil, !writes.isEmpty, let users = tables.users else { return }
        var project: [(write: CacheWrite, id: Int)] = []
        var site: [CacheWrite] = []
        for write in Self.merged(writes) {
            if let id = try projectRowID(connection, write.project) { project.append((write, id)) } else { site.append(write) }
        }
        let columns = """
            i.sodar_uuid, p.sodar_uuid, i.app_name, i.name, u.username, u.sodar_uuid, extract(epoch from i.date_modified), i.data::text
            """
        let joins = "LEFT JOIN \(tables.projects) p ON p.id = i.project_id LEFT JOIN \(users) u ON u.id = i.user_id"
        var replaced: [CacheItem] = []
        for chunk in Self.chunks(project.map(\.write)) {
            var ids = PGArrayLiteral(), apps = PGArrayLiteral(), names = PGArrayLiteral()
            var data = PGArrayLiteral(reservingCapacity: project[chunk].reduce(0) { $0 + $1.write.data.count + 16 })
            for (write, id) in project[chunk] {
                ids.append(id)
                apps.append(write.appName)
                names.append(write.name)
                data.append(quoted: write.data)
            }
            let result = try connection.query(
                """
                SELECT \(columns)
                FROM unnest($1::integer[], $2::text[], $3::text[], $4::text[]) AS w(project_id, app_name, name, data)
                JOIN \(tables.items) i ON i.project_id = w.project_id AND i.app_name = w.app_name AND i.name = w.name
                \(joins)
                WHERE i.data IS DISTINCT FROM w.data::jsonb
                FOR UPDATE OF i
                """, [ids.value, apps.value, names.value, data.value])
            replaced += try result.rows { try $0.cacheItem() }
        }
        for write in site {
            let result = try connection.query(
                """
                SELECT \(columns) FROM \(tables.items) i \(joins)
                WHERE i.project_id IS NULL AND i.app_name = $1 AND i.name = $2 AND i.data IS DISTINCT FROM $3::jsonb
                ORDER BY i.id LIMIT 1 FOR UPDATE OF i
                """, [.text(write.appName), .text(write.name), .bytes(write.data)])
            replaced += try result.rows { try $0.cacheItem() }
        }
        change.versions?.wrote(writes, replacing: replaced)
    }

    /// Settles the local store's pending versions whose transaction committed (or is too old
    /// to know), drops those that rolled back.
    @discardableResult
    func reconcileSiteVersions(_ local: any LocalTrashStore) throws -> (settled: Int, dropped: Int) {
        if try local.pendingSiteVersionTransactions().isEmpty { return (0, 0) }
        return try withConnection { connection in
            try local.reconcileSiteVersions(outcome: { xid in try Self.outcome(connection, of: xid) })
        }
    }
}

/// The history of a SODAR site: the versions sodarcache's own writes, deletes and syncs
/// replaced on SODAR's tables, kept in the site's local store. SODAR's other writers replace
/// versions it never sees (`seesEveryWriter` is false).
struct SiteHistory: ItemHistory {
    let store: PostgresCacheStore

    private func local() throws -> any LocalTrashStore {
        try store.localStore(orElse: "This SODAR site has no local store, where its history would be kept")
    }

    // Reads: from the local store as it is (a read creates or upgrades nothing); none yet
    // holds no versions, and its policy is the default.
    func versions(appName: String, name: String, project: UUID?) throws -> [ItemVersion] {
        try store.localTrashForReading()?.siteVersions(appName: appName, name: name, project: project) ?? []
    }

    func version(rev: Int64) throws -> ItemVersion? { try store.localTrashForReading()?.siteVersion(rev: rev) }
    func historyPolicy() throws -> HistoryPolicy { try store.localTrashForReading()?.historyPolicy() ?? .standard }

    func storeHistoryPolicy(_ policy: HistoryPolicy) throws { try local().applySiteHistoryPolicy(policy) }

    @discardableResult
    func keepVersions(_ versions: [ItemVersion]) throws -> Int {
        let local = try local()
        return try local.keepSiteVersions(notYetKept(versions, policy: local.historyPolicy()), transaction: nil)
    }

    var seesEveryWriter: Bool { false }
}
