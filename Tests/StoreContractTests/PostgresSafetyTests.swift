import Foundation
import Logging
import PostgresDriver
import SodarCache
@testable import SodarCachePostgres
import StoreKernel
import Testing

/// Issue 18 on PostgreSQL: reads never write, SODAR's tables in any schema, privileges named
/// with their GRANT, settings that hold, and `init` / `migrate` / `remove-store`.
@Suite(.enabled(if: TestServer.uri != nil)) struct PostgresSafetyTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func open(_ uri: String, readOnly: Bool = false, settings: PostgresCacheStore.Settings = .init()) throws -> PostgresCacheStore {
        try PostgresCacheStore(
            location: PostgresLocation(uri)!, registeredApps: ContractStore.apps, readOnly: readOnly, settings: settings, logger: quiet)
    }

    /// Every relation, function and trigger of the database, as one text: what "nothing changed" compares.
    func catalog(_ connection: PGConnection) throws -> String {
        let result = try connection.query(
            """
            SELECT coalesce(string_agg(x, ',' ORDER BY x), '') FROM (
                SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text AS x FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                UNION ALL SELECT 'f:' || proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
                UNION ALL SELECT 't:' || tgname FROM pg_trigger WHERE NOT tgisinternal) s
            """)
        return result.string(0, 0) ?? ""
    }

    func database() throws -> (name: String, admin: PGConnection) {
        let name = try TestServer.createDatabase()
        return (name, try PGConnection(uri: TestServer.uri(database: name)))
    }

    @Test(.enabled(if: !TestServer.pooled)) func aRoleThatCannotSeeSODARsTablesIsToldTheGrantAndNothingIsCreated() throws {
        let (name, admin) = try database()
        defer { TestServer.drop(name) }
        try admin.execute(TestServer.sodarSchema)
        let role = "sc_nogrant_" + UUID().uuidString.prefix(8).lowercased()
        // May create in public (the default before PostgreSQL 15), may read nothing of SODAR's.
        try admin.execute("CREATE ROLE \(role) LOGIN; GRANT CREATE ON SCHEMA public TO \(role)")
        defer { _ = try? admin.execute("DROP OWNED BY \(role)"); _ = try? TestServer.admin().execute("DROP ROLE IF EXISTS \(role)") }
        let before = try catalog(admin)
        let uri = TestServer.uri(database: name).replacingOccurrences(of: "user=postgres", with: "user=\(role)")
        for readOnly in [false, true] {
            let error = #expect(throws: CacheError.self) { try open(uri, readOnly: readOnly) }
            let text = error?.description ?? ""
            #expect(text.contains("may not read SODAR's tables"), "\(text)")
            #expect(text.contains("GRANT SELECT ON public.sodarcache_jsoncacheitem, public.projectroles_project, public.users_user TO \"\(role)\""), "\(text)")
            #expect(!text.contains("does not exist") && !text.contains("empty"), "\(text)")
        }
        #expect(try catalog(admin) == before)
    }

    @Test func anEmptyDatabaseIsOpenedByNothingButInit() throws {
        let (name, admin) = try database()
        defer { TestServer.drop(name) }
        let uri = TestServer.uri(database: name)
        let error = #expect(throws: CacheError.self) { try open(uri) }
        #expect(error?.description.contains("holds no tables: create a store there with `sodarcache init`") == true)
        #expect(try catalog(admin) == "")
        // A database with anything at all in it is not initialised.
        try admin.execute("CREATE SEQUENCE someone_elses")
        let refused = #expect(throws: CacheError.self) { try PostgresCacheStore.initialize(location: PostgresLocation(uri)!) }
        #expect(refused?.description.contains("is not empty") == true)
        try admin.execute("DROP SEQUENCE someone_elses")
        #expect(try PostgresCacheStore.initialize(location: PostgresLocation(uri)!) == PostgresCacheStore.migrations.count)
        #expect(try open(uri).layout == .sodarcache)
    }

    /// Makes the store of schema `version` that an older sodarcache's `init` left.
    static func makeStore(_ admin: PGConnection, version: Int) throws {
        try admin.transaction {
            try admin.execute("CREATE TABLE sodarcache_schema (version integer NOT NULL)")
            for index in 0..<version {
                try admin.execute(PostgresCacheStore.migrations[index])
                try admin.query("INSERT INTO sodarcache_schema (version) VALUES ($1::integer)", [PGValue(index + 1)])
            }
        }
    }

    /// A v9 store (the trash copied) with items, a delete kept as copies and a role that may
    /// delete: after `migrate` the copies are still restorable, the role deletes with the trash
    /// on (it was given the marks' grant), and its delete is marked, not copied.
    @Test(.enabled(if: !TestServer.pooled)) func migratingToMarksKeepsTheCopiesAndTheRolesThatDelete() throws {
        let (name, admin) = try database()
        defer { TestServer.drop(name) }
        let uri = TestServer.uri(database: name)
        try Self.makeStore(admin, version: 9)
        try admin.execute(
            """
            INSERT INTO sodarcache_item (sodar_uuid, app_name, name, date_modified, size, data)
            SELECT gen_random_uuid(), 'timeline', 'n' || g, now(), 3, '[' || g || ']' FROM generate_series(1, 3) g;
            INSERT INTO sodarcache_trash_entry (deleted_at, os_user, host, command) VALUES (now(), 'u', 'h', 'delete');
            SELECT set_config('sodarcache.trash_entry', '1', false);
            DELETE FROM sodarcache_item WHERE name = 'n1';
            SELECT set_config('sodarcache.trash_entry', '', false);
            """)
        let role = "sc_deleter_" + UUID().uuidString.prefix(8).lowercased()
        try admin.execute(
            """
            CREATE ROLE \(role) LOGIN;
            GRANT SELECT, DELETE ON sodarcache_item TO \(role);
            GRANT SELECT, UPDATE ON sodarcache_totals, sodarcache_project_totals TO \(role);
            GRANT SELECT ON sodarcache_project, sodarcache_schema, sodarcache_history_setting TO \(role);
            GRANT SELECT, INSERT, DELETE ON sodarcache_audit_log, sodarcache_trash_item TO \(role);
            GRANT SELECT, INSERT, UPDATE, DELETE ON sodarcache_trash_entry TO \(role);
            GRANT USAGE ON SEQUENCE sodarcache_audit_log_id_seq, sodarcache_trash_entry_id_seq TO \(role)
            """)
        defer { _ = try? admin.execute("DROP OWNED BY \(role)"); _ = try? TestServer.admin().execute("DROP ROLE IF EXISTS \(role)") }
        #expect(try PostgresCacheStore.migrate(location: PostgresLocation(uri)!) == (from: 9, to: PostgresCacheStore.migrations.count))

        let deleter = try open(uri.replacingOccurrences(of: "user=postgres", with: "user=\(role)"))
        #expect(deleter.capabilities.canDelete, "\(deleter.capabilities.whyNotDelete ?? "")")
        try deleter.deleteCacheItem(appName: "timeline", name: "n2", project: nil)
        #expect(try admin.query("SELECT count(*) FROM sodarcache_trash_mark WHERE item_id <> 0").int(0, 0) == 1)
        #expect(try deleter.totals().items == 1)
        let owner = try open(uri)
        let trash = try #require(owner.trash)
        #expect(try trash.trashEntries(limit: 10).map(\.items) == [1, 1])
        let report = try trash.restore(entries: try trash.trashEntries(limit: 10).map(\.id))
        #expect(report.restored.map(\.name).sorted() == ["n1", "n2"])
        #expect(try owner.totals().items == 3)
    }

    @Test func anOlderStoreIsReadByNoCommandUntilMigrateSaysFromWhichVersionToWhich() throws {
        let (name, admin) = try database()
        defer { TestServer.drop(name) }
        let uri = TestServer.uri(database: name)
        // A v3 store, as an older sodarcache left it.
        try Self.makeStore(admin, version: 3)
        let before = try catalog(admin)
        for readOnly in [true, false] {
            let error = #expect(throws: CacheError.self) { try open(uri, readOnly: readOnly) }
            #expect(error?.description.contains("schema v3") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("run `sodarcache migrate`") == true)
        }
        #expect(try catalog(admin) == before)
        let migrated = try PostgresCacheStore.migrate(location: PostgresLocation(uri)!)
        #expect(migrated.from == 3 && migrated.to == PostgresCacheStore.migrations.count)
        #expect(try PostgresCacheStore.migrate(location: PostgresLocation(uri)!) == (from: migrated.to, to: migrated.to))
        #expect(try open(uri).layout == .sodarcache)
    }

    /// A role may delete items but not keep them in the trash: the capability check says so
    /// before any delete is tried (a delete would fail and roll back), and with the trash off,
    /// or once granted, the check passes and the delete works: the check asks for what a delete
    /// needs, no more and no less.
    @Test(.enabled(if: !TestServer.pooled)) func aRoleThatCannotKeepDeletesInTheTrashIsToldBeforeItDeletes() throws {
        let (name, admin) = try database()
        defer { TestServer.drop(name) }
        let uri = TestServer.uri(database: name)
        _ = try PostgresCacheStore.initialize(location: PostgresLocation(uri)!)
        let owner = try open(uri)
        try owner.setCacheItems((0..<3).map { CacheWrite(appName: "timeline", name: "n\($0)", data: json("[\($0)]")) })
        let role = "sc_notrash_" + UUID().uuidString.prefix(8).lowercased()
        try admin.execute(
            """
            CREATE ROLE \(role) LOGIN;
            GRANT SELECT, DELETE ON sodarcache_item TO \(role);
            GRANT SELECT, UPDATE ON sodarcache_totals, sodarcache_project_totals TO \(role);
            GRANT SELECT ON sodarcache_project, sodarcache_schema, sodarcache_history_setting TO \(role);
            GRANT SELECT, INSERT, DELETE ON sodarcache_audit_log TO \(role);
            GRANT SELECT, INSERT, UPDATE, DELETE ON sodarcache_trash_entry TO \(role);
            GRANT USAGE ON SEQUENCE sodarcache_audit_log_id_seq, sodarcache_trash_entry_id_seq TO \(role);
            GRANT SELECT, DELETE ON sodarcache_trash_item TO \(role)
            """)
        defer { _ = try? admin.execute("DROP OWNED BY \(role)"); _ = try? TestServer.admin().execute("DROP ROLE IF EXISTS \(role)") }
        let roleURI = uri.replacingOccurrences(of: "user=postgres", with: "user=\(role)")

        let store = try open(roleURI)
        #expect(!store.capabilities.canDelete)
        let why = store.capabilities.whyNotDelete ?? ""
        #expect(why.contains("role \(role) has no INSERT on public.sodarcache_trash_item"), "\(why)")
        #expect(why.contains("GRANT INSERT ON public.sodarcache_trash_item TO \"\(role)\""), "\(why)")
        // A delete marks rows in the trash (v10): the role that never deleted has no marks' grant.
        #expect(why.contains("GRANT INSERT, DELETE ON public.sodarcache_trash_mark TO \"\(role)\""), "\(why)")
        #expect(why.contains("--no-trash"), "\(why)")
        // What the check foresaw: the delete fails, and rolls back.
        #expect(throws: CacheError.self) { try store.deleteCacheItem(appName: "timeline", name: "n0", project: nil) }
        #expect(try owner.totals().items == 3)

        // With the trash off (--no-trash) the same role may delete, and does.
        var settings = PostgresCacheStore.Settings()
        settings.changes = ChangePolicy(trash: .off)
        let hard = try open(roleURI, settings: settings)
        #expect(hard.capabilities.canDelete, "\(hard.capabilities.whyNotDelete ?? "")")
        try hard.deleteCacheItem(appName: "timeline", name: "n0", project: nil)
        #expect(try owner.totals().items == 2)

        // Granted: the check passes, and a delete kept in the trash and the audit trail works.
        try admin.execute("GRANT INSERT ON sodarcache_trash_item TO \(role); GRANT INSERT, DELETE ON sodarcache_trash_mark TO \(role)")
        let granted = try open(roleURI)
        #expect(granted.capabilities.canDelete, "\(granted.capabilities.whyNotDelete ?? "")")
        try granted.deleteCacheItem(appName: "timeline", name: "n1", project: nil)
        #expect(try owner.totals().items == 1)
        #expect(try #require(owner.trash).trashEntries(limit: 1).first?.items == 1)
        // Writes need INSERT and UPDATE on the items, the totals and history's versions.
        #expect(!granted.capabilities.canWrite)
        #expect(granted.capabilities.whyNotWrite?.contains("INSERT, UPDATE on public.sodarcache_item") == true, "\(granted.capabilities.whyNotWrite ?? "")")
        try admin.execute(
            """
            GRANT INSERT, UPDATE ON sodarcache_item TO \(role); GRANT INSERT ON sodarcache_project_totals TO \(role);
            GRANT SELECT, INSERT, DELETE ON sodarcache_item_version TO \(role);
            GRANT USAGE ON SEQUENCE sodarcache_item_version_id_seq TO \(role)
            """)
        // (A new item takes an id of the item table's sequence.)
        let sequence = try open(roleURI).capabilities.whyNotWrite ?? ""
        #expect(sequence.contains("GRANT USAGE ON SEQUENCE public.sodarcache_item_id_seq"), "\(sequence)")
        try admin.execute("GRANT USAGE ON SEQUENCE sodarcache_item_id_seq TO \(role)")
        let writer = try open(roleURI)
        #expect(writer.capabilities.canWrite, "\(writer.capabilities.whyNotWrite ?? "")")
        try writer.setCacheItem(appName: "timeline", name: "n2", data: json("[20]"))
        try writer.setCacheItem(appName: "timeline", name: "new", data: json("[1]"))
        #expect(try owner.totals().items == 2)
    }

    @Test func sodarsTablesInAnotherSchemaAreFoundAndNamedWithIt() throws {
        let (name, admin) = try database()
        defer { TestServer.drop(name) }
        try admin.execute("CREATE SCHEMA sodar; SET search_path = sodar; " + TestServer.sodarSchema + "; RESET search_path")
        let uri = TestServer.uri(database: name)
        let store = try open(uri)
        #expect(store.layout == .sodar)
        let project = UUID()
        try admin.execute(
            "INSERT INTO sodar.projectroles_project (title, type, description, sodar_uuid, full_title, has_public_children, archive) "
                + "VALUES ('P', 'PROJECT', '', '\(project.uuidString.lowercased())', 'P', false, false)")
        try store.setCacheItem(appName: "timeline", name: "x", data: json("[1]"), project: project)
        #expect(try admin.query("SELECT count(*) FROM sodar.sodarcache_jsoncacheitem").int(0, 0) == 1)
        #expect(try store.projectPage(after: nil, limit: 10, filter: nil).count == 1)
        // A second copy in another schema: which one is meant must be said.
        try admin.execute("CREATE SCHEMA copy; SET search_path = copy; " + TestServer.sodarSchema + "; RESET search_path")
        let ambiguous = #expect(throws: CacheError.self) { try open(uri) }
        #expect(ambiguous?.description.contains("several schemas (copy, sodar)") == true, "\(ambiguous?.description ?? "")")
        #expect(ambiguous?.description.contains("[postgres] schema") == true)
        var settings = PostgresCacheStore.Settings()
        settings.schema = "copy"
        let chosen = try open(uri, settings: settings)
        #expect(try chosen.getCacheItem(appName: "timeline", name: "x", project: nil) == nil)
        #expect(try chosen.projectPage(after: nil, limit: 10, filter: nil).isEmpty)
    }

    @Test func aSODARSchemaThisBuildDoesNotKnowIsRefusedUpFront() throws {
        let (name, admin) = try database()
        defer { TestServer.drop(name) }
        try admin.execute(TestServer.sodarSchema)
        // The unique constraint the upserts target, gone.
        let constraint = try admin.query(
            """
            SELECT conname::text FROM pg_constraint WHERE conrelid = 'sodarcache_jsoncacheitem'::regclass AND contype = 'u'
              AND array_length(conkey, 1) = 3
            """).string(0, 0) ?? ""
        try admin.execute("ALTER TABLE sodarcache_jsoncacheitem DROP CONSTRAINT \"\(constraint)\"")
        let error = #expect(throws: CacheError.self) { try open(TestServer.uri(database: name), readOnly: true) }
        #expect(error?.description.contains("no unique constraint on (project_id, app_name, name)") == true, "\(error?.description ?? "")")
    }

    @Test func sodarcachesOwnSettingsHoldOverTheURIsOptionsAndPGOPTIONS() throws {
        let fixture = try ContractStore(.postgres)
        let database = try fixture.sql("SELECT current_database()").string(0, 0) ?? ""
        let uri = TestServer.uri(database: database) + "&options=" + "-c lock_timeout=60s -c work_mem=7MB"
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        for readOnly in [false, true] {
            let store = try open(uri, readOnly: readOnly)
            let shown = try store.withConnection { connection in
                try connection.query("SELECT current_setting('lock_timeout'), current_setting('work_mem'), current_setting('transaction_read_only')")
            }
            #expect(shown.string(0, 0) == PostgresCacheStore.lockTimeout)
            #expect(shown.string(0, 1) == "7MB")
            #expect(shown.string(0, 2) == (readOnly ? "on" : "off"))
        }
        // A setting that cannot be applied after connecting is one line naming it.
        let refused = #expect(throws: CacheError.self) {
            try open(TestServer.uri(database: database) + "&options=-c%20shared_buffers%3D1MB")
        }
        #expect(refused?.description.contains("cannot apply the setting shared_buffers=1MB after connecting") == true)
        let unknown = #expect(throws: CacheError.self) { try open(TestServer.uri(database: database) + "&options=-d%205") }
        #expect(unknown?.description.contains("\"-d\" is not a setting") == true, "\(unknown?.description ?? "")")
    }

    @Test func removeStoreDropsSodarcachesObjectsAndNothingOfSODARs() throws {
        let (name, admin) = try database()
        defer { TestServer.drop(name) }
        try admin.execute(TestServer.sodarSchema)
        let sodarOnly = try catalog(admin)
        // What an earlier sodarcache created inside a SODAR database.
        try admin.transaction {
            try admin.execute("CREATE TABLE sodarcache_schema (version integer NOT NULL)")
            for index in 0..<PostgresCacheStore.migrations.count { try admin.execute(PostgresCacheStore.migrations[index]) }
        }
        let location = PostgresLocation(TestServer.uri(database: name))!
        let listed = try PostgresCacheStore.ownObjects(location: location)
        #expect(listed.contains("table public.sodarcache_item") && listed.contains("function public.sodarcache_totals_inserted"))
        #expect(!listed.contains { $0.contains("jsoncacheitem") || $0.contains("projectroles") })
        #expect(try PostgresCacheStore.removeOwnObjects(location: location) == listed)
        #expect(try catalog(admin) == sodarOnly)
        #expect(try PostgresCacheStore.ownObjects(location: location).isEmpty)
        #expect(try open(TestServer.uri(database: name)).layout == .sodar)
    }
}

