import ArgumentParser
import StoreOpening
import Foundation
import JSONKit
import SodarCache
import SodarCacheSync

/// `init`: creates a store. On PostgreSQL only this creates anything, and only in a database
/// that holds no tables at all.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a store: a new SQLite file, or sodarcache's schema in an empty PostgreSQL database.",
        discussion: """
            Nothing else ever creates or upgrades a store in PostgreSQL: reads, the browser and \
            writes to an existing store change no schema. init refuses a database that holds any \
            table, view or sequence (a SODAR site's database is read and written as it is, never \
            initialised).
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.schemaChange("`init` creates a store") { try StoreFactory.initialize($0, options: $1) }
    }
}

/// `migrate`: upgrades a store's schema, saying from which version to which.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Upgrade a store's schema to this sodarcache's version.",
        discussion: """
            On a PostgreSQL store shared by several hosts, hosts that still run an older sodarcache \
            cannot open it after the upgrade: upgrade them first. Other commands on a store of \
            another version change nothing and say to run this. A SODAR site's tables are never \
            migrated.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try global.schemaChange("`migrate` upgrades the store") { try StoreFactory.migrate($0, options: $1) }
    }
}

/// `remove-store`: drops sodarcache's own tables, triggers and functions from a PostgreSQL
/// database (earlier versions created them inside SODAR databases), and nothing else.
struct RemoveStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove-store", abstract: "Drop sodarcache's own tables and functions from a PostgreSQL database, and nothing else.",
        discussion: """
            Lists exactly what is sodarcache's (tables named sodarcache_schema, sodarcache_item, \
            sodarcache_project, sodarcache_totals, sodarcache_project_totals with their triggers, and \
            sodarcache's trigger functions) and asks before dropping them in one transaction, \
            without CASCADE: if anything else depends on them, nothing is dropped. SODAR's own \
            sodarcache_jsoncacheitem is never touched. The items of a sodarcache store go with it.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.bootstrapLogging()
        let (setup, config) = try global.resolved()
        if setup.readOnly { throw CLIError.notAllowed("\(setup.readOnlyReason): `remove-store` drops tables; nothing was changed") }
        let options = setup.factoryOptions(config: config)
        let objects = try StoreFactory.storeObjects(setup.location, options: options)
        guard !objects.isEmpty else {
            Console.stdout("\(setup.location) holds nothing of sodarcache's: nothing to remove\n")
            return
        }
        Console.stdout("sodarcache's objects in \(setup.location):\n" + objects.map { "  \($0)\n" }.joined())
        if !global.yes {
            guard Console.isTTY(0) else {
                throw CLIError.usage("remove-store asks before dropping: run it in a terminal, or give --yes")
            }
            let from = config.activeProfile.map { " from \(Display.escape($0.shownName))" } ?? ""
            Console.stdout("Drop these \(objects.count) objects\(from)? [y/N] ")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else {
                Console.stdout("Nothing was dropped\n")
                return
            }
        }
        let dropped = try StoreFactory.removeStoreObjects(setup.location, options: options)
        Console.stdout("Dropped \(dropped.count) objects\n")
    }
}

extension GlobalOptions {
    /// Runs a schema change (`init`, `migrate`) and prints the line it returns; refused under
    /// `--read-only`, where `what` says what it would have done.
    func schemaChange(_ what: String, _ change: (StoreLocation, StoreFactory.Options) throws -> String) throws {
        bootstrapLogging()
        if readOnly { throw CLIError.notAllowed("--read-only refuses every write: \(what); nothing was changed") }
        let (setup, config) = try resolved()
        if setup.readOnly { throw CLIError.notAllowed("\(setup.readOnlyReason): \(what); nothing was changed") }
        Console.stdout(try change(setup.location, setup.factoryOptions(config: config)) + "\n")
    }
}
