import ArgumentParser
import Foundation
import Logging
import SodarCache
import StoreKernel
import StoreOpening
import SodarCacheSync

/// Options every command takes: where the store and the config live.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The store: a SQLite file, or a PostgreSQL URI (postgresql://...) (default: $SODARCACHE_DB, else $XDG_DATA_HOME/sodarcache/cache.sqlite3).")
    var db: String?

    @Option(name: .long, help: "The config file (default: a demo store's own, else $SODARCACHE_CONFIG, else $XDG_CONFIG_HOME/sodarcache/config.toml).")
    var config: String?

    @Flag(name: .long, help: "Log debug messages too.")
    var verbose = false

    @Flag(name: .customLong("read-only"), help: "Refuse every write and delete (not a dry run: a command that writes fails); the session is read-only on the server too.")
    var readOnly = false

    @Flag(name: .customLong("no-trash"), help: "Delete for good: keep nothing in the trash (sodarcache trash), so that this delete cannot be undone.")
    var noTrash = false

    @Option(name: .long, help: "A store the config names ([profiles.NAME]): its db, read_only, confirm, title and its own apps and settings (default: $SODARCACHE_PROFILE; --db beats $SODARCACHE_PROFILE).")
    var profile: String?

    @Flag(name: .long, help: "Answer yes to the question a delete asks first (a profile with confirm = true, remove-store): needed where stdin is not a terminal.")
    var yes = false

    /// The plain settings these options stand for (before a profile is applied: `resolved()`).
    var setup: CommandSetup {
        CommandSetup(db: db, config: config, verbose: verbose, readOnly: readOnly, noTrash: noTrash, profile: profile, yes: yes)
    }

    func bootstrapLogging() { setup.bootstrapLogging() }
    /// The settings with the profile applied (its store, read-only and config), and the config.
    func resolved() throws -> (CommandSetup, SodarConfig) { try setup.resolved() }
    func open(
        mustExist: Bool = false, readingCommand: Bool = false, readOnly: Bool = false, needs: StoreNeed = .read,
        neverMigrate: Bool = false, command: String? = nil
    ) throws -> (SodarConfig, any StoreEngine) {
        let (_, config, store) = try session(
            mustExist: mustExist, readingCommand: readingCommand, readOnly: readOnly, needs: needs, neverMigrate: neverMigrate,
            command: command)
        return (config, store)
    }

    /// `open`, with the settings the profile resolved to (where the store is, read-only).
    func session(
        mustExist: Bool = false, readingCommand: Bool = false, readOnly: Bool = false, needs: StoreNeed = .read,
        neverMigrate: Bool = false, command: String? = nil
    ) throws -> (CommandSetup, SodarConfig, any StoreEngine) {
        try setup.open(
            mustExist: mustExist, readingCommand: readingCommand, readOnly: readOnly, needs: needs, neverMigrate: neverMigrate,
            command: command)
    }
}

extension GlobalOptions {
    /// Makes the config's history policy the store's (trimming versions beyond its counts, with
    /// an audit entry when it changes): what every command that opened the store with
    /// `needs: .write` does just before its first write, once its arguments are checked, so
    /// that a command refusing them changes nothing. Reads never write it.
    /// - Parameter config: the config `open` returned (the profile's, under a profile).
    func applyHistoryPolicy(of config: SodarConfig, to store: any StoreEngine) throws {
        if let policy = config.history.policy(apps: config.apps), let history = store.history {
            try history.applyHistoryPolicy(policy)
        }
    }
}

/// What a command does to the store beyond reading: checked against `--read-only` before the
/// store is opened, and against what the role may do once it is.
enum StoreNeed: Equatable {
    case read
    /// Deletes (and nothing else).
    case delete(String)
    /// Writes items (set, sync, trash restore/purge); may delete too. The command applies the
    /// config's history policy before its first write (`GlobalOptions.applyHistoryPolicy`).
    case write(String)
    /// Adds, changes or deletes projects (`project add/set/import`, and `project delete` with
    /// `delete` too for its items).
    case projects(String, deletes: Bool)

