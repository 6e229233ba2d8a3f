import ArgumentParser
import Foundation

/// `sodarcache`: SODAR Cache's management commands and a terminal browser over one store.
@main
struct SodarCacheCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sodarcache",
        abstract: "Browse and manage a SODAR cache store.",
        discussion: """
            Without a command, opens the terminal browser on the store. The store is --db, \
            else $SODARCACHE_DB, else $XDG_DATA_HOME/sodarcache/cache.sqlite3.
            """,
        subcommands: [
            BrowseCommand.self, DemoCommand.self, SyncCacheCommand.self, DeleteCacheCommand.self,
            ProjectCommand.self, SetCommand.self, GetCommand.self, UpdateTimeCommand.self,
            DeleteCommand.self, ListCommand.self, AppsCommand.self,
        ],
        defaultSubcommand: BrowseCommand.self)
}