/// Issue 18, point 5: an app SODAR has installed is never an orphan.
@Suite(.enabled(if: TestServer.uri != nil)) struct SODARInstalledAppsTests {
    @Test func installedAppsAreNotOrphansAndAnUnreadableRegistryRefusesOrphans() throws {
        let fixture = try ContractStore(.sodar)
        let project = try fixture.makeTestProject()
        try fixture.sql(
            """
            INSERT INTO djangoplugins_pluginpoint (id, pythonpath, title, status) VALUES (1, 'projectroles.plugins.ProjectAppPluginPoint', 'P', 0)
            """)
        try fixture.sql(
            """
            INSERT INTO djangoplugins_plugin (pythonpath, name, title, index, status, point_id) VALUES
                ('landingzones.plugins.ProjectAppPlugin', 'landingzones', 'Landing Zones', 0, 0, 1),
                ('samplesheets.assayapps.generic.plugins.SampleSheetAssayPlugin', 'samplesheets_assay_generic', 'Generic', 0, 1, 1),
                ('oldapp.plugins.ProjectAppPlugin', 'oldapp', 'Removed', 0, 2, 1)
            """)
        // As SODAR writes them: apps this config does not register.
        for app in ["landingzones", "samplesheets.assayapps.generic", "oldapp", "landing"] {
            try fixture.sql(
                """
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id)
                VALUES ($1, 'x', now(), gen_random_uuid(), '{}', (SELECT id FROM projectroles_project WHERE sodar_uuid = $2::uuid))
                """, [app, project.uuid.uuidString.lowercased()])
        }
        let store = try #require(fixture.store as? PostgresCacheStore)
        let installed = try #require(try store.installedApps())
        #expect(installed["landingzones"] == "landingzones.plugins.ProjectAppPlugin")
        // Disabled plugins still count; removed ones do not; a name that only starts alike is not covered.
        #expect(installed["samplesheets.assayapps.generic"] != nil)
        #expect(installed["oldapp"] == nil && installed["landing"] == nil)
        let orphans = CacheFilter(appNotIn: Set(ContractStore.apps))
        #expect(Set(try store.countItems(matching: orphans).keys) == ["oldapp", "landing"])
        #expect(try store.deleteItems(matching: orphans) == 2)
        #expect(try store.countItems(matching: CacheFilter(scope: .project(project.uuid))).values.reduce(0, +) == 2)
        // A role that may not read the registry: --orphans refuses rather than guess.
        let role = "sc_noreg_" + UUID().uuidString.prefix(8).lowercased()
        try fixture.sql("CREATE ROLE \(role) LOGIN")
        try fixture.sql("GRANT SELECT, DELETE ON sodarcache_jsoncacheitem, projectroles_project, users_user TO \(role)")
        defer { _ = try? fixture.sql("DROP OWNED BY \(role)"); _ = try? TestServer.admin().execute("DROP ROLE IF EXISTS \(role)") }
        guard !TestServer.pooled else { return }
        let database = try fixture.sql("SELECT current_database()").string(0, 0) ?? ""
        let other = try PostgresCacheStore(
            location: PostgresLocation(TestServer.uri(database: database).replacingOccurrences(of: "user=postgres", with: "user=\(role)"))!,
            registeredApps: ContractStore.apps)
        let refused = #expect(throws: CacheError.self) { try other.deleteItems(matching: orphans) }
        #expect(refused?.description.contains("GRANT SELECT ON djangoplugins_plugin") == true, "\(refused?.description ?? "")")
        #expect(try store.countItems(matching: CacheFilter(scope: .project(project.uuid))).values.reduce(0, +) == 2)
    }
}

