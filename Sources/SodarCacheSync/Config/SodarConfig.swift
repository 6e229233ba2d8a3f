import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// The config file: the apps a site declares, one `[apps.NAME]` table each.
public struct SodarConfig: Sendable, Hashable {
    /// The file read, or nil when there was none.
    public var path: String?
    /// The declared apps, sorted by name.
    public var apps: [AppDeclaration]
    /// Projects' paths where the store has none (a SODAR site's database).
    public var projectPaths = ProjectPaths()
    /// PostgreSQL settings.
    public var postgres = PostgresSettings()
    /// The terminal browser's settings.
    public var browser = BrowserSettings()
    /// What deletes keep (`[trash]`).
    public var trash = TrashSettings()
    /// How many earlier versions of an item a store keeps (`[history]`, and `history` per app).
    public var history = HistorySettings()
    /// The named stores (`[profiles.NAME]`), sorted by name.
    public var profiles: [Profile] = []
    /// The profile this config was made for by `applying(_:)`; nil: the top level as written.
    public var activeProfile: Profile?
    /// The key of the first value that holds a password (a PostgreSQL URI with one, a
    /// `password=` setting, an app's `PGPASSWORD`); nil when none does. A file that holds one
    /// must be readable by its owner only.
    public var passwordKey: [String]?
    /// `sodarcache doctor`'s thresholds and critical kinds (`[doctor]`); the apps' `expect`
    /// keys are in `doctorSettings`.
    public var doctor = DoctorSettings()

    public init(
        path: String? = nil, apps: [AppDeclaration] = [], projectPaths: ProjectPaths = ProjectPaths(),
        postgres: PostgresSettings = PostgresSettings(), browser: BrowserSettings = BrowserSettings(),
        doctor: DoctorSettings = DoctorSettings()
    ) {
        self.path = path
        self.apps = apps.sorted { $0.name < $1.name }
        self.projectPaths = projectPaths
        self.postgres = postgres
        self.browser = browser
        self.doctor = doctor
    }

    /// What the doctor checks: `[doctor]` with every app's `expect`.
    public var doctorSettings: DoctorSettings {
        var settings = doctor
        settings.expectations = apps.filter { !$0.expect.isEmpty }.map {
            DoctorExpectation(app: $0.name, names: $0.expect, siteWide: $0.scope == .site)
        }
        return settings
    }

    /// The config path: `explicit` (`--config`), else `SODARCACHE_CONFIG`, else
    /// `$XDG_CONFIG_HOME/sodarcache/config.toml` (XDG default `~/.config`).
    public static func resolvePath(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["SODARCACHE_CONFIG"], !env.isEmpty { return env }
        return defaultPath(environment: environment)
    }

    /// Reads the config: `explicit` (`--config`), which must exist; else `besideStore` (the
    /// config a demo store was built with), when given and present: it beats the environment,
    /// whose config belongs to the site's store, not to a demo; else `SODARCACHE_CONFIG`, which
    /// must exist; else the default file, whose absence means an empty config (`path` nil). A file that exists but
    /// cannot be read (a directory, no permission on it or on a folder on its way) is an error
    /// wherever it was found: treating it as absent would make every app look unregistered.
    /// - Throws: `SyncError.configUnreadable`, `.configSyntax`, `.configValue`.
    public static func load(
        explicit: String?, environment: [String: String], besideStore: String? = nil
    ) throws -> SodarConfig {
        if let explicit, !explicit.isEmpty { return try read(explicit) }
        if let besideStore, !FileReading.isMissing(besideStore) { return try read(besideStore) }
        if let named = environment["SODARCACHE_CONFIG"], !named.isEmpty { return try read(named) }
        let path = defaultPath(environment: environment)
        if FileReading.isMissing(path) { return SodarConfig() }
        return try read(path)
    }

    /// Reads and parses the file at `path`.
    static func read(_ path: String) throws -> SodarConfig {
        let data: Data
        let mode: mode_t
        do {
            (data, mode) = try FileReading.readWithMode(path)
        } catch .fileUnreadable(_, let reason) {
            throw SyncError.configUnreadable(path: path, reason: reason)
        } catch {
            throw error
        }
        // Bytes, not a String: invalid UTF-8 is then an error with its line and column.
        let bytes = Array(data)
        let parsed = try document(bytes, file: path)
        let config = try parse(parsed, file: path)
        if let key = config.passwordKey {
            try checkOwnerOnly(mode: mode, file: path, key: key, line: parsed.line(of: key) ?? 1)
        }
        return config
    }

