import Foundation
import SodarCache
import Testing

@testable import SodarCacheSync

@Suite("Config file")
struct SodarConfigTests {
    @Test("a full config: apps sorted, every key read, defaults where absent")
    func full() throws {
        let text = """
            # site apps
            [apps.samplesheets]
            title = "Sample sheets"

            [apps.irodsstats]
            title = "iRODS statistics"
            command = ["/opt/site/bin/irods-stats", "--project", "{project_uuid}"]
            item = "irods/stats"
            scope = "project"
            timeout = 60
            max_output = "64MB"
            cwd = "/opt/site"
            env = { IRODS_HOST = "irods.example" }

            [apps."site.news"]
            command = ["news"]
            scope = "site"
            timeout = 1.5
            max_output = 4096
            """
        let config = try SodarConfig.parse(text, file: "config.toml")
        #expect(config.apps.map(\.name) == ["irodsstats", "samplesheets", "site.news"])
        let stats = config.apps[0]
        #expect(stats.command == ["/opt/site/bin/irods-stats", "--project", "{project_uuid}"])
        #expect(stats.item == "irods/stats")
        #expect(stats.timeout == 60)
        #expect(stats.maxOutput == 64 * 1024 * 1024)
        #expect(stats.cwd == "/opt/site")
        #expect(stats.env == ["IRODS_HOST": "irods.example"])
        let sheets = config.apps[1]
        #expect(sheets.title == "Sample sheets")
        #expect(sheets.command == nil)
        #expect(sheets.timeout == 300)
        #expect(sheets.maxOutput == 256 * 1024 * 1024)
        #expect(config.apps[2].scope == .site)
        #expect(config.apps[2].timeout == 1.5)
        #expect(config.apps[2].maxOutput == 4096)
        #expect(PluginRegistry.appNames(config: config) == ["filestats", "irodsstats", "samplesheets", "site.news"])
        let plugins = PluginRegistry.plugins(config: config)
        #expect(plugins.map(\.name) == ["filestats", "irodsstats", "samplesheets", "site.news"])
        #expect(plugins[1] is CommandPlugin)
        #expect(plugins[2] is DeclaredAppPlugin)
    }

