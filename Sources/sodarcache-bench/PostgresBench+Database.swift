import Foundation
import Logging
import PostgresDriver
import SodarCache
import SodarCachePostgres
import StoreKernel

extension PostgresBench {
    /// One filled database as the PostgreSQL benches use it: its projects in id order and their
    /// row ids, the store on it, and a raw connection with the store's own statements prepared.
    struct Database {
        let layout: PostgresCacheStore.Layout
        let raw: Raw
        let store: PostgresCacheStore
        let uuids: [UUID]
        let ids: [UUID: Int]
        let perProject: Int
        let user: User

        /// How `fill` spreads N items over M projects: one category per 100 projects, the
        /// rest projects, the items in runs of `perProject`.
        static func shape(items: Int, projects: Int) -> (categories: Int, projects: Int, perProject: Int) {
            let categories = max(1, projects / 100)
            let projectCount = projects - categories
            return (categories, projectCount, (items + projectCount - 1) / projectCount)
        }

        /// Opens the store on a database `fill` filled, and prepares the store's `get` and
        /// `upsert` on `raw`, a connection to it.
        /// - Throws: when the database holds another number of projects than `projects`.
        init(
            _ layout: PostgresCacheStore.Layout, uri: String, raw: Raw, projects: Int, perProject: Int, logger: Logger
        ) throws {
            let projectTable = layout == .sodar ? "projectroles_project" : "sodarcache_project"
            let uuids = try raw.rows(
                "SELECT sodar_uuid::text FROM \(projectTable) WHERE type = 'PROJECT' ORDER BY id"
            ).compactMap { UUID(uuidString: $0[0]) }
            guard uuids.count == projects else {
                throw CacheError.storeFailure("\(projectTable) has \(uuids.count) projects, expected \(projects) (another --projects?)")
            }
            let statements = PostgresCacheStore.itemStatements(layout: layout)
            try raw.prepare("get", statements.get, parameters: 3)
            try raw.prepare("upsert", statements.upsert, parameters: layout == .sodar ? 6 : 8)
            user = User(username: "bench", uuid: UUID(uuidString: try raw.value(
                layout == .sodar ? "SELECT sodar_uuid::text FROM users_user WHERE username = 'bench'" : "SELECT gen_random_uuid()::text")))
            // The store's ceiling is measured with issue 20's trash and history's audit trail off.
            store = try PostgresCacheStore(
                location: PostgresLocation(uri)!, registeredApps: apps, settings: benchSettings, logger: logger)
            guard store.layout == layout else { throw CacheError.storeFailure("the store took \(uri) for \(store.layout.rawValue)") }
            self.layout = layout
            self.raw = raw
            self.uuids = uuids
            self.ids = try raw.projectIDs(projectTable)
            self.perProject = perProject
        }

        /// The key of item `i` as `fill` wrote it.
        func key(_ i: Int) -> (project: UUID, app: String, name: String) {
            (uuids[min(i / perProject, uuids.count - 1)], apps[i % apps.count], "irods/rows/\(i)")
        }

        /// The store's single upsert of `write`, run raw on the prepared statement.
        func rawUpsert(_ write: CacheWrite) throws {
            let parameters = upsertParameters(write, layout, projectID: ids[write.project!]!)
            guard try raw.execPrepared("upsert", parameters) == 1 else { throw CacheError.storeFailure("raw upsert wrote nothing") }
        }
    }

    /// The parameters of the store's single upsert on `layout` for `write`, stamped now.
    static func upsertParameters(
        _ write: CacheWrite, _ layout: PostgresCacheStore.Layout, projectID: Int
    ) -> [Raw.Parameter] {
        let stamp = String(CacheWriteRules.storedTime(Date()).timeIntervalSince1970)
        switch layout {
        case .sodar:
            return [.text(write.appName), .text(write.name), .text(stamp), .data(write.data), .text(String(projectID)),
                    write.user.map { .text($0.username) } ?? .null]
        case .sodarcache:
            return [.text(String(projectID)), .text(write.appName), .text(write.name),
                    write.user.map { .text($0.username) } ?? .null,
                    write.user?.uuid.map { .text($0.uuidString.lowercased()) } ?? .null,
                    .text(stamp), .text(String(write.data.count)), .data(write.data)]
        }
    }
}
