import ArgumentParser
import Foundation
import Logging
import SodarCache
import SodarCacheStore
import SodarCacheSync

/// Options every command takes: where the store and the config live.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The store file (default: $SODARCACHE_DB, else $XDG_DATA_HOME/sodarcache/cache.sqlite3).")
    var db: String?

    @Option(name: .long, help: "The config file (default: a demo store's own, else $SODARCACHE_CONFIG, else $XDG_CONFIG_HOME/sodarcache/config.toml).")
    var config: String?

    @Flag(name: .long, help: "Log debug messages too.")
    var verbose = false

    /// The plain settings these options stand for.
    var setup: CommandSetup { CommandSetup(db: db, config: config, verbose: verbose) }

    var storePath: String { setup.storePath }
    func bootstrapLogging() { setup.bootstrapLogging() }
    func loadConfig() throws -> SodarConfig { try setup.loadConfig() }
    func open(mustExist: Bool = false, readsOnly: Bool = false) throws -> (SodarConfig, SQLiteCacheStore) {
        try setup.open(mustExist: mustExist, readsOnly: readsOnly)
    }
}

/// Where the store and config are, resolved from options and the environment.
struct CommandSetup {
    var db: String?
    var config: String?
    var verbose = false

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The store path: --db, else SODARCACHE_DB, else the XDG data directory.
    var storePath: String {
        if let db, !db.isEmpty { return db }
        return Self.defaultStorePath(environment: environment)
    }

    /// The store this run created, if any: a command that then fails removes it again, so that
    /// bad input leaves nothing behind.
    static let createdStore = Locked<String?>(nil)

    /// Removes the store this run created (see `createdStore`).
    static func removeCreatedStore() {
        guard let path = createdStore.withLock({ $0 }) else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func defaultStorePath(environment: [String: String]) -> String {
        if let env = environment["SODARCACHE_DB"], !env.isEmpty { return env }
        return dataHome(environment: environment) + "/sodarcache/cache.sqlite3"
    }

    static func dataHome(environment: [String: String]) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share"
    }

    func bootstrapLogging() {
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

    /// Opens the store with the registered apps of the config.
    func openStore(config: SodarConfig, readOnly: Bool = false) throws -> SQLiteCacheStore {
        try SQLiteCacheStore(
            path: storePath, registeredApps: PluginRegistry.appNames(config: config), readOnly: readOnly,
            logger: Logger(label: "sodarcache.api"))
    }

    /// Loads the config and opens the store: what most commands start with.
    /// - Parameters:
    ///   - mustExist: a missing store is an error, not a new empty file.
    ///   - readsOnly: the command never writes (`ls`, `get`, ...): the store is opened
    ///     read-only, so that it reads at once while another process holds the write lock
    ///     (opening for writing may have to write, and so wait). An older schema is still
    ///     upgraded, which does take the write lock, once.
    func open(mustExist: Bool = false, readsOnly: Bool = false) throws -> (SodarConfig, SQLiteCacheStore) {
        bootstrapLogging()
        let config = try loadConfig()
        let path = storePath
        let existed = FileManager.default.fileExists(atPath: path)
        if mustExist && !existed {
            throw CLIError.noStore(path)
        }
        // A store nobody can write to is still readable: open it read-only instead of failing.
        // So is one in a folder SQLite cannot create its -wal/-shm files in.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let writable = !existed || (access(path, W_OK) == 0 && access(folder, W_OK) == 0)
        if readsOnly && existed {
            do {
                return (config, try openStore(config: config, readOnly: true))
            } catch CacheError.storeNeedsUpgrade(_) where writable {
                // Fall through: the writable open below upgrades it.
            }
        }
        let store = try openStore(config: config, readOnly: !writable)
        if !existed { Self.createdStore.withLock { $0 = path } }
        return (config, store)
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
