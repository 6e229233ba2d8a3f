import Foundation
import SodarCache
import Testing

@testable import SodarCacheSync

/// Issue 21: named stores (`[profiles.NAME]`) and a config that holds a password.
@Suite("Config profiles")
struct ProfileConfigTests {
    static let sites = """
        [apps.samplesheets]
        title = "Sample sheets"

        [apps.irodsstats]
        command = ["/opt/site/bin/irods-stats"]
        timeout = 60

        [postgres]
        user_table = "users_user"
        read_timeout = 30

        [project_paths]
        template = "/data/{project_uuid}"

        [trash]
        keep = "30d"

        [profiles.prod]
        db = "postgresql://sodarcache_ro@db.example.org/sodar"
        title = "Production"
        read_only = true
        confirm = true
        color = "red"

        [profiles.prod.apps.irodsstats]
        command = ["/srv/prod/irods-stats", "{project_uuid}"]
        timeout = 900

        [profiles.prod.apps.landingzones]
        title = "Landing zones"

        [profiles.prod.postgres]
        user_table = "auth_user"

        [profiles.prod.project_paths]
        template = "/sodarZone/{project_uuid_prefix}/{project_uuid}"

        [profiles.test]
        db = "/srv/sodarcache/test.sqlite3"
        """

    @Test("profiles are read with every key, sorted by name; without a title the name shows")
    func profilesRead() throws {
        let config = try SodarConfig.parse(Self.sites, file: "config.toml")
        #expect(config.profiles.map(\.name) == ["prod", "test"])
        let prod = try #require(config.profile(named: "prod"))
        #expect(prod.db == "postgresql://sodarcache_ro@db.example.org/sodar")
        #expect(prod.shownName == "Production")
        #expect(prod.readOnly && prod.confirm)
        #expect(prod.color == "red")
        let test = try #require(config.profile(named: "test"))
        #expect(test.shownName == "test")
        #expect(!test.readOnly && !test.confirm && test.color == nil)
        #expect(config.profile(named: "staging") == nil)
        // The top level is untouched until a profile is applied.
        #expect(config.activeProfile == nil)
        #expect(config.apps.map(\.name) == ["irodsstats", "samplesheets"])
        #expect(config.postgres.userTable == "users_user")
    }