    var command: String? {
        switch self {
        case .read: return nil
        case .delete(let command), .write(let command), .projects(let command, _): return command
        }
    }
}

/// Where the store and config are, resolved from options and the environment.
struct CommandSetup {
    var db: String?
    var config: String?
    var verbose = false
    /// `--read-only`: every write is refused.
    var readOnly = false
    /// `--no-trash`: deletes keep nothing.
    var noTrash = false
    /// `--profile`: a store the config names.
    var profile: String?
    /// `--yes`: a delete's question is answered yes.
    var yes = false
    /// The command, as the trash records it (never its arguments: they may hold a password).
    var command = "sodarcache"
    /// Why writes are refused, when `readOnly` is set: `--read-only`, or the profile's `read_only`.
    var readOnlyReason = "--read-only refuses every write"

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The store path: --db, else SODARCACHE_DB, else the XDG data directory.
    var storePath: String {
        if let db, !db.isEmpty { return db }
        return Self.defaultStorePath(environment: environment)
    }

    /// The store: a SQLite file or a PostgreSQL database.
    var location: StoreLocation { StoreLocation(storePath) }

    /// The store this run created, if any: a command that then fails removes it again, so that
    /// bad input leaves nothing behind. (Only where it is: holding the store itself would keep
    /// its connections open past the command, and SQLite then leaves its WAL behind.)
    static let createdStore = Locked<StoreLocation?>(nil)

    /// The store a command that changes it opened, and what the command is: a failure is
    /// recorded in the audit trail (a change's own entry rolls back with it).
    /// Where a command that changes the store opened it, and what the command is: not the store
    /// itself (one kept past its command keeps its connections open, and SQLite then leaves its
    /// WAL behind), so a failure is recorded through a new open.
    static let changing = Locked<(location: StoreLocation, options: StoreFactory.Options, action: String, command: String)?>(nil)

    /// Records in the audit trail that the changing command failed, and why (one line). Best
    /// effort: a store that cannot be opened now (the failure may be that) records nothing.
    static func recordFailure(_ message: String) {
        guard createdStore.withLock({ $0 }) == nil, let (location, options, action, command) = changing.withLock({ $0 }),
            let opened = try? StoreFactory.open(location, options: options)
        else { return }
        try? opened.store.audit?.record(AuditNote(action: action, what: command, outcome: "failed: " + message))
        try? opened.store.close()
    }

    /// Removes the store this run created (see `createdStore`).
    static func removeCreatedStore() {
        if let location = createdStore.withLock({ $0 }) { StoreFactory.discard(location) }
    }

    static func defaultStorePath(environment: [String: String]) -> String {
        if let env = environment["SODARCACHE_DB"], !env.isEmpty { return env }
        return dataHome(environment: environment) + "/sodarcache/cache.sqlite3"
    }

    static func dataHome(environment: [String: String]) -> String {
        XDGDirectories.dataHome(environment)
    }

    /// Whether the logging system was set up: swift-log allows it once per process, and a
    /// command may open its store twice (a delete too large for the trash, opened again with
    /// the trash off).
    private static let loggingBootstrapped = Locked(false)