    @Test("a wrong value names the file, the key's line and the key")
    func wrongValue() {
        let text = """
            [apps.a]
            title = "A"

            [apps.x]
            title = "X"
            command = ["x"]
            timeout = "soon"
            """
        #expect(throws: SyncError.configValue(file: "config.toml", line: 7, key: "apps.x.timeout", message: "expected a positive number of seconds, got \"soon\"")) {
            try SodarConfig.parse(text, file: "config.toml")
        }
        let error = try? #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "config.toml") }
        #expect(error?.description == #"config.toml:7: apps.x.timeout: expected a positive number of seconds, got "soon""#)
    }

    @Test("unknown keys are errors at their line")
    func unknownKey() throws {
        let text = "[apps.x]\ntitle = \"X\"\ncomand = [\"x\"]\n"
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "/etc/sc.toml") }
        #expect(error.description.hasPrefix("/etc/sc.toml:3: apps.x.comand: unknown key"))
        let top = try #require(throws: SyncError.self) { try SodarConfig.parse("database = 1\n", file: "c.toml") }
        #expect(top.description.hasPrefix("c.toml:1: database: unknown key"))
    }

    @Test("bad sizes, scopes and commands are refused with the bad value")
    func badValues() throws {
        let cases: [(String, String)] = [
            ("[apps.x]\ncommand = [\"x\"]\nmax_output = \"lots\"", "config.toml:3: apps.x.max_output: expected a positive size"),
            ("[apps.x]\nscope = \"global\"", #"config.toml:2: apps.x.scope: expected "project" or "site", got "global""#),
            ("[apps.x]\ncommand = \"x --y\"", #"config.toml:2: apps.x.command: expected an array of strings (argv), got "x --y""#),
            ("[apps.x]\ncommand = []", "config.toml:2: apps.x.command: expected a non-empty argv"),
            ("[apps.x]\ntimeout = 5", "config.toml:2: apps.x.timeout: only meaningful with a command"),
            ("[apps.filestats]\ntitle = \"mine\"", "config.toml:1: apps.filestats: \"filestats\" is a built-in app"),
            ("[apps]\nx = 3", "config.toml:2: apps.x: expected a table, got 3"),
        ]
        for (text, prefix) in cases {
            let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "config.toml") }
            #expect(error.description.hasPrefix(prefix), "\(error)")
        }
    }

    @Test("[browser]: clipboard is on unless set to false; a wrong value names the file, line and value")
    func browserTable() throws {
        #expect(try SodarConfig.parse("", file: "c.toml").browser == BrowserSettings(clipboard: true))
        #expect(try SodarConfig.parse("[browser]\n", file: "c.toml").browser.clipboard)
        let off = try SodarConfig.parse("[apps.x]\ntitle = \"X\"\n\n[browser]\nclipboard = false\n", file: "c.toml")
        #expect(!off.browser.clipboard)
        #expect(off.apps.map(\.name) == ["x"])
        #expect(try SodarConfig.parse("browser.clipboard = true\n", file: "c.toml").browser.clipboard)
        let cases: [(String, String)] = [
            ("[browser]\nclipboard = \"no\"", #"c.toml:2: browser.clipboard: expected true or false, got "no""#),
            ("[browser]\n\nclipboard = 0", "c.toml:3: browser.clipboard: expected true or false, got 0"),
            ("[browser]\nclipbaord = false", "c.toml:2: browser.clipbaord: unknown key (known: clipboard, mouse)"),
            ("browser = true", "c.toml:1: browser: expected a table, got true"),
        ]
        for (text, message) in cases {
            let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
            #expect(error.description == message)
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a TOML syntax error names the file, line and column")
    func syntax() throws {
        let error = try #require(throws: SyncError.self) {
            try SodarConfig.parse("[apps.x]\ntitle = \"X\"\ntimeout = = 3\n", file: "config.toml")
        }
        guard case .configSyntax(let file, let line, _, let key, _) = error else {
            Issue.record("expected a syntax error, got \(error)")
            return
        }
        #expect(file == "config.toml")
        #expect(line == 3)
        #expect(key == "apps.x.timeout")
        #expect(error.description.hasPrefix("config.toml:3:"))
    }

    @Test("path: --config, then SODARCACHE_CONFIG, then XDG_CONFIG_HOME, then ~/.config")
    func resolvePath() {
        #expect(SodarConfig.resolvePath(explicit: "/a.toml", environment: ["SODARCACHE_CONFIG": "/b.toml"]) == "/a.toml")
        #expect(SodarConfig.resolvePath(explicit: nil, environment: ["SODARCACHE_CONFIG": "/b.toml", "XDG_CONFIG_HOME": "/x"]) == "/b.toml")
        #expect(SodarConfig.resolvePath(explicit: nil, environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/sodarcache/config.toml")
        #expect(SodarConfig.resolvePath(explicit: nil, environment: ["HOME": "/h"]) == "/h/.config/sodarcache/config.toml")
    }

    @Test("a missing default file is an empty config; a missing named file is an error")
    func missingFiles() throws {
        let dir = try TempDir()
        let empty = try SodarConfig.load(explicit: nil, environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(empty.apps.isEmpty)
        #expect(empty.path == nil)
        let error = try #require(throws: SyncError.self) {
            try SodarConfig.load(explicit: dir.path + "/none.toml", environment: [:])
        }
        #expect(error.description == "Cannot read config file \(dir.path)/none.toml: no such file")
        #expect(throws: SyncError.self) {
            try SodarConfig.load(explicit: nil, environment: ["SODARCACHE_CONFIG": dir.path + "/none.toml"])
        }
        try FileManager.default.createDirectory(atPath: dir.path + "/sodarcache", withIntermediateDirectories: true)
        try "[apps.notes]\n".write(toFile: dir.path + "/sodarcache/config.toml", atomically: true, encoding: .utf8)
        let found = try SodarConfig.load(explicit: nil, environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(found.apps.map(\.name) == ["notes"])
        #expect(found.path == dir.path + "/sodarcache/config.toml")
    }

    @Test("[browser] mouse: on by default, false turns it off, a wrong type names file and line")
    func browserMouse() throws {
        #expect(try SodarConfig.parse("", file: "c.toml").browser.mouse)
        #expect(try SodarConfig.parse("[browser]\nmouse = true\n", file: "c.toml").browser.mouse)
        #expect(try !SodarConfig.parse("[apps.a]\ntitle = \"A\"\n\n[browser]\nmouse = false\n", file: "c.toml").browser.mouse)
        let error = try #require(throws: SyncError.self) {
            try SodarConfig.parse("[apps.a]\ntitle = \"A\"\n\n[browser]\nmouse = \"no\"\n", file: "c.toml")
        }
        #expect(error.description == "c.toml:5: browser.mouse: expected true or false, got \"no\"")
        let unknown = try #require(throws: SyncError.self) { try SodarConfig.parse("[browser]\nmice = false\n", file: "c.toml") }
        #expect(unknown.description == "c.toml:2: browser.mice: unknown key (known: clipboard, mouse)")
        #expect(throws: SyncError.self) { try SodarConfig.parse("browser = 1\n", file: "c.toml") }
    }
}
