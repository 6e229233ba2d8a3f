import ArgumentParser
import Foundation
import StoreOpening
import JSONKit
import SodarCache
import SodarCacheSync

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
        version: VersionText.line,
        subcommands: [
            BrowseCommand.self, DemoCommand.self, SyncCacheCommand.self, DeleteCacheCommand.self,
            ProjectCommand.self, SetCommand.self, GetCommand.self, DiffCommand.self, UpdateTimeCommand.self,
            DeleteCommand.self, ListCommand.self, AppsCommand.self, VacuumCommand.self, DoctorCommand.self,
            MetricsCommand.self,
            InitCommand.self, MigrateCommand.self, RemoveStoreCommand.self, TrashCommand.self, HistoryCommand.self, LogCommand.self,
            ProfilesCommand.self,
        ],
        defaultSubcommand: BrowseCommand.self)

    /// Runs the command; our own errors print as one escaped line (they may quote names and
    /// titles from the store or the command line, which must not reach a terminal raw).
    static func main() {
        // Taken out of the environment while the process is single-threaded, so that libpq
        // never sends it (PgBouncer refuses it): the store applies it after connecting.
        PostgresEnvironment.claim()
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            if let mistake = negativeValue(in: arguments) { throw mistake }
            var command = try parseAsRoot(globalOptionsMoved(arguments))
            try command.run()
        } catch let error where FileErrorText.message(for: error) != nil {
            CommandSetup.recordFailure(FileErrorText.message(for: error) ?? "")
            CommandSetup.removeCreatedStore()
            Console.stderr("Error: " + Display.escape(FileErrorText.message(for: error) ?? "") + "\n")
            Foundation.exit(1)
        } catch let error as CustomStringConvertible & Error where isOurs(error) {
            // A command's arguments and output may carry a password: the trail gets its kind.
            CommandSetup.recordFailure((error as? SyncError)?.withoutCommandText ?? error.description)
            CommandSetup.removeCreatedStore()
            Console.stderr("Error: " + Display.escape(error.description) + "\n")
            Foundation.exit(isUsageMistake(error) ? 64 : 1)
        } catch {
            let code = exitCode(for: error)
            guard code != .success, !(error is ExitCode) else { exit(withError: error) }
            // Usage mistakes too: one line naming the problem, not the whole usage text.
            CommandSetup.removeCreatedStore()
            Console.stderr("Error: " + Display.escape(message(for: error)) + " (see --help)\n")
            Foundation.exit(code.rawValue)
        }
    }

    /// `sodarcache --db X ls` means `sodarcache ls --db X`: the options every command takes
    /// may come before the command's name (ArgumentParser reads them only after it).
    static func globalOptionsMoved(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--db" || argument == "--config" || argument == "--profile", index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else if argument.hasPrefix("--db=") || argument.hasPrefix("--config=") || argument.hasPrefix("--profile=")
                || argument == "--verbose" || argument == "--read-only" || argument == "--no-trash" || argument == "--yes"
            {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, index < arguments.count, !arguments[index].hasPrefix("-") else { return arguments }
        return Array(arguments[index...]) + leading
    }

    /// `--older-than -5d`: ArgumentParser reads `-5d` as an option and reports a missing value.
    /// Say what is wrong instead.
    static func negativeValue(in arguments: [String]) -> CLIError? {
        for (option, value) in zip(arguments, arguments.dropFirst()) {
            guard value.count > 1, value.hasPrefix("-"), value.dropFirst().first.map({ $0.isNumber || $0 == "." }) == true
            else { continue }
            switch option {
            case "--older-than", "--stale-after": return .badDuration(value, negative: true)
            case "--jobs": return .usage("--jobs must be at least 1, got \(value)")
            default: continue
            }
        }
        return nil
    }

    /// Errors that mean the command line was wrong, not that the command failed: EX_USAGE.
    static func isUsageMistake(_ error: any Error) -> Bool {
        if let error = error as? CLIError { return error.isUsage }
        if case .invalidUUID = error as? CacheError { return true }
        return false
    }

    /// Runs the work of a command that answers as diff(1) does (1: different, or would change):
    /// a usage mistake propagates; any other trouble is said on stderr and exits with diff(1)'s
    /// status for trouble, 2.
    static func troubleExitsTwo<Result>(_ work: () throws -> Result) throws -> Result {
        do {
            return try work()
        } catch let error where error is ValidationError || isUsageMistake(error) {
            throw error
        } catch {
            let message = FileErrorText.message(for: error) ?? String(describing: error)
            Console.stderr("Error: " + Display.escape(message) + "\n")
            throw ExitCode(2)
        }
    }

    private static func isOurs(_ error: any Error) -> Bool {
        !(error is ExitCode || error is CleanExit || error is ValidationError)
            && String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") == false
    }
}
