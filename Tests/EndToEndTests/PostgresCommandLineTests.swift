import Foundation
import TestSupport
import Testing

/// The command line on PostgreSQL: a SODAR site's database and a sodarcache store.
@Suite(.enabled(if: TestDatabase.available)) struct PostgresCommandLineTests {
    /// Runs the binary on `db`'s URI with the CLI fixture's config.
    func run(_ cli: CLI, _ db: TestDatabase, _ args: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(args + ["--db", db.uri, "--config", cli.config], stdin: stdin.map { Data($0.utf8) }, env: env)
    }

    @Test func everyItemCommandWorksOnASODARSitesDatabaseAsSODARWritesIt() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let liver = TestDatabase.liver
        #expect(try run(cli, db, ["set", "samplesheets", "irods/rows/a1", "-p", liver, "--user", "jdoe"], stdin: #"{"z": 1, "a": 2}"#).status == 0)
        #expect(try run(cli, db, ["set", "samplesheets", "irods/rows/a1", "-p", liver], stdin: #"{"z": 3}"#).status == 0)
        // As SODAR would read it: jsonb, the user kept, one row.
        #expect(try db.sql("SELECT i.data::text || ' ' || u.username FROM sodarcache_jsoncacheitem i JOIN users_user u ON u.id = i.user_id") == #"{"z": 3} jdoe"#)
        let get = try run(cli, db, ["get", "samplesheets", "irods/rows/a1", "-p", liver, "--compact"])
        #expect(get.stdout == "{\"z\": 3}\n")
        let ls = try run(cli, db, ["ls"])
        #expect(ls.stdout.contains("Cancer / Liver\tsamplesheets\tirods/rows/a1\tjdoe"))
        #expect(try run(cli, db, ["project", "list"]).stdout.contains("PROJECT\tCancer / Liver"))
        let time = try run(cli, db, ["update-time", "samplesheets", "irods/rows/a1", "-p", liver]).stdout
        #expect(Double(time.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
        // An unknown user, SODAR's projects, a bad URI: one line each, nothing written.
        let unknown = try run(cli, db, ["set", "samplesheets", "x", "--user", "nobody", "--data", "{}"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "Error: Unknown user \"nobody\": no such username in users_user\n")
        let add = try run(cli, db, ["project", "add", "New"])
        #expect(add.status != 0)
        #expect(add.stderr.contains("Projects belong to SODAR"))
        #expect(try db.sql("SELECT count(*) FROM projectroles_project") == "2")
        let dry = try run(cli, db, ["deletecache", "-p", liver, "--dry-run"])
        #expect(dry.stdout.contains("irods/rows/a1"))
        #expect(try run(cli, db, ["deletecache", "-p", liver]).status == 0)
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "0")
    }

    @Test func aSodarcacheStoreOnPostgreSQLKeepsPayloadsAndProjectsLikeTheSQLiteOne() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase()
        let category = try run(cli, db, ["project", "add", "Cancer", "--type", "CATEGORY"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let project = try run(cli, db, ["project", "add", "Liver", "--parent", category, "--path", "/data/liver"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let payload = #"{"zeta": 1.50, "alpha": [1e3]}"#
        #expect(try run(cli, db, ["set", "samplesheets", "x", "-p", project, "--data", payload]).status == 0)
        #expect(try run(cli, db, ["get", "samplesheets", "x", "-p", project, "--compact"]).stdout == payload + "\n")
        let json = try run(cli, db, ["project", "list", "--json"]).stdout
        #expect(json.contains("/data/liver"))
        // The round trip into a second store keeps everything.
        let other = try TestDatabase()
        let file = cli.dir.appendingPathComponent("projects.json")
        try Data(json.utf8).write(to: file)
        #expect(try run(cli, other, ["project", "import", file.path]).status == 0)
        #expect(try run(cli, other, ["project", "list", "--json"]).stdout == json)
        #expect(try run(cli, db, ["project", "delete", project]).status != 0)
        #expect(try run(cli, db, ["project", "delete", project, "--with-items"]).status == 0)
        #expect(try run(cli, db, ["ls"]).stdout.isEmpty)
    }

    @Test func theSyncWritesIntoSODARsTableWithPathsFromTheConfig() throws {
        let dir = try CLI()
        defer { dir.cleanUp() }
        let tree = dir.dir.appendingPathComponent("projects/\(TestDatabase.liver)/sample_data")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try Data(repeating: 7, count: 1234).write(to: tree.appendingPathComponent("a.bam"))
        let script = dir.dir.appendingPathComponent("stats.sh")
        try Data("#!/bin/sh\nprintf '{\"project\": \"%s\", \"path\": \"%s\"}' \"$1\" \"$2\"\n".utf8).write(to: script)
        chmod(script.path, 0o755)
        let cli = try CLI(extraConfig: """
            [apps.irodsstats]
            command = ["\(script.path)", "{project_uuid}", "{project_path}"]
            item = "irods/stats"

            [project_paths]
            template = "\(dir.dir.path)/projects/{project_uuid}"
            """)
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let sync = try run(cli, db, ["synccache", "-p", TestDatabase.category])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stderr.contains("Limiting sync to category \"Cancer\""))
        let stats = try run(cli, db, ["get", "filestats", "stats/summary", "-p", TestDatabase.liver, "--compact"]).stdout
        #expect(stats.contains("\"total_size\": 1234"))
        let irods = try run(cli, db, ["get", "irodsstats", "irods/stats", "-p", TestDatabase.liver, "--compact"]).stdout
        #expect(irods.contains("\(dir.dir.path)/projects/\(TestDatabase.liver)"))
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem WHERE project_id = 1") == "0")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["SODARCACHE_TEST_POOLED"] != "1")) func thePasswordNeverReachesTheScreen() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let server = try #require(TestDatabase.server)
        let uri = TestDatabase.uri(server, database: "postgres")
            .replacingOccurrences(of: "postgresql:///", with: "postgresql://sodarcache_pw:Sup3rS3cret@/")
            .replacingOccurrences(of: "user=postgres", with: "user=sodarcache_pw")
        _ = try? TestDatabase.psql(server, "CREATE ROLE sodarcache_pw LOGIN PASSWORD 'right-one'")
        for args in [["ls"], ["ls", "--verbose"], ["get", "a", "b"], ["synccache"]] {
            let result = try CLI.run(args + ["--db", uri, "--config", cli.config])
            #expect(result.status != 0)
            #expect(!result.stderr.contains("Sup3rS3cret") && !result.stdout.contains("Sup3rS3cret"), "\(args)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(args): \(result.stderr)")
        }
        let env = try CLI.run(["ls", "--db", uri.replacingOccurrences(of: ":Sup3rS3cret", with: ""), "--config", cli.config], env: ["PGPASSWORD": "Sup3rS3cret"])
        #expect(env.stderr.contains("password authentication failed"))
        #expect(!env.stderr.contains("Sup3rS3cret"))
    }

    /// A login role of its own on `db` that may read every table and use every sequence, with
    /// `grants` (each `%@` the role) besides; its URI.
    static func role(in db: TestDatabase, _ prefix: String, _ grants: String) throws -> (role: String, uri: String) {
        let role = prefix + UUID().uuidString.prefix(8).lowercased()
        try db.sql(
            """
            CREATE ROLE \(role) LOGIN;
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role);
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(role);
            \(grants.replacingOccurrences(of: "%@", with: role))
            """)
        return (role, db.uri.replacingOccurrences(of: "user=postgres", with: "user=\(role)"))
    }

    static func drop(_ role: String, in db: TestDatabase) {
        _ = try? db.sql("DROP OWNED BY \(role)")
        _ = try? TestDatabase.psql(TestDatabase.server ?? "", "DROP ROLE IF EXISTS \(role)")
    }

    /// On sodarcache's own schema a role that may delete items but not keep them in the trash is
    /// told so, with the GRANT, before anything is deleted; `--no-trash` deletes.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SODARCACHE_TEST_POOLED"] != "1")) func aRoleWithoutTheTrashsGrantIsToldBeforeItDeletes() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase()
        #expect(try run(cli, db, ["set", "samplesheets", "a", "--data", "[1]"]).status == 0)
        let (role, uri) = try Self.role(
            in: db, "sc_cli_notrash_",
            """
            GRANT DELETE ON sodarcache_item, sodarcache_trash_entry, sodarcache_trash_item, sodarcache_audit_log TO %@;
            GRANT UPDATE ON sodarcache_totals, sodarcache_project_totals, sodarcache_trash_entry TO %@;
            GRANT INSERT ON sodarcache_trash_entry, sodarcache_audit_log TO %@;
            """)
        defer { Self.drop(role, in: db) }
        let refused = try CLI.run(["delete", "samplesheets", "a", "--db", uri, "--config", cli.config])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.hasPrefix(
                "Error: `delete` deletes, and this session may not: role \(role) has no INSERT on public.sodarcache_trash_item; "
                    + "no INSERT, DELETE on public.sodarcache_trash_mark (GRANT INSERT ON public.sodarcache_trash_item TO \"\(role)\"; "
                    + "GRANT INSERT, DELETE ON public.sodarcache_trash_mark TO \"\(role)\"; "
                    + "the trash keeps every delete; or delete with --no-trash)"),
            "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try db.sql("SELECT count(*) FROM sodarcache_item") == "1")
        let hard = try CLI.run(["--no-trash", "delete", "samplesheets", "a", "--db", uri, "--config", cli.config])
        #expect(hard.status == 0, "\(hard.stderr)")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_item") == "0")
    }

    /// A role that may write items but not projects is told so, with the GRANT, before
    /// `project add` or `project import` changes anything; its item writes still work.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SODARCACHE_TEST_POOLED"] != "1")) func aRoleWithoutTheProjectTablesGrantIsToldBeforeItAddsOne() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase()
        let (role, uri) = try Self.role(
            in: db, "sc_cli_noproj_",
            """
            GRANT INSERT, UPDATE, DELETE ON sodarcache_item, sodarcache_item_version, sodarcache_audit_log,
                sodarcache_trash_entry, sodarcache_trash_item TO %@;
            GRANT INSERT, UPDATE ON sodarcache_totals, sodarcache_project_totals TO %@;
            """)
        defer { Self.drop(role, in: db) }
        let refused = try CLI.run(["project", "add", "Cancer", "--db", uri, "--config", cli.config])
        #expect(refused.status == 1)
        #expect(
            refused.stderr == "Error: `project add` writes, and this session may not: role \(role) has no INSERT, UPDATE, DELETE on "
                + "public.sodarcache_project (GRANT INSERT, UPDATE, DELETE ON public.sodarcache_project TO \"\(role)\"); nothing was changed\n",
            "\(refused.stderr)")
        let list = cli.dir.appendingPathComponent("projects.json")
        try Data(#"[{"sodar_uuid": "0e000000-0000-4000-8000-000000000001", "title": "Cancer", "type": "CATEGORY"}]"#.utf8).write(to: list)
        let imported = try CLI.run(["project", "import", list.path, "--db", uri, "--config", cli.config])
        #expect(imported.status == 1 && imported.stderr.contains("`project import` writes, and this session may not"), "\(imported.stderr)")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_project") == "0")
        // Items: the role may write them.
        #expect(try CLI.run(["set", "samplesheets", "a", "--data", "[1]", "--db", uri, "--config", cli.config]).status == 0)
    }

    /// SODAR's constraint lets two site-wide items of one name exist: --uuid reaches each.
    @Test func getDeleteAndUpdateTimeReachEachOfTwoSiteWideItemsOfOneNameByUUID() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let first = "0d000000-0000-4000-8000-000000000001", second = "0d000000-0000-4000-8000-000000000002"
        try db.sql(
            """
            INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data) VALUES
                ('samplesheets', 'site/x', '2026-01-01T00:00:00Z', '\(first)', '{"n": 1}'),
                ('samplesheets', 'site/x', '2026-02-01T00:00:00Z', '\(second)', '{"n": 2}')
            """)
        #expect(try run(cli, db, ["get", "--uuid", second, "--compact"]).stdout == "{\"n\": 2}\n")
        #expect(try run(cli, db, ["get", "--uuid", first, "--compact"]).stdout == "{\"n\": 1}\n")
        #expect(try run(cli, db, ["update-time", "--uuid", second]).stdout == "1769904000.000000\n")
        #expect(try run(cli, db, ["delete", "--uuid", first]).status == 0)
        #expect(try db.sql("SELECT string_agg(sodar_uuid::text, ',') FROM sodarcache_jsoncacheitem") == second)
        // Either the UUID or APP NAME; a UUID that names nothing says so.
        let both = try run(cli, db, ["get", "samplesheets", "site/x", "--uuid", second])
        #expect(both.status == 64 && both.stderr.contains("either --uuid or APP NAME"), "\(both.stderr)")
        let missing = try run(cli, db, ["get", "--uuid", first])
        #expect(missing.status == 1 && missing.stderr == "Error: No cached item with UUID \(first)\n", "\(missing.stderr)")
        let bad = try run(cli, db, ["get", "--uuid", "nope"])
        #expect(bad.status != 0 && bad.stderr.contains("nope"))
    }

    /// A category keeps SODAR's meaning on the command line (its own items); --subtree takes
    /// every project beneath it, and a dry run without it says what lies beneath.
    @Test func deletecacheOnACategoryTakesItsOwnItemsUnlessToldSubtree() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try db.sql(
            """
            INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id) VALUES
                ('samplesheets', 'own', now(), gen_random_uuid(), '{}', 1),
                ('samplesheets', 'a', now(), gen_random_uuid(), '{}', 2),
                ('samplesheets', 'b', now(), gen_random_uuid(), '{}', 2)
            """)
        let category = TestDatabase.category
        let dry = try run(cli, db, ["deletecache", "-p", category, "--dry-run"])
        #expect(dry.stdout.split(separator: "\n").count == 1 && dry.stdout.contains("own"), "\(dry.stdout)")
        #expect(dry.stderr.contains("2 more item(s) lie in 1 project(s) beneath category \"Cancer\": --subtree takes them too"), "\(dry.stderr)")
        #expect(try run(cli, db, ["ls", "-p", category]).stdout.split(separator: "\n").count == 1)
        #expect(try run(cli, db, ["ls", "-p", category, "--subtree"]).stdout.split(separator: "\n").count == 3)
        let deleted = try run(cli, db, ["deletecache", "-p", category, "--subtree"])
        #expect(deleted.status == 0 && deleted.stderr.contains("Deleted 3 cached data item(s) from category \"Cancer\""), "\(deleted.stderr)")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "0")
    }

    /// A read that a lock holds past the timeout says it was a read (and the session's own
    /// lock timeout held, whatever the URI's options= said).
    @Test func aReadBlockedByALockSaysRead() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let holder = try TestDatabase.background(
            db.uri, "BEGIN; LOCK TABLE sodarcache_jsoncacheitem IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30);")
        defer { holder.terminate() }
        try waitUntil(timeout: 10) {
            try db.sql("SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND granted AND relation = 'sodarcache_jsoncacheitem'::regclass") != "0"
        }
        let uri = db.uri + "&options=" + "-c lock_timeout=0".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let started = Date()
        let ls = try CLI.run(["ls", "--db", uri, "--config", cli.config])
        #expect(ls.status == 1)
        #expect(ls.stderr.contains("lock this read needs"), "\(ls.stderr)")
        #expect(ls.stderr.split(separator: "\n").count == 1)
        #expect(Date().timeIntervalSince(started) < 25)
    }

    /// Only init creates a store, only migrate upgrades one, remove-store drops only ours; a read
    /// of an empty database writes nothing and says to run init.
    @Test func initMigrateAndRemoveStoreAreTheOnlySchemaChanges() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(empty: true)
        for args in [["ls"], ["get", "samplesheets", "x"], ["project", "list"], ["set", "samplesheets", "x", "--data", "{}"]] {
            let refused = try run(cli, db, args)
            #expect(refused.status == 1, "\(args)")
            #expect(refused.stderr.contains("holds no tables: create a store there with `sodarcache init`"), "\(args): \(refused.stderr)")
        }
        #expect(try db.sql("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'") == "0")
        #expect(try run(cli, db, ["--read-only", "init"]).stderr.contains("--read-only refuses every write"))
        let made = try run(cli, db, ["init"])
        #expect(made.status == 0 && made.stdout.contains("Created a sodarcache store (schema v"), "\(made.stderr)")
        #expect(try run(cli, db, ["init"]).stderr.contains("is not empty"))
        #expect(try run(cli, db, ["migrate"]).stdout.contains("already: nothing to do"))
        #expect(try run(cli, db, ["set", "samplesheets", "x", "--data", "{}"]).status == 0)
        let asked = try run(cli, db, ["remove-store"])
        #expect(asked.status == 64 && asked.stdout.contains("table public.sodarcache_item"), "\(asked.stderr)")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_item") == "1")
        let removed = try run(cli, db, ["remove-store", "--yes"])
        #expect(removed.status == 0 && removed.stdout.contains("Dropped"), "\(removed.stderr)")
        #expect(try db.sql("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'") == "0")
    }
}
