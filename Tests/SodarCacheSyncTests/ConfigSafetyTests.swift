import Foundation
import SodarCache
import Testing

@testable import SodarCacheSync

/// Issue 13: a config that cannot be read is never taken for "no config"; typos in it are errors.
@Suite("Config safety")
struct ConfigSafetyTests {
    @Test("a default config that is a directory is an error, not an empty config")
    func defaultIsDirectory() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(atPath: dir.path + "/sodarcache/config.toml", withIntermediateDirectories: true)
        let error = try #require(throws: SyncError.self) {
            try SodarConfig.load(explicit: nil, environment: ["XDG_CONFIG_HOME": dir.path])
        }
        #expect(error.description == "Cannot read config file \(dir.path)/sodarcache/config.toml: it is a directory, not a file")
        let named = try #require(throws: SyncError.self) {
            try SodarConfig.load(explicit: dir.path + "/sodarcache/config.toml", environment: [:])
        }
        #expect(named.description.hasSuffix("it is a directory, not a file"))
    }

    @Test("a config in a folder that cannot be entered says so", .enabled(if: geteuid() != 0, "root enters every folder"))
    func closedFolder() throws {
        let dir = try TempDir()
        try FileManager.default.createDirectory(atPath: dir.path + "/sodarcache", withIntermediateDirectories: true)
        try "[apps.x]\n".write(toFile: dir.path + "/sodarcache/config.toml", atomically: true, encoding: .utf8)
        chmod(dir.path + "/sodarcache", 0o000)
        defer { chmod(dir.path + "/sodarcache", 0o755) }
        let error = try #require(throws: SyncError.self) {
            try SodarConfig.load(explicit: nil, environment: ["XDG_CONFIG_HOME": dir.path])
        }
        #expect(error.description.contains("cannot enter folder \(dir.path)/sodarcache (permission denied)"))
    }

    @Test("why a file cannot be read, in our words")
    func reasons() throws {
        let dir = try TempDir()
        #expect(FileReading.reason(dir.path + "/x", errno: ENOENT) == "no such file")
        #expect(FileReading.reason(dir.path + "/x", errno: EISDIR) == "it is a directory, not a file")
        #expect(throws: SyncError.fileUnreadable(path: dir.path + "/none", reason: "no such file")) {
            try FileReading.read(dir.path + "/none")
        }
        try "a".write(toFile: dir.path + "/file", atomically: true, encoding: .utf8)
        #expect(throws: SyncError.fileUnreadable(path: dir.path + "/file/config.toml", reason: "a part of the path is a file, not a folder")) {
            try FileReading.read(dir.path + "/file/config.toml")
        }
        #expect(try FileReading.read(dir.path + "/file") == Data("a".utf8))
    }

    @Test("the demo's config beside its store comes after --config, before SODARCACHE_CONFIG and the default")
    func besideStore() throws {
        let dir = try TempDir()
        try "[apps.demoapp]\n".write(toFile: dir.path + "/demo.toml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.path + "/sodarcache", withIntermediateDirectories: true)
        try "[apps.mine]\n".write(toFile: dir.path + "/sodarcache/config.toml", atomically: true, encoding: .utf8)
        try "[apps.named]\n".write(toFile: dir.path + "/named.toml", atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": dir.path]
        #expect(try SodarConfig.load(explicit: nil, environment: env, besideStore: dir.path + "/demo.toml").apps.map(\.name) == ["demoapp"])
        #expect(try SodarConfig.load(explicit: dir.path + "/named.toml", environment: env, besideStore: dir.path + "/demo.toml").apps.map(\.name) == ["named"])
        #expect(try SodarConfig.load(explicit: nil, environment: env, besideStore: dir.path + "/gone.toml").apps.map(\.name) == ["mine"])
        let withVariable = ["XDG_CONFIG_HOME": dir.path, "SODARCACHE_CONFIG": dir.path + "/named.toml"]
        #expect(try SodarConfig.load(explicit: nil, environment: withVariable, besideStore: dir.path + "/demo.toml").apps.map(\.name) == ["demoapp"])
        #expect(try SodarConfig.load(explicit: nil, environment: withVariable, besideStore: dir.path + "/gone.toml").apps.map(\.name) == ["named"])
    }

    @Test("an unknown placeholder is an error naming the file, line and key")
    func unknownPlaceholder() throws {
        let text = """
            [apps.a]
            title = "A"

            [apps.x]
            title = "X"
            item = "s"
            command = ["/bin/echo", "{project_name}"]
            """
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "config.toml") }
        #expect(error.description.hasPrefix("config.toml:7: apps.x.command: unknown placeholder {project_name} (known: {project_uuid}"))
    }

    @Test("braces that are not placeholders pass: shell ${VAR}, awk programs, JSON, {}")
    func notPlaceholders() throws {
        let text = #"""
            [apps.x]
            command = ["/bin/sh", "-c", "echo ${project_name} {} '{print $1}' '{\"a\": 1}' {0} {project_title}"]
            """#
        let config = try SodarConfig.parse(text, file: "config.toml")
        #expect(config.apps.map(\.name) == ["x"])
        #expect(CommandPlugin.placeholderNames(in: "a{project_uuid}b{typo}c${x}{}{0}") == ["project_uuid", "typo"])
    }

    @Test("SODAR's dotted app names written unquoted: the line and the quoted form")
    func dottedAppName() throws {
        let text = """
            [apps.samplesheets]
            title = "Sample sheets"

            [apps.samplesheets.assayapps.cytof]
            title = "CyTOF"
            """
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "config.toml") }
        #expect(error.description == #"config.toml:4: apps.samplesheets.assayapps.cytof: an app name with dots must be quoted: [apps."samplesheets.assayapps.cytof"]"#)
        let alone = try #require(throws: SyncError.self) {
            try SodarConfig.parse("[apps.samplesheets.assayapps.cytof]\ntitle = \"CyTOF\"\n", file: "c.toml")
        }
        #expect(alone.description == #"c.toml:1: apps.samplesheets.assayapps.cytof: an app name with dots must be quoted: [apps."samplesheets.assayapps.cytof"]"#)
        let quoted = try SodarConfig.parse("[apps.\"samplesheets.assayapps.cytof\"]\ntitle = \"CyTOF\"\n", file: "c.toml")
        #expect(quoted.apps.map(\.name) == ["samplesheets.assayapps.cytof"])
    }

    @Test("a db URI in the config is an unknown key whose value is never printed, broken or not")
    func secretsAreNotPrinted() throws {
        let lines = [
            #"db = "postgresql://sodar:S3cretPw@db.example/sodar""#,
            #"db = "postgresql://sodar:S3cretPw@db.example/sodar"#,
            #"db = postgresql://sodar:S3cretPw@db.example/sodar"#,
            #"db = "postgresql://sodar:S3cretPw@db.example/sodar" # the site"#,
            #"db = "postgresql://sodar:S3cretPw\x@db.example/sodar""#,
        ]
        for line in lines {
            for text in [line, "[apps.x]\ntitle = \"X\"\n\n[postgres]\n" + line] {
                let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
                #expect(!error.description.contains("S3cretPw"), "\(error)")
                #expect(error.description.contains(": db: ") || error.description.contains(": postgres.db: "), "\(error)")
            }
        }
    }

    @Test("every config error is one line naming the file, the line and the key", arguments: [
        ("[apps.x]\ntimeout = 1979-05-27T%07:30:00\n", "c.toml:2:22: apps.x.timeout: expected a time (HH:MM:SS) after the date's 'T', found '%'"),
        ("[apps.x]\ntitle = \"A\nB\"\n", "c.toml:2:11: apps.x.title: expected '\"' to close the string on its line, found a line break (\"\"\" starts a multi-line string)"),
        ("[apps.x]\nscope = \"\"\"\nglobal\n\"\"\"\n", #"c.toml:2: apps.x.scope: expected "project" or "site", got "global\n""#),
        ("[apps.x]\ncommand = [\"x\"]\nfailure_pattern = \"(\\u001b\"\n", "c.toml:3: apps.x.failure_pattern: expected a regular expression, got \"(\\u001b\" (expected ')')"),
        ("[apps.x]\ntitle = \"X\"\n[apps.x]\n", "c.toml:3:1: apps.x: a table defined twice (first on line 1)"),
        ("[apps.x]\ntitle = 1\ntitle = 2\n", "c.toml:3:1: apps.x.title: defined twice (first on line 2)"),
        ("[project_paths]\ntemplate = \"relative\\u202e\"\n", #"c.toml:2: project_paths.template: expected an absolute path, got "relative\u202e""#),
        ("[\"\"]\n\n", #"c.toml:1: "": unknown key (expected [apps.NAME] tables, [project_paths], [postgres], [browser], [trash], [history], [doctor] and [profiles.NAME] tables)"#),
        ("[apps.\"a\\tb\"]\n", #"c.toml:1: apps."a\tb": app names must be non-empty and without spaces"#),
        ("[browser]\nmouse = 1979-05-27\n", "c.toml:2: browser.mouse: expected true or false, got a local date 1979-05-27"),
    ])
    func errorsNameLineAndKey(text: String, message: String) throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        #expect(error.description == message)
        #expect(!error.description.contains("\n"))
    }
}
