import Foundation

extension SodarConfig {
    /// The profile named `name`, if the config has one.
    public func profile(named name: String) -> Profile? {
        profiles.first { $0.name == name }
    }

    /// This config as `profile` sees it: each table the profile gives replaces the top-level
    /// one whole, and each of its app tables replaces the top-level app of that name (see
    /// `Profile`); `activeProfile` is set.
    public func applying(_ profile: Profile) -> SodarConfig {
        var config = self
        var apps = Dictionary(self.apps.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for app in profile.apps { apps[app.name] = app }
        config.apps = apps.values.sorted { $0.name < $1.name }
        if let postgres = profile.postgres { config.postgres = postgres }
        if let projectPaths = profile.projectPaths { config.projectPaths = projectPaths }
        if let trash = profile.trash { config.trash = trash }
        if let history = profile.history { config.history = history }
        config.activeProfile = profile
        return config
    }

    /// `[profiles.NAME]` tables.
    static func parseProfiles(_ value: TOMLValue?, fail: ([String], String) -> SyncError) throws -> [Profile] {
        guard let value else { return [] }
        guard let table = value.table else {
            throw fail(["profiles"], "expected [profiles.NAME] tables, got \(describe(value))")
        }
        var profiles: [Profile] = []
        for name in table.keys.sorted() {
            guard let entry = table[name] else { continue }
            guard let profileTable = entry.table else {
                throw fail(["profiles", name], "expected a table (db = \"...\", title = \"...\"), got \(describe(entry))")
            }
            // Typed after --profile and in $SODARCACHE_PROFILE: nothing a shell or a eye could misread.
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") })
            else {
                throw fail(["profiles", name], "a profile name is ASCII letters, digits, - and _ (it is typed after --profile)")
            }
            profiles.append(try parseProfile(name: name, table: profileTable, fail: fail))
        }
        return profiles
    }

    /// One `[profiles.NAME]` table.
    private static func parseProfile(
        name: String, table: TOMLTable, fail: ([String], String) -> SyncError
    ) throws -> Profile {
        let prefix = ["profiles", name]
        // The site's tables read as at the top level, their errors named under the profile.
        let inner: ([String], String) -> SyncError = { path, message in fail(prefix + path, message) }
        guard let dbValue = table["db"] else {
            throw fail(prefix, "a profile names its store: db = \"postgresql://...\" or an absolute path to a SQLite file")
        }
        let db = try string(dbValue, prefix + ["db"], fail)
        let isURI = db.hasPrefix("postgresql://") || db.hasPrefix("postgres://")
        guard isURI || db.hasPrefix("/") else {
            throw fail(
                prefix + ["db"],
                "expected a PostgreSQL URI (postgresql://...) or an absolute path to a SQLite file, got \(isLikelySecret(db) ? "a value that is neither" : quoted(db))")
        }
        var profile = Profile(name: name, db: db)
        for key in table.keys.sorted() {
            guard let entry = table[key] else { continue }
            let path = prefix + [key]
            func flag() throws -> Bool {
                guard let flag = entry.boolean else { throw fail(path, "expected true or false, got \(describe(entry))") }
                return flag
            }
            switch key {
            case "db":
                break
            case "title":
                let title = try string(entry, path, fail)
                guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw fail(path, "expected a title to show, got \(quoted(title))")
                }
                profile.title = title
            case "read_only":
                profile.readOnly = try flag()
            case "confirm":
                profile.confirm = try flag()
            case "color":
                let color = try string(entry, path, fail)
                guard Profile.colors.contains(color) else {
                    throw fail(path, "expected one of \(Profile.colors.joined(separator: ", ")), got \(quoted(color))")
                }
                profile.color = color
            case "apps":
                profile.apps = try parseApps(entry, fail: inner)
            case "postgres":
                profile.postgres = try parsePostgres(entry, fail: inner)
            case "project_paths":
                profile.projectPaths = try parseProjectPaths(entry, fail: inner)
            case "trash":
                profile.trash = try TrashSettings.parse(entry, fail: inner)
            case "history":
                profile.history = try HistorySettings.parse(entry, fail: inner)
            default:
                throw fail(path, "unknown key (known: \(Profile.keys.joined(separator: ", ")))")
            }
        }
        return profile
    }

    /// Whether a `db` value that is neither a URI nor a path may be a connection string with a
    /// password (`host=db password=...`): it is then not quoted back.
    private static func isLikelySecret(_ text: String) -> Bool {
        text.lowercased().contains("password") || text.contains("@")
    }
}