    func bootstrapLogging() {
        guard Self.loggingBootstrapped.withLock({ done in
            defer { done = true }
            return !done
        }) else { return }
        let level: Logger.Level = verbose ? .debug : .info
        LoggingSystem.bootstrap { label in
            var handler = SodarLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// The config: --config, else the config of a demo store at `storePath` (so that the
    /// README's demo flow finds the demo's apps, and a site's SODARCACHE_CONFIG is not applied
    /// to a demo), else SODARCACHE_CONFIG, else the default file.
    func loadConfig() throws -> SodarConfig {
        try SodarConfig.load(
            explicit: config, environment: environment, besideStore: Self.demoConfig(forStore: storePath))
    }

    /// The config `sodarcache demo` wrote for a store it built at `store`, or nil when `store`
    /// is not a demo store (its folder has no demo marker).
    static func demoConfig(forStore store: String) -> String? {
        let fm = FileManager.default
        for dir in [store + ".demo", (store as NSString).deletingLastPathComponent] {
            let marker = dir + "/" + DemoCommand.markerName
            let config = dir + "/config.toml"
            // The default demo folder holds cache.sqlite3 itself; PATH.demo/ belongs to PATH.
            guard dir == store + ".demo" || (store as NSString).lastPathComponent == "cache.sqlite3" else { continue }
            if fm.fileExists(atPath: marker) && fm.fileExists(atPath: config) { return config }
        }
        return nil
    }

    /// The factory's options from the config: the registered apps and `[postgres]`.
    func factoryOptions(config: SodarConfig) -> StoreFactory.Options {
        var options = StoreFactory.Options(registeredApps: PluginRegistry.appNames(config: config))
        options.userTable = config.postgres.userTable
        options.schema = config.postgres.schema
        options.connection = config.postgres.connection
        options.readTimeout = config.postgres.readTimeout
        var trash = config.trash.policy
        if noTrash { trash.enabled = false }
        options.changes = ChangePolicy(trash: trash, attribution: .thisProcess(command: command))
        options.localStore = config.trash.localStore
        options.localStoreFolder = Self.dataHome(environment: environment) + "/sodarcache/sites"
        return options
    }

    /// Opens the store through the factory, with the registered apps of the config.
    func openStore(
        config: SodarConfig, readOnly: Bool = false, readingCommand: Bool = false, mustExist: Bool = false,
        neverMigrate: Bool = false
    ) throws -> StoreFactory.Opened {
        var options = factoryOptions(config: config)
        options.neverMigrate = neverMigrate
        options.readOnly = readOnly
        options.readingCommand = readingCommand
        options.mustExist = mustExist
        do {
            return try StoreFactory.open(location, options: options)
        } catch StoreFactoryError.noStore(let path) {
            throw CLIError.noStore(path)
        }
    }

    /// The profile's name: `--profile`, else `$SODARCACHE_PROFILE` unless `--db` names a store
    /// (an explicit store beats the environment's, as `--db` beats `$SODARCACHE_DB`).
    var profileName: String? {
        if let profile { return profile }
        if let db, !db.isEmpty { return nil }
        if let name = environment["SODARCACHE_PROFILE"], !name.isEmpty { return name }
        return nil
    }

    /// These settings with the profile applied, and the config as the profile sees it: the
    /// profile's store, `read_only` on top of `--read-only`, its tables over the top level's.
    /// Without a profile, these settings and the config as `loadConfig()` reads it.
    /// - Throws: `CLIError.usage` for `--db` with `--profile`, an unknown profile, or a profile
    ///   asked for with no config file.
    func resolved() throws -> (CommandSetup, SodarConfig) {
        if let profile, db?.isEmpty == false {
            throw CLIError.usage("--db and --profile \(profile) both name a store: give one of them")
        }
        guard let name = profileName else { return (self, try loadConfig()) }
        let via = self.profile != nil ? "--profile \(name)" : "SODARCACHE_PROFILE=\(name)"
        // The store is the profile's: the config cannot come from beside a demo store.
        let config = try SodarConfig.load(explicit: self.config, environment: environment)
        guard let path = config.path else {
            let looked = SodarConfig.resolvePath(explicit: self.config, environment: environment)
            throw CLIError.usage("\(via): no config file names profiles (looked for \(looked))")
        }
        guard let found = config.profile(named: name) else {
            let known = config.profiles.map(\.name)
            throw CLIError.usage(
                "\(via): no profile \"\(name)\" in \(path) "
                    + (known.isEmpty ? "(it has no [profiles.NAME] tables)" : "(profiles: \(known.joined(separator: ", ")))"))
        }
        var setup = self
        setup.db = found.db
        if found.readOnly && !readOnly {
            setup.readOnly = true
            setup.readOnlyReason = "profile \(found.name) is read-only (read_only = true in \(path))"
        }
        return (setup, config.applying(found))
    }

    /// Loads the config and opens the store: what most commands start with.
    /// - Parameters:
    ///   - mustExist: a missing store is an error, not a new empty file.
    ///   - readingCommand: the command never writes (`ls`, `get`, ...): the store is opened
    ///     read-only where that lets it read at once while another process holds the write
    ///     lock (opening a SQLite file for writing may have to write, and so wait). An older
    ///     schema is still upgraded, which does take the write lock, once.
    ///   - readOnly: never write (`--read-only`).
    ///   - needs: what the command does beyond reading: refused under `--read-only` before
    ///     anything is opened, and when the store's role may not do it.
    func open(
        mustExist: Bool = false, readingCommand: Bool = false, readOnly: Bool = false, needs: StoreNeed = .read,
        neverMigrate: Bool = false, command: String? = nil
    ) throws -> (CommandSetup, SodarConfig, any StoreEngine) {
        bootstrapLogging()
        if self.readOnly, let command = needs.command {
            throw CLIError.notAllowed("\(readOnlyReason): `\(command)` writes to the store; nothing was changed")
        }
        var (setup, config) = try resolved()
        setup.command = needs.command ?? command ?? self.command
        let store = try setup.opened(
            config: config, mustExist: mustExist, readingCommand: readingCommand, readOnly: readOnly, needs: needs,
            neverMigrate: neverMigrate)
        return (setup, config, store)
    }

    private func opened(
        config: SodarConfig, mustExist: Bool, readingCommand: Bool, readOnly: Bool, needs: StoreNeed, neverMigrate: Bool
    ) throws -> any StoreEngine {
        if self.readOnly, let command = needs.command {
            throw CLIError.notAllowed("\(readOnlyReason): `\(command)` writes to the store; nothing was changed")
        }
        let opened = try openStore(
            config: config, readOnly: readOnly || self.readOnly, readingCommand: readingCommand, mustExist: mustExist,
            neverMigrate: neverMigrate)
        if let created = opened.createdLocation { Self.createdStore.withLock { $0 = created } }
        let capabilities = opened.store.capabilities
        switch needs {
        case .read:
            break
        case .delete(let command):
            if let why = capabilities.whyNotDelete {
                throw CLIError.notAllowed("`\(command)` deletes, and this session may not: \(why); nothing was changed")
            }
            Self.changing.withLock { $0 = (location, factoryOptions(config: config), "delete", command) }
        case .write(let command):
            if let why = capabilities.whyNotWrite {
                throw CLIError.notAllowed("`\(command)` writes, and this session may not: \(why); nothing was changed")
            }
            Self.changing.withLock { $0 = (location, factoryOptions(config: config), "write", command) }
            // The config's history policy is applied by the command itself, once its arguments
            // are checked (`GlobalOptions.applyHistoryPolicy`): a refused command changes nothing.
        case .projects(let command, let deletes):
            let verb = deletes ? "deletes" : "writes"
            if let why = (deletes ? capabilities.whyNotDelete : capabilities.whyNotWrite) ?? capabilities.whyNotChangeProjects {
                throw CLIError.notAllowed("`\(command)` \(verb), and this session may not: \(why); nothing was changed")
            }
            Self.changing.withLock { $0 = (location, factoryOptions(config: config), deletes ? "delete" : "write", command) }
        }
        return opened.store
    }
}

/// `-p/--project UUID`, parsed with SODAR's messages and checked against the store.
struct ProjectOption: ParsableArguments {
    @Option(name: [.customShort("p"), .long], help: "Limit to the project with this UUID.")
    var project: String?

    /// The project, or nil when no `-p` was given.
    func resolve(in store: some ProjectDirectory) throws -> Project? {
        guard let project else { return nil }
        let uuid = try UUID.sodar(project)
        guard let found = try store.project(uuid: uuid) else {
            throw CacheError.projectNotFound(project)
        }
        return found
    }
}
