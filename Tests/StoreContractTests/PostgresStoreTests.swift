import Foundation
import Logging
import PostgresDriver
import SodarCache
@testable import SodarCachePostgres
import Testing

/// What only the PostgreSQL engine has: connecting, recognising a database, a SODAR site's
/// own semantics, and losing the server.
@Suite(.enabled(if: TestServer.uri != nil)) struct PostgresStoreTests {
    let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func open(_ uri: String, readOnly: Bool = false) throws -> PostgresCacheStore {
        try PostgresCacheStore(location: PostgresLocation(uri)!, registeredApps: ContractStore.apps, readOnly: readOnly, logger: quiet)
    }

    func oneLine(_ error: CacheError?) -> Bool {
        guard let text = error?.description else { return false }
        return !text.contains("\n") && !text.isEmpty
    }

    @Test func aPooledConnectionIsToldFromADirectOneWithoutAnySetting() throws {
        let fixture = try ContractStore(.postgres)
        let store = try #require(fixture.store as? PostgresCacheStore)
        #expect(store.route == (TestServer.pooled ? .pooled : .direct))
        // Forced either way by the config; a pooled route works on a direct connection too.
        var settings = PostgresCacheStore.Settings()
        settings.route = .pooled
        let database = try fixture.sql("SELECT current_database()").string(0, 0) ?? ""
        let forced = try PostgresCacheStore(
            location: PostgresLocation(TestServer.uri(database: database))!, registeredApps: ContractStore.apps, settings: settings,
            logger: quiet)
        #expect(forced.route == .pooled)
        try forced.setCacheItem(appName: "timeline", name: "pooled", data: json("[1]"))
        #expect(try store.getCacheItem(appName: "timeline", name: "pooled", project: nil).map { text($0.data) } == "[1]")
    }

    /// Passwords libpq accepts unencoded (`#`, `?`), encoded ones, and a percent-encoded key:
    /// libpq's own parser finds each, so neither the shown form nor a scrubbed message holds it.
    @Test(arguments: [
        ("postgresql://sodar:se#cr?et@db.example.org/sodar", "se#cr?et"),
        ("postgresql://sodar@db.example.org/sodar?password=a%23b%3Fc%2F%40d", "a#b?c/@d"),
        ("postgresql://sodar@db.example.org/sodar?pass%77ord=hunter22&sslmode=require", "hunter22"),
        ("postgresql://sodar:100%25sure@db.example.org/sodar", "100%sure"),
        ("postgresql:///sodar?host=/run/postgresql&user=sodar&password=p@ss/w%3Frd", "p@ss/w?rd"),
    ])
    func aPasswordOfAnyCharactersNeverShows(uri: String, password: String) throws {
        let location = try #require(PostgresLocation(uri))
        #expect(location.malformed == nil)
        #expect(location.parsedPassword == password)
        #expect(!location.description.contains(password))
        #expect(!location.description.lowercased().contains("password"))
        let message = "could not connect with \(uri) (password \(password))"
        #expect(!location.scrub(message).contains(password), "\(location.scrub(message))")
        // The written form too (`%23` for `#`).
        let written = uri.components(separatedBy: CharacterSet(charactersIn: ":=@")).first { $0.removingPercentEncoding == password } ?? password
        #expect(!location.scrub("token \(written)").contains(written))
    }

    @Test func aMalformedURIIsShownWithoutAnyOfItsText() throws {
        let location = try #require(PostgresLocation("postgresql://sodar:s3cr%zzet@db/sodar"))
        #expect(location.malformed != nil)
        #expect(!(location.malformed ?? "").contains("s3cr"))
        #expect(!location.description.contains("s3cr"))
    }

    @Test func locationsNeverShowThePassword() {
        let location = PostgresLocation("postgresql://sodar:s3cret@db.example.org:5433/sodar?sslmode=require&password=other")!
        #expect(location.description == "postgresql://sodar@db.example.org:5433/sodar?sslmode=require")
        #expect(PostgresLocation("postgres:///sodar?host=/var/run/postgresql")!.description == "postgresql:///sodar?host=/var/run/postgresql")
        #expect(PostgresLocation("/tmp/cache.sqlite3") == nil)
    }

    @Test(.enabled(if: !TestServer.pooled)) func connectionFailuresAreOneLineAndKeepThePasswordSecret() throws {
        let unreachable = #expect(throws: CacheError.self) { try open("postgresql:///postgres?host=/nonexistent-dir&connect_timeout=2") }
        #expect(oneLine(unreachable))
        #expect(unreachable?.description.contains("Cannot reach store") == true)
        let missing = #expect(throws: CacheError.self) { try open(TestServer.uri(database: "no_such_database")) }
        #expect(missing?.description.contains("no_such_database") == true)
        #expect(missing?.description.contains("does not exist") == true)
        // A role that must give a password (see scripts/pg-cluster.sh), given a wrong one.
        let admin = try TestServer.admin()
        _ = try? admin.execute("CREATE ROLE sodarcache_pw LOGIN PASSWORD 'right-one'")
        let base = TestServer.uri(database: "postgres").replacingOccurrences(of: "user=postgres", with: "user=sodarcache_pw")
        let wrong = #expect(throws: CacheError.self) { try open(base + "&password=hunter2-wrong") }
        #expect(oneLine(wrong))
        #expect(wrong?.description.contains("password authentication failed") == true)
        #expect(wrong?.description.contains("hunter2-wrong") == false)
        let inURI = base.replacingOccurrences(of: "postgresql:///", with: "postgresql://sodarcache_pw:hunter2-wrong@/")
        let wrongInURI = #expect(throws: CacheError.self) { try open(inURI) }
        #expect(wrongInURI?.description.contains("hunter2") == false)
    }

    @Test(arguments: [
        "postgresql://u:50%zzSecretPw@/db?host=/nonexistent", "postgresql://u:SecretPw@[::1/db",
        "postgresql:///db?host=/nonexistent&password=SecretPw&port=x", "postgres://u:Secret%50w@/db?host=/nonexistent&x",
    ])
    func aMalformedURIsErrorNeverQuotesThePassword(uri: String) throws {
        let error = #expect(throws: CacheError.self) { try open(uri) }
        #expect(oneLine(error))
        #expect(error?.description.contains("Secret") == false, "\(error?.description ?? "")")
    }

    @Test func aDatabaseOfNeitherKindOrAnUnknownSODARSchemaIsRefusedByName() throws {
        let name = try TestServer.createDatabase()
        defer { TestServer.drop(name) }
        let connection = try PGConnection(uri: TestServer.uri(database: name), settings: [])
        try connection.execute("CREATE TABLE unrelated (id integer)")
        let neither = #expect(throws: CacheError.self) { try open(TestServer.uri(database: name)) }
        #expect(neither?.description.contains("neither a SODAR site's database") == true)
        #expect(oneLine(neither))
        // SODAR's tables, but one column this build reads is missing.
        try connection.execute(TestServer.sodarSchema)
        try connection.execute("ALTER TABLE sodarcache_jsoncacheitem DROP COLUMN date_modified")
        let unknown = #expect(throws: CacheError.self) { try open(TestServer.uri(database: name)) }
        #expect(unknown?.description.contains("sodarcache_jsoncacheitem has no column date_modified") == true)
        #expect(try connection.query("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'sodarcache\\_%' AND table_name <> 'sodarcache_jsoncacheitem'").int(0, 0) == 0)
    }

    @Test func aSODARDatabaseKeepsItsSchemaAndSODARsSemantics() throws {
        let fixture = try ContractStore(.sodar)
        func schema() throws -> [String] {
            let result = try fixture.sql(
                """
                SELECT 'c:' || table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'
                UNION ALL SELECT 'i:' || indexname FROM pg_indexes WHERE schemaname = 'public'
                UNION ALL SELECT 't:' || tgname FROM pg_trigger WHERE NOT tgisinternal
                UNION ALL SELECT 'f:' || proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
                ORDER BY 1
                """)
            return (0..<result.rowCount).compactMap { result.string($0, 0) }
        }
        let before = try schema()
        let store = fixture.store
        let project = try fixture.makeTestProject()
        let user = try fixture.makeUser("jdoe")
        try store.setCacheItem(appName: "timeline", name: "x", data: json(#"{"b": 1, "a": 2}"#), project: project.uuid, user: user)
        try store.setCacheItem(appName: "timeline", name: "x", data: json(#"{"b": 3}"#), project: project.uuid)
        // As SODAR stores it: jsonb, the user by id, date_modified set on this write.
        let row = try fixture.sql(
            """
            SELECT i.data::text, u.username, extract(epoch from i.date_modified)::text FROM sodarcache_jsoncacheitem i
            JOIN users_user u ON u.id = i.user_id
            """)
        #expect(row.rowCount == 1)
        #expect(row.string(0, 0) == #"{"b": 3}"#)
        #expect(row.string(0, 1) == "jdoe")
        #expect(row.double(0, 2) == (try store.getUpdateTime(appName: "timeline", name: "x", project: project.uuid)))
        // An unknown user: one line, nothing written.
        let unknown = #expect(throws: CacheError.self) {
            try store.setCacheItem(appName: "timeline", name: "y", data: json("{}"), project: project.uuid, user: User(username: "nobody"))
        }
        #expect(unknown?.description.contains("nobody") == true)
        #expect(try store.totals().items == 1)
        // Two site-wide rows of one name, as SODAR's NULL-distinct constraint lets through:
        // reads see the first, as SODAR's do; a write updates that one, as SODAR's does, and
        // never deletes the other (SODAR wrote it; the doctor reports it).
        for value in ["1", "2"] {
            try fixture.sql(
                """
                INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
                VALUES ('timeline', 'dup', now(), gen_random_uuid(), $1::jsonb, NULL, NULL)
                """, [value])
        }
        #expect(text(try #require(try store.getCacheItem(appName: "timeline", name: "dup", project: nil)).data) == "1")
        try store.setCacheItem(appName: "timeline", name: "dup", data: json("3"), project: nil)
        let rows = try fixture.sql("SELECT data::text FROM sodarcache_jsoncacheitem WHERE name = 'dup' ORDER BY id")
        #expect((0..<rows.rowCount).map { rows.string($0, 0) } == ["3", "2"])
        #expect(text(try #require(try store.getCacheItem(appName: "timeline", name: "dup", project: nil)).data) == "3")
        try store.deleteCache(appName: nil, project: nil)
        #expect(try schema() == before)
    }

    @Test(.enabled(if: !TestServer.pooled)) func aSelectOnlyRoleBrowsesAndItsWritesFailInOneLine() throws {
        let fixture = try ContractStore(.sodar)
        let project = try fixture.makeTestProject()
        try fixture.store.setCacheItem(appName: "timeline", name: "x", data: json("{}"), project: project.uuid)
        let role = "sodarcache_reader_" + UUID().uuidString.prefix(8).lowercased()
        try fixture.sql("CREATE ROLE \(role) LOGIN")
        try fixture.sql("GRANT SELECT ON sodarcache_jsoncacheitem, projectroles_project, users_user TO \(role)")
        defer { _ = try? fixture.sql("DROP OWNED BY \(role)"); _ = try? TestServer.admin().execute("DROP ROLE IF EXISTS \(role)") }
        let database = try fixture.sql("SELECT current_database()").string(0, 0) ?? ""
        let reader = try open(TestServer.uri(database: database).replacingOccurrences(of: "user=postgres", with: "user=\(role)"))
        #expect(try reader.getCacheItem(appName: "timeline", name: "x", project: project.uuid) != nil)
        #expect(try reader.projectPage(after: nil, limit: 10, filter: nil).count == 2)
        let write = #expect(throws: CacheError.self) {
            try reader.setCacheItem(appName: "timeline", name: "y", data: json("{}"), project: project.uuid)
        }
        #expect(oneLine(write))
        #expect(write?.description.contains("permission denied") == true)
        // Vacuum is the owner's: said in one line, not skipped with a warning.
        let vacuum = #expect(throws: CacheError.self) { try reader.reclaimSpace() }
        #expect(vacuum?.description.contains("only the owner of public.sodarcache_jsoncacheitem") == true)
    }

    @Test(.enabled(if: !TestServer.pooled)) func aLostConnectionFailsTheUnitInFlightAndTheNextCallReconnects() throws {
        let fixture = try ContractStore(.postgres)
        let store = fixture.store
        try store.setCacheItem(appName: "timeline", name: "before", data: json("{}"))
        // Only this test's sessions: the server is shared with tests running alongside.
        try fixture.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sodarcache' AND datname = current_database()")
        let lost = #expect(throws: CacheError.self) {
            try store.setCacheItems([
                CacheWrite(appName: "timeline", name: "a", data: json("{}")),
                CacheWrite(appName: "timeline", name: "b", data: json("{}")),
            ])
        }
        #expect(oneLine(lost))
        #expect(lost?.description.contains("connection lost") == true)
        try store.setCacheItems([CacheWrite(appName: "timeline", name: "a", data: json("{}"))])
        #expect(try store.totals().items == 2)
        #expect(try store.getCacheItem(appName: "timeline", name: "b", project: nil) == nil)
    }

    @Test func twoProcessesInitialisingOneStoreAtOnceMakeOneStore() throws {
        let name = try TestServer.createDatabase()
        defer { TestServer.drop(name) }
        let uri = TestServer.uri(database: name)
        let errors = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do { _ = try PostgresCacheStore.initialize(location: PostgresLocation(uri)!) } catch { errors.withLock { $0.append("\(error)") } }
        }
        // One creates it; the others wait for it and then find the database not empty.
        #expect(errors.withLock { $0 }.count == 5)
        #expect(errors.withLock { $0 }.allSatisfy { $0.contains("is not empty") })
        #expect(try open(uri).layout == .sodarcache)
    }

    @Test func theTrashsItemsGoWithTheirEntryWhenPurgedAndAnEmptyDeleteKeepsNoEntry() throws {
        let name = try TestServer.createDatabase()
        defer { TestServer.drop(name) }
        let uri = TestServer.uri(database: name)
        _ = try PostgresCacheStore.initialize(location: PostgresLocation(uri)!)
        let store = try open(uri)
        let raw = try PGConnection(uri: uri)
        func count(_ table: String) throws -> Int? { try raw.query("SELECT count(*) FROM \(table)").int(0, 0) }
        try store.setCacheItems((0..<20).map { CacheWrite(appName: "timeline", name: "i\($0)", data: Data("[\($0)]".utf8), project: nil) })
        #expect(try store.deleteCache(appName: "timeline", project: nil) == 20)
        // v9 counts in the trigger: the entry says what its items are.
        let entry = try #require(try store.trash?.trashEntries(limit: 1).first)
        #expect(entry.items == 20)
        // v10 marks them where they are: no copy, and the live view shows none.
        #expect(try count("sodarcache_trash_mark WHERE item_id <> 0") == 20)
        #expect(try count("sodarcache_trash_item") == 0)
        #expect(try count("sodarcache_trash_row") == 20)
        #expect(try count("sodarcache_item") == 20)
        #expect(try count("sodarcache_item_live") == 0)
        #expect(try store.deleteCache(appName: "samplesheets", project: nil) == 0)
        #expect(try count("sodarcache_trash_entry") == 1)
        // No foreign key cascades since v9: the purge takes the items itself.
        let purged = try #require(store.trash).purgeTrash(before: nil)
        #expect(purged == (1, 20))
        #expect(try count("sodarcache_trash_item") == 0)
        #expect(try count("sodarcache_trash_mark WHERE item_id <> 0") == 0)
        #expect(try count("sodarcache_item") == 0)
        #expect(try store.totals().items == 0)
        #expect(try count("sodarcache_trash_entry") == 0)
    }
}