    @Test("a profile's app replaces the top-level app of its name whole; the others stay")
    func appsReplaced() throws {
        let config = try SodarConfig.parse(Self.sites, file: "config.toml")
        let prod = config.applying(try #require(config.profile(named: "prod")))
        #expect(prod.activeProfile?.name == "prod")
        #expect(prod.apps.map(\.name) == ["irodsstats", "landingzones", "samplesheets"])
        let stats = try #require(prod.apps.first { $0.name == "irodsstats" })
        #expect(stats.command == ["/srv/prod/irods-stats", "{project_uuid}"])
        #expect(stats.timeout == 900)
        #expect(prod.apps.first { $0.name == "samplesheets" }?.title == "Sample sheets")
        #expect(PluginRegistry.appNames(config: prod) == ["filestats", "irodsstats", "landingzones", "samplesheets"])
        // The test profile gives no apps: the top level's, as written.
        let test = config.applying(try #require(config.profile(named: "test")))
        #expect(test.apps == config.apps)
    }

    @Test("a profile's site tables replace the top level's whole: keys it omits take their defaults")
    func tablesReplaced() throws {
        let config = try SodarConfig.parse(Self.sites, file: "config.toml")
        let prod = config.applying(try #require(config.profile(named: "prod")))
        #expect(prod.postgres.userTable == "auth_user")
        // read_timeout = 30 is the top level's: the profile's [postgres] does not inherit it.
        #expect(prod.postgres.readTimeout == PostgresSettings().readTimeout)
        #expect(prod.projectPaths.template == "/sodarZone/{project_uuid_prefix}/{project_uuid}")
        // No [profiles.prod.trash]: the top level's holds.
        #expect(prod.trash.policy.keep == 30 * 86400)
        let test = config.applying(try #require(config.profile(named: "test")))
        #expect(test.postgres.readTimeout == 30)
        #expect(test.projectPaths.template == "/data/{project_uuid}")
    }

    @Test("[profiles.NAME.trash] and [profiles.NAME.history] are read under the profile")
    func trashAndHistory() throws {
        let text = """
            [history]
            versions = 5

            [profiles.p]
            db = "/tmp/p.sqlite3"

            [profiles.p.trash]
            enabled = false

            [profiles.p.history]
            versions = 0
            """
        let config = try SodarConfig.parse(text, file: "c.toml")
        let applied = config.applying(try #require(config.profile(named: "p")))
        #expect(!applied.trash.policy.enabled)
        #expect(applied.history.versions == 0)
        #expect(config.history.versions == 5)
    }

    @Test("a bad profile names the file, the line and the key under the profile")
    func errors() throws {
        let cases: [(String, String)] = [
            ("[profiles.p]\ntitle = \"P\"\n", "c.toml:1: profiles.p: a profile names its store: db = "),
            ("[profiles.p]\ndb = \"relative.sqlite3\"\n", #"c.toml:2: profiles.p.db: expected a PostgreSQL URI (postgresql://...) or an absolute path to a SQLite file, got "relative.sqlite3""#),
            ("[profiles.p]\ndb = 5\n", "c.toml:2: profiles.p.db: expected a string, got 5"),
            ("[profiles.p]\ndb = \"/a\"\ncolor = \"pink\"\n", #"c.toml:3: profiles.p.color: expected one of red, green, yellow, blue, magenta, cyan, white, got "pink""#),
            ("[profiles.p]\ndb = \"/a\"\nread_only = \"yes\"\n", #"c.toml:3: profiles.p.read_only: expected true or false, got "yes""#),
            ("[profiles.p]\ndb = \"/a\"\nconfirm = 1\n", "c.toml:3: profiles.p.confirm: expected true or false, got 1"),
            ("[profiles.p]\ndb = \"/a\"\ntitle = \"  \"\n", #"c.toml:3: profiles.p.title: expected a title to show, got "  ""#),
            ("[profiles.p]\ndb = \"/a\"\nreadonly = true\n", "c.toml:3: profiles.p.readonly: unknown key (known: apps, color, confirm, db, history, postgres, project_paths, read_only, title, trash)"),
            ("[profiles.\"prod site\"]\ndb = \"/a\"\n", #"c.toml:1: profiles."prod site": a profile name is ASCII letters, digits, - and _"#),
            ("profiles = 3\n", "c.toml:1: profiles: expected [profiles.NAME] tables, got 3"),
            ("[profiles]\np = \"/a\"\n", #"c.toml:2: profiles.p: expected a table (db = "...", title = "..."), got "/a""#),
            ("[profiles.p]\ndb = \"/a\"\n\n[profiles.p.apps.x]\ncommand = [\"x\"]\ntimeout = \"soon\"\n",
             #"c.toml:6: profiles.p.apps.x.timeout: expected a positive number of seconds, got "soon""#),
            ("[profiles.p]\ndb = \"/a\"\n[profiles.p.apps.filestats]\n", #"c.toml:3: profiles.p.apps.filestats: "filestats" is a built-in app"#),
            ("[profiles.p]\ndb = \"/a\"\n[profiles.p.postgres]\nuser_table = \"Users\"\n",
             #"c.toml:4: profiles.p.postgres.user_table: expected a table name"#),
            ("[profiles.p]\ndb = \"/a\"\n[profiles.p.project_paths]\ntemplate = \"/x/{project_name}\"\n",
             "c.toml:4: profiles.p.project_paths.template: unknown placeholder {project_name}"),
            ("[profiles.p]\ndb = \"/a\"\n[profiles.p.trash]\nkeep = \"soon\"\n", #"c.toml:4: profiles.p.trash.keep: expected a duration"#),
            ("[profiles.p]\ndb = \"/a\"\n[profiles.p.browser]\nmouse = false\n", "c.toml:3: profiles.p.browser: unknown key"),
            ("[profiles.p]\ndb = \"/a\"\n[profiles.p.apps.samplesheets.assayapps]\n",
             "c.toml:3: profiles.p.apps.samplesheets.assayapps: an app name with dots must be quoted"),
        ]
        for (text, prefix) in cases {
            let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
            #expect(error.description.hasPrefix(prefix), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a db that is neither a URI nor a path, and may hold a password, is not quoted back")
    func badDBNotQuoted() throws {
        let error = try #require(throws: SyncError.self) {
            try SodarConfig.parse("[profiles.p]\ndb = \"host=db password=Hunter2\"\n", file: "c.toml")
        }
        #expect(!error.description.contains("Hunter2"))
        #expect(error.description.contains("a value that is neither"))
    }

    @Test(
        "what holds a password: a URI's user information or password parameter, a password= setting",
        arguments: [
            ("postgresql://sodar:s3cret@db/sodar", true),
            ("postgres://sodar:p/w@db/sodar", true),
            ("postgresql:///sodar?host=/run/pg&password=x", true),
            ("postgresql:///sodar?host=/run/pg&pass%77ord=x", true),
            ("--db=postgresql://u:x@h/d", true),
            ("host=db password=abc", true),
            ("postgresql://sodar@db.example.org:5432/sodar", false),
            ("postgresql://db.example.org:5432/sodar?sslmode=require", false),
            ("postgresql://sodar:@db/sodar", false),
            ("postgresql://h/d?application_name=a@b:c", false),
            ("password=", false),
            ("/srv/cache.sqlite3", false),
        ])
    func passwords(text: String, holds: Bool) {
        #expect(SodarConfig.holdsPassword(text) == holds, "\(text)")
    }

    @Test("the key that holds a password is found anywhere: a profile's db, an argv, an app's PGPASSWORD")
    func passwordKeys() throws {
        #expect(try SodarConfig.parse(Self.sites, file: "c.toml").passwordKey == nil)
        let inProfile = try SodarConfig.parse("[profiles.p]\ndb = \"postgresql://u:pw@db/x\"\n", file: "c.toml")
        #expect(inProfile.passwordKey == ["profiles", "p", "db"])
        let inArgv = try SodarConfig.parse("[apps.x]\ncommand = [\"psql\", \"postgresql://u:pw@db/x\"]\n", file: "c.toml")
        #expect(inArgv.passwordKey == ["apps", "x", "command"])
        let inEnv = try SodarConfig.parse("[apps.x]\ncommand = [\"psql\"]\nenv = { PGPASSWORD = \"pw\" }\n", file: "c.toml")
        #expect(inEnv.passwordKey == ["apps", "x", "env", "PGPASSWORD"])
    }

    @Test("a config that holds a password is refused unless only its owner may read it, naming the file, key and mode")
    func ownerOnly() throws {
        let dir = try TempDir()
        let file = dir.path + "/config.toml"
        try "[apps.a]\n\n[profiles.prod]\ndb = \"postgresql://sodar:Hunter2@db/sodar\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        for mode: mode_t in [0o644, 0o640, 0o604, 0o660] {
            chmod(file, mode)
            let error = try #require(throws: SyncError.self) { try SodarConfig.load(explicit: file, environment: [:]) }
            #expect(error.description == "\(file):4: profiles.prod.db: holds a password, and the file's mode 0\(String(mode, radix: 8)) lets others read it; chmod 600 \(file)")
            #expect(!error.description.contains("Hunter2"))
        }
        for mode: mode_t in [0o600, 0o400] {
            chmod(file, mode)
            #expect(try SodarConfig.load(explicit: file, environment: [:]).profiles.map(\.name) == ["prod"])
        }
        // Without a password, any mode reads.
        let plain = dir.path + "/plain.toml"
        try "[profiles.prod]\ndb = \"postgresql://sodar@db/sodar\"\n".write(toFile: plain, atomically: true, encoding: .utf8)
        chmod(plain, 0o644)
        #expect(try SodarConfig.load(explicit: plain, environment: [:]).profiles.count == 1)
    }
}