/// Issue 18, point 12: a project SODAR re-creates with the same UUID is found under its new row id.
@Suite(.enabled(if: TestServer.uri != nil)) struct SODARRecreatedProjectTests {
    @Test func aProjectRecreatedWithTheSameUUIDShowsOpensAndDeletesItsItems() throws {
        let fixture = try ContractStore(.sodar)
        let store = try #require(fixture.store as? PostgresCacheStore)
        let project = try fixture.makeTestProject()
        try store.setCacheItem(appName: "timeline", name: "before", data: json("{}"), project: project.uuid)
        // A browser: it watches the change token and keeps the project's row id.
        _ = try store.changeToken()
        #expect(try store.appPage(project: project.uuid, after: nil, limit: 10, filter: nil).map(\.appName) == ["timeline"])
        let uuid = project.uuid.uuidString.lowercased()
        // SODAR deletes the project and creates it again under the same UUID, with items of its own.
        try fixture.sql("DELETE FROM sodarcache_jsoncacheitem WHERE project_id = (SELECT id FROM projectroles_project WHERE sodar_uuid = $1::uuid)", [uuid])
        try fixture.sql("DELETE FROM projectroles_project WHERE sodar_uuid = $1::uuid", [uuid])
        try fixture.sql(
            """
            INSERT INTO projectroles_project (title, type, description, sodar_uuid, parent_id, full_title, has_public_children, archive)
            VALUES ('TestProject', 'PROJECT', '', $1::uuid, (SELECT id FROM projectroles_project WHERE title = 'TestCategory'), 'TestCategory / TestProject', false, false)
            """, [uuid])
        try fixture.sql(
            """
            INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id)
            VALUES ('samplesheets', 'after', now(), gen_random_uuid(), '{}', (SELECT id FROM projectroles_project WHERE sodar_uuid = $1::uuid))
            """, [uuid])
        _ = try store.changeToken()
        #expect(try store.appPage(project: project.uuid, after: nil, limit: 10, filter: nil).map(\.appName) == ["samplesheets"])
        #expect(try store.deleteItems(matching: CacheFilter(scope: .project(project.uuid))) == 1)
        #expect(try fixture.sql("SELECT count(*) FROM sodarcache_jsoncacheitem").int(0, 0) == 0)
    }
}