    /// Parses config text; `file` names it in error messages.
    /// - Throws: `SyncError.configSyntax` (not TOML), `.configValue` (not a config), each with its line.
    public static func parse(_ text: String, file: String) throws -> SodarConfig {
        try parse(bytes: Array(text.utf8), file: file)
    }

    /// Parses a config file's bytes (invalid UTF-8 is a syntax error with its line and column).
    /// - Throws: `SyncError.configSyntax` (not TOML), `.configValue` (not a config), each with its line.
    public static func parse(bytes: [UInt8], file: String) throws -> SodarConfig {
        try parse(document(bytes, file: file), file: file)
    }

    /// The TOML document of `bytes`.
    private static func document(_ bytes: [UInt8], file: String) throws(SyncError) -> TOMLDocument {
        do {
            return try TOMLDocument(parsing: bytes)
        } catch {
            throw .configSyntax(
                file: file, line: error.line, column: error.column, key: error.key.map(keyPath), message: error.message)
        }
    }

    /// Reads a config out of its TOML document.
    private static func parse(_ document: TOMLDocument, file: String) throws -> SodarConfig {
        let shownFile = file
        let root = document.root
        func fail(_ path: [String], _ message: String) -> SyncError {
            // Every path a check names exists in the document; line 1 is only a backstop.
            .configValue(file: shownFile, line: document.line(of: path) ?? 1, key: Self.keyPath(path), message: message)
        }
        for key in root.keys where !["apps", "project_paths", "postgres", "browser", "trash", "history", "profiles", "doctor"].contains(key) {
            throw fail(
                [key],
                "unknown key (expected [apps.NAME] tables, [project_paths], [postgres], [browser], [trash], [history], [doctor] and [profiles.NAME] tables)")
        }
        let trash = try TrashSettings.parse(root["trash"], fail: fail)
        let history = try HistorySettings.parse(root["history"], fail: fail)
        let projectPaths = try parseProjectPaths(root["project_paths"], fail: fail)
        let postgres = try parsePostgres(root["postgres"], fail: fail)
        let browser = try BrowserSettings.parse(root["browser"], fail: fail)
        let declarations = try parseApps(root["apps"], fail: fail)
        var config = SodarConfig(path: file, apps: declarations, projectPaths: projectPaths, postgres: postgres, browser: browser)
        config.doctor = try DoctorTable.parse(root["doctor"], fail: fail)
        config.trash = trash
        config.history = history
        config.profiles = try parseProfiles(root["profiles"], fail: fail)
        config.passwordKey = findPasswordKey(in: root)
        return config
    }

    /// `[apps.NAME]` tables (under `[profiles.P]` too: `fail` then puts that before each path).
    static func parseApps(_ value: TOMLValue?, fail: ([String], String) -> SyncError) throws -> [AppDeclaration] {
        guard let appsValue = value else { return [] }
        guard let apps = appsValue.table else {
            throw fail(["apps"], "expected a table of apps, got \(describe(appsValue))")
        }
        var declarations: [AppDeclaration] = []
        for name in apps.keys.sorted() {
            guard let value = apps[name] else { continue }
            guard let table = value.table else {
                throw fail(["apps", name], "expected a table, got \(describe(value))")
            }
            if let dotted = dottedName(name, table) {
                // `[apps.a.b.c]` is TOML for nested tables; SODAR's app names contain dots.
                let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                throw fail(["apps"] + parts, "an app name with dots must be quoted: [apps.\(keyPath([dotted]))]")
            }
            if name.isEmpty || name.contains(where: { $0.isWhitespace || $0.isNewline }) {
                throw fail(["apps", name], "app names must be non-empty and without spaces")
            }
            if PluginRegistry.builtInNames.contains(name) {
                throw fail(["apps", name], "\"\(name)\" is a built-in app and cannot be redeclared")
            }
            declarations.append(try declaration(name: name, table: table, fail: fail))
        }
        return declarations
    }

