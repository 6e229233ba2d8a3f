import Foundation
import Testing

/// A SODAR site's local store (its trash and audit trail, on this host) is written by changes
/// only: a command that reads neither creates it nor upgrades an older one.
@Suite(.enabled(if: TestDatabase.available)) struct SiteLocalStoreReadTests {
    /// Every command that only reads, as an admin or a cron job runs it on a site.
    static let reads: [[String]] = [
        ["trash"], ["trash", "list", "--json"], ["trash", "show", "1"], ["log"], ["log", "--json", "--since", "7d"],
        ["metrics"], ["metrics", "--no-doctor"], ["doctor"], ["doctor", "--json"],
        ["history", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver], ["ls"],
        ["get", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver],
        ["--read-only", "trash"], ["--read-only", "log"],
        // Refused before anything is opened for writing.
        ["--read-only", "delete", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver],
        ["--read-only", "deletecache", "-p", TestDatabase.liver],
    ]

    static func run(_ cli: CLI, _ db: TestDatabase, _ args: [String], dataHome: String) throws -> CLI.Result {
        try CLI.run(args + ["--db", db.uri, "--config", cli.config], env: ["XDG_DATA_HOME": dataHome])
    }

    static func sodarWrites(_ db: TestDatabase, name: String) throws {
        try db.sql("""
            INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)
            VALUES ('samplesheets', '\(name)', now(), gen_random_uuid(), '{"n": 1}'::jsonb, 2, 1)
            """)
    }

    /// Every file under `folder`, recursively.
    static func files(_ folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func readsOnASiteWithNoLocalStoreCreateNothing() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1")
        let home = cli.dir.appendingPathComponent("data").path
        for args in Self.reads {
            let result = try Self.run(cli, db, args, dataHome: home)
            #expect(Self.files(home).isEmpty, "\(args.joined(separator: " ")) left \(Self.files(home)) (\(result.stderr))")
        }
        // What a read says when nothing was kept yet.
        #expect(try Self.run(cli, db, ["trash"], dataHome: home).stderr == "The trash is empty\n")
        #expect(try Self.run(cli, db, ["log"], dataHome: home).stderr == "No entries\n")
        let show = try Self.run(cli, db, ["trash", "show", "1"], dataHome: home)
        #expect(show.status == 1 && show.stderr == "Error: No delete 1 in the trash (sodarcache trash lists them)\n")
        #expect(try Self.run(cli, db, ["metrics", "--no-doctor"], dataHome: home).status == 0)
        // The first change makes it, with what it deleted and the audit entry.
        #expect(try Self.run(cli, db, ["delete", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver], dataHome: home).status == 0)
        #expect(Self.files(home).contains { $0.hasPrefix("sodarcache/sites/") && $0.hasSuffix(".sqlite3") })
        #expect(try Self.run(cli, db, ["trash"], dataHome: home).stdout.contains("\tdelete\t1\t"))
        #expect(try Self.run(cli, db, ["log"], dataHome: home).stdout.contains("\tdelete\t"))
    }

    @Test func readsLeaveAnOlderLocalStoreByteForByteAsItWas() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1")
        try Self.sodarWrites(db, name: "irods/rows/b2")
        let home = cli.dir.appendingPathComponent("data").path
        #expect(try Self.run(cli, db, ["delete", "samplesheets", "irods/rows/b2", "-p", TestDatabase.liver], dataHome: home).status == 0)
        let name = try #require(Self.files(home).first { $0.hasSuffix(".sqlite3") })
        let path = home + "/" + name
        // As a sodarcache before the audit trail (schema v7) left it.
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [path, "DROP TABLE audit_log; DELETE FROM grdb_migrations WHERE identifier = 'v8';"]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for args in Self.reads {
            let result = try Self.run(cli, db, args, dataHome: home)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(args.joined(separator: " ")) changed it (\(result.stderr))")
        }
        // It reads what it has: the trash (v6) is there, the audit trail (v8) not yet.
        let trash = try Self.run(cli, db, ["trash"], dataHome: home)
        #expect(trash.stdout.contains("\tdelete\t1\t"), "\(trash.stderr)")
        #expect(trash.stderr.contains("older schema") && trash.stderr.contains("the next write through it upgrades it"), "\(trash.stderr)")
        #expect(try Self.run(cli, db, ["log"], dataHome: home).stderr.hasSuffix("No entries\n"))
        // A change upgrades it, and records itself.
        #expect(try Self.run(cli, db, ["delete", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver], dataHome: home).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) != before)
        #expect(try Self.run(cli, db, ["log"], dataHome: home).stdout.contains("\tdelete\t"))
    }

    @Test func theBrowserOpeningOnASiteCreatesNoLocalStore() throws {
        let local = NSTemporaryDirectory() + "sodarcache-site-local-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: local) }
        let cli = try CLI(apps: ["samplesheets"], extraConfig: "[trash]\nlocal_store = \"\(local)\"\n")
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1")
        for extra in ["--read-only", ""] {
            let tmux = try Tmux(binary: "browse --db '\(db.uri)' --config '\(cli.config)' \(extra)")
            try tmux.descend(from: "Liver", through: "samplesheets")
            try tmux.quit()
            #expect(Self.files(local).isEmpty, "browse \(extra) created \(Self.files(local)) in \(local)")
        }
    }

    /// `[trash] local_store` names a folder: two sites a config reaches (two profiles, say)
    /// each get a file of their own there, so one site's trash never lists, restores or
    /// settles the other's deletes.
    @Test func oneLocalStoreFolderKeepsEachSitesTrashApart() throws {
        let local = NSTemporaryDirectory() + "sodarcache-site-shared-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: local) }
        let cli = try CLI(apps: ["samplesheets"], extraConfig: "[trash]\nlocal_store = \"\(local)\"\n")
        defer { cli.cleanUp() }
        let prod = try TestDatabase(sodar: true), staging = try TestDatabase(sodar: true)
        try Self.sodarWrites(prod, name: "irods/rows/a1")
        try Self.sodarWrites(staging, name: "irods/rows/a1")
        let home = cli.dir.appendingPathComponent("data").path
        #expect(try Self.run(cli, prod, ["delete", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver], dataHome: home).status == 0)
        #expect(Self.files(local).filter { $0.hasSuffix(".sqlite3") }.count == 1)
        #expect(try Self.run(cli, prod, ["trash"], dataHome: home).stdout.contains("\tdelete\t1\t"))
        #expect(try Self.run(cli, staging, ["trash"], dataHome: home).stderr == "The trash is empty\n")
        let restore = try Self.run(cli, staging, ["trash", "restore", "--last"], dataHome: home)
        #expect(restore.status != 0, "\(restore.stdout)\(restore.stderr)")
        #expect(try staging.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "1")
        #expect(try Self.run(cli, staging, ["delete", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver], dataHome: home).status == 0)
        #expect(Self.files(local).filter { $0.hasSuffix(".sqlite3") }.count == 2)
        #expect(try Self.run(cli, prod, ["trash", "restore", "--last"], dataHome: home).status == 0)
        #expect(try prod.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "1")
        #expect(try staging.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "0")
    }

    /// A `local_store` that is a file (a path to a SQLite file, as it was read once) is refused
    /// in one line before the site is touched.
    @Test func aLocalStoreThatIsAFileIsRefusedBeforeTheSiteIsTouched() throws {
        let file = NSTemporaryDirectory() + "sodarcache-site-file-\(UUID().uuidString).sqlite3"
        try Data("kept".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let cli = try CLI(apps: ["samplesheets"], extraConfig: "[trash]\nlocal_store = \"\(file)\"\n")
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try Self.sodarWrites(db, name: "irods/rows/a1")
        let refused = try Self.run(cli, db, ["delete", "samplesheets", "irods/rows/a1", "-p", TestDatabase.liver], dataHome: cli.dir.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("[trash] local_store names a folder (one file per SODAR site in it), and this is a file"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(try db.sql("SELECT count(*) FROM sodarcache_jsoncacheitem") == "1")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == Data("kept".utf8))
    }
}