    /// `[project_paths]`: `template = "..."` and/or `"<project uuid>" = "/path"`.
    static func parseProjectPaths(
        _ value: TOMLValue?, fail: ([String], String) -> SyncError
    ) throws -> ProjectPaths {
        guard let value else { return ProjectPaths() }
        guard let table = value.table else { throw fail(["project_paths"], "expected a table, got \(describe(value))") }
        var paths = ProjectPaths()
        for key in table.keys.sorted() {
            guard let entry = table[key] else { continue }
            let path = ["project_paths", key]
            let text = try string(entry, path, fail)
            guard text.hasPrefix("/") else { throw fail(path, "expected an absolute path, got \(quoted(text))") }
            if key == "template" {
                if let unknown = CommandPlugin.placeholderNames(in: text).first(where: { !ProjectPaths.placeholders.contains($0) }) {
                    let known = ProjectPaths.placeholders.map { "{\($0)}" }.joined(separator: ", ")
                    throw fail(path, "unknown placeholder {\(unknown)} (known: \(known))")
                }
                paths.template = text
            } else if let uuid = UUID(uuidString: key) {
                paths.byProject[uuid] = text
            } else {
                throw fail(path, "expected template or a project UUID")
            }
        }
        return paths
    }

    /// `[postgres]`: `user_table = "users_user"`, `schema = "NAME"`,
    /// `connection = "auto" | "direct" | "pooled"`, `read_timeout = 300` (seconds, 0: none).
    static func parsePostgres(
        _ value: TOMLValue?, fail: ([String], String) -> SyncError
    ) throws -> PostgresSettings {
        guard let value else { return PostgresSettings() }
        guard let table = value.table else { throw fail(["postgres"], "expected a table, got \(describe(value))") }
        var settings = PostgresSettings()
        let identifier = #"^[a-z_][a-z0-9_]*$"#
        for key in table.keys.sorted() {
            guard let entry = table[key] else { continue }
            switch key {
            case "user_table":
                let name = try string(entry, ["postgres", key], fail)
                let valid = name.range(of: #"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$"#, options: .regularExpression) != nil
                guard valid else {
                    throw fail(["postgres", key], "expected a table name (lower-case letters, digits, _), got \(quoted(name))")
                }
                settings.userTable = name
            case "schema":
                let name = try string(entry, ["postgres", key], fail)
                guard name.count <= 63, name.range(of: identifier, options: .regularExpression) != nil else {
                    throw fail(["postgres", key], "expected a schema name (lower-case letters, digits, _), got \(quoted(name))")
                }
                settings.schema = name
            case "connection":
                let mode = try string(entry, ["postgres", key], fail)
                guard ["auto", "direct", "pooled"].contains(mode) else {
                    throw fail(["postgres", key], "expected \"auto\", \"direct\" or \"pooled\", got \(quoted(mode))")
                }
                settings.connection = mode
            case "read_timeout":
                guard let seconds = entry.integer, seconds >= 0, seconds <= 86_400 else {
                    throw fail(["postgres", key], "expected seconds from 0 (none) to 86400, got \(describe(entry))")
                }
                settings.readTimeout = seconds
            default:
                throw fail(["postgres", key], "unknown key (known: connection, read_timeout, schema, user_table)")
            }
        }
        return settings
    }

    /// A key path as TOML writes it: bare keys as they are, others quoted (an empty key is `""`,
    /// so that an error always names its key).
    static func keyPath(_ path: [String]) -> String {
        TOMLError.keyText(path)
    }

    // MARK: - Private

    private static func defaultPath(environment: [String: String]) -> String {
        ((XDGDirectories.configHome(environment) as NSString).appendingPathComponent("sodarcache") as NSString)
            .appendingPathComponent("config.toml")
    }

    private static func declaration(
        name: String, table: TOMLTable, fail: ([String], String) -> SyncError
    ) throws -> AppDeclaration {
        var app = AppDeclaration(name: name)
        for key in table.keys.sorted() {
            guard let value = table[key] else { continue }
            let path = ["apps", name, key]
            switch key {
            case "title":
                app.title = try string(value, path, fail)
            case "command":
                app.command = try argv(value, path, fail)
            case "site_command":
                let siteArgv = try argv(value, path, fail)
                // Run once for the whole site: no project to fill these in.
                for element in siteArgv {
                    if let placeholder = CommandPlugin.placeholderNames(in: element).first(where: {
                        CommandPlugin.projectPlaceholders.contains($0)
                    }) {
                        throw fail(path, "{\(placeholder)} has no value in a whole-site run (it runs once, for no project)")
                    }
                }
                app.siteCommand = siteArgv
            case "failure_pattern":
                let pattern = try string(value, path, fail)
                if let problem = OutcomeLines.problem(with: pattern) { throw fail(path, problem) }
                app.outcomeLines = OutcomeLines(failurePattern: pattern, successLine: app.outcomeLines?.successLine)
            case "success_line":
                let line = try string(value, path, fail).trimmingCharacters(in: .whitespaces)
                guard !line.isEmpty else { throw fail(path, "expected the text a successful run's last line ends with, got \"\"") }
                app.outcomeLines = OutcomeLines(failurePattern: app.outcomeLines?.failurePattern, successLine: line)
            case "item":
                let item = try string(value, path, fail)
                guard !item.isEmpty else { throw fail(path, "expected a non-empty item name") }
                app.item = item
            case "scope":
                let text = try string(value, path, fail)
                guard let scope = PluginScope(rawValue: text) else {
                    throw fail(path, "expected \"project\" or \"site\", got \(quoted(text))")
                }
                app.scope = scope
            case "timeout":
                let seconds: Double? = value.integer.map(Double.init) ?? value.float
                guard let seconds, seconds > 0, seconds.isFinite else {
                    throw fail(path, "expected a positive number of seconds, got \(describe(value))")
                }
                app.timeout = seconds
            case "max_output":
                if let bytes = value.integer, bytes > 0 {
                    app.maxOutput = bytes
                } else if let text = value.string, let bytes = parseSize(text) {
                    app.maxOutput = bytes
                } else {
                    throw fail(path, "expected a positive size such as \"64MB\", \"1GB\" or a byte count, got \(describe(value))")
                }
            case "cwd":
                let cwd = try string(value, path, fail)
                guard !cwd.isEmpty else { throw fail(path, "expected a directory, got \"\"") }
                app.cwd = cwd
            case "writes_cache":
                guard let flag = value.boolean else { throw fail(path, "expected true or false, got \(describe(value))") }
                app.writesCache = flag
            case "history":
                guard let versions = value.integer, versions >= 0, versions <= 1000 else {
                    throw fail(path, "expected how many earlier versions to keep, 0 to 1000, got \(describe(value))")
                }
                app.history = versions
            case "expect":
                app.expect = try itemNames(value, path, fail)
            case "env":
                guard let envTable = value.table else {
                    throw fail(path, "expected a table of strings, got \(describe(value))")
                }
                var env: [String: String] = [:]
                for variable in envTable.keys {
                    guard let v = envTable[variable], let s = v.string else {
                        throw fail(path + [variable], "expected a string, got \(envTable[variable].map(describe) ?? "nothing")")
                    }
                    env[variable] = s
                }
                app.env = env
            default:
                throw fail(path, "unknown key (known: \(appKeys.sorted().joined(separator: ", ")))")
            }
        }
        if app.writesCache, table["item"] != nil {
            throw fail(["apps", name, "item"], "a command that writes the cache itself prints no items (drop item or writes_cache)")
        }
        if app.command == nil {
            for key in ["item", "timeout", "max_output", "cwd", "env", "writes_cache", "site_command", "failure_pattern", "success_line"]
            where table[key] != nil {
                throw fail(["apps", name, key], "only meaningful with a command")
            }
        }
        if !app.writesCache {
            // A command that prints items is judged by its exit status and its JSON; these
            // say how a command that writes the cache itself reports.
            for key in ["site_command", "failure_pattern", "success_line"] where table[key] != nil {
                throw fail(["apps", name, key], "only meaningful with writes_cache = true")
            }
        }
        if app.siteCommand != nil, app.scope == .site {
            throw fail(["apps", name, "site_command"], "a site-scope app runs once already: give its command as command")
        }
        return app
    }

    /// The dotted app name `[apps.a.b.c]` was meant to declare, when `table` (the value of
    /// `apps.name`) holds only nested tables down to the app's own keys; nil for a real app table.
    private static func dottedName(_ name: String, _ table: TOMLTable) -> String? {
        var dotted = name
        var current = table
        var nested = false
        while current.keys.count == 1, let key = current.keys.first, !appKeys.contains(key),
            let inner = current[key]?.table
        {
            dotted += "." + key
            current = inner
            nested = true
        }
        if nested { return dotted }
        // `[apps.x]` with `[apps.x.y]` beside its own keys: the nested table is the mistake.
        if let key = table.keys.sorted().first(where: { !appKeys.contains($0) && table[$0]?.table != nil }),
            let inner = table[key]?.table
        {
            return dottedName(name + "." + key, inner) ?? name + "." + key
        }
        return nil
    }

    /// The keys of an app table.
    static let appKeys: Set<String> = [
        "title", "history", "command", "item", "scope", "timeout", "max_output", "cwd", "env", "writes_cache", "site_command",
        "failure_pattern", "success_line", "expect",
    ]

    /// `expect`: a non-empty array of distinct, non-empty item names.
    private static func itemNames(
        _ value: TOMLValue, _ path: [String], _ fail: ([String], String) -> SyncError
    ) throws -> [String] {
        guard let array = value.array else { throw fail(path, "expected an array of item names, got \(describe(value))") }
        var names: [String] = []
        for element in array {
            guard let name = element.string, !name.isEmpty else {
                throw fail(path, "expected an array of non-empty item names, got an element \(describe(element))")
            }
            if names.contains(name) { throw fail(path, "\(quoted(name)) is named twice") }
            names.append(name)
        }
        guard !names.isEmpty else { throw fail(path, "expected at least one item name (drop the key to expect none)") }
        return names
    }

    /// A `command` or `site_command`: a non-empty argv of strings with known placeholders.
    private static func argv(
        _ value: TOMLValue, _ path: [String], _ fail: ([String], String) -> SyncError
    ) throws -> [String] {
        guard let array = value.array else {
            throw fail(path, "expected an array of strings (argv), got \(describe(value))")
        }
        var argv: [String] = []
        for element in array {
            guard let s = element.string else {
                throw fail(path, "expected an array of strings (argv), got an element \(describe(element))")
            }
            argv.append(s)
        }
        guard let first = argv.first, !first.isEmpty else {
            throw fail(path, "expected a non-empty argv with the program first")
        }
        for element in argv {
            if let unknown = CommandPlugin.placeholderNames(in: element).first(where: {
                !CommandPlugin.placeholders.contains($0)
            }) {
                let known = CommandPlugin.placeholders.map { "{\($0)}" }.joined(separator: ", ")
                throw fail(path, "unknown placeholder {\(unknown)} (known: \(known))")
            }
        }
        return argv
    }

    static func string(
        _ value: TOMLValue, _ path: [String], _ fail: ([String], String) -> SyncError
    ) throws -> String {
        guard let s = value.string else { throw fail(path, "expected a string, got \(describe(value))") }
        return s
    }

    /// A short description of a TOML value for messages, on one line: strings quoted and
    /// escaped, numbers and booleans as they are, others by kind.
    static func describe(_ value: TOMLValue) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .integer(let number): return String(number)
        case .float(let number): return String(number)
        case .boolean(let flag): return String(flag)
        case .dateTime(let date): return "\(date.kindName) \(date)"
        case .array: return "an array"
        case .table: return "a table"
        }
    }

    /// `text` as a one-line quoted string: quotes and backslashes escaped, and every character
    /// a terminal would act on (a line break in a value must not break the message).
    static func quoted(_ text: String) -> String {
        Display.escape(JSON.quote(text))
    }

    /// "64MB", "1GB", "512 KiB", "100B", "4096" -> bytes (binary multiples).
    static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard !digits.isEmpty, let number = Double(digits), number > 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        let multipliers: [String: Double] = [
            "": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1_048_576, "MB": 1_048_576, "MIB": 1_048_576,
            "G": 1_073_741_824, "GB": 1_073_741_824, "GIB": 1_073_741_824,
        ]
        guard let multiplier = multipliers[unit] else { return nil }
        let bytes = number * multiplier
        guard bytes >= 1, bytes < Double(Int.max) else { return nil }
        return Int(bytes)
    }
}
