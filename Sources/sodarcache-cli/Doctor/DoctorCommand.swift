import ArgumentParser
import Foundation
import JSONKit
import SodarCache
import SodarCacheSync
import StoreKernel

/// `doctor [-p UUID [--subtree]] [-a APP] [--json]`: the store's health, with the exit statuses
/// monitoring plugins report with.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the store: stale, cleared, oversized, orphaned, duplicate and missing items.",
        discussion: """
            One pass over the store, reported per app and project. Stale: older than [doctor] \
            stale (default 30d), by what an item's time means on the store (on a SODAR site \
            without commit timestamps: its creation, and the output says so). Cleared: a payload \
            of {}, [] or null. Oversized: larger than [doctor] oversized (default 50MB). Orphans: \
            as deletecache --orphans finds them (needs a config). Duplicates: site-wide items of \
            one app and name stored twice (SODAR's unique constraint lets them through). Missing: \
            projects without an item the config expects ([apps.NAME] expect = ["irods/stats"]).

            Exit status, as monitoring plugins (Nagios, Icinga) report: 0 nothing found, 1 \
            warnings only, 2 a finding of a kind [doctor] critical names (default: missing, \
            duplicates), 3 the store could not be checked; 64 a usage mistake. The first line \
            is a plugin's status line with performance data.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @Flag(help: "With -p CATEGORY: every project beneath the category too.") var subtree = false
    @Option(name: [.customShort("a"), .long], help: "Only this app's items.") var app: String?
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        if subtree && projectOption.project == nil { throw ValidationError("--subtree needs -p CATEGORY") }
    }

    func run() throws {
        // A UUID that is not one is a usage mistake before anything is opened.
        let uuid = try projectOption.project.map(UUID.sodar)
        do {
            let (setup, config, store) = try global.session(mustExist: true, readingCommand: true)
            // The store the session checks: a profile's, not `global.setup`'s (the settings
            // before the profile is applied, which name the default store).
            let location = setup.location.description
            let project = try projectOption.resolve(in: store)
            // An unregistered app with no items at all is most likely a typo, as in `ls`.
            if let app, !store.registeredApps.contains(app),
                try store.countItems(matching: CacheFilter(appName: app)).isEmpty
            {
                throw CLIError.usage(CacheError.unknownApp(app, known: store.registeredApps).description)
            }
            let report = try Doctor.examine(
                store, scope: DoctorScope(project: project?.uuid ?? uuid, subtree: subtree, app: app),
                settings: config.doctorSettings, registeredApps: config.path != nil ? Set(store.registeredApps) : nil)
            try? store.close()
            let out = OutputBuffer()
            if json {
                out.writeJSON(DoctorOutput.json(report, store: location))
            } else {
                out.write(DoctorOutput.table(report, store: location))
            }
            out.flush()
            if report.status != .ok { throw ExitCode(report.status.rawValue) }
        } catch let error as ExitCode {
            throw error
        } catch let error as CLIError where error.isUsage {
            throw error
        } catch CacheError.projectNotFound(let text) {
            // A -p that names no project is the command line's mistake, not the store's.
            throw CLIError.usage(CacheError.projectNotFound(text).description)
        } catch {
            // Could not check: the store or the config. One line on stderr as every command
            // says it, and the plugin's status line on stdout, which is what monitoring shows.
            // The store the profile names, when the config could be read.
            let location = ((try? global.resolved())?.0 ?? global.setup).location.description
            let message = Display.escape(FileErrorText.message(for: error) ?? "\(error)")
                .split(whereSeparator: \.isNewline).joined(separator: " ")
            Console.stdout(json ? DoctorOutput.unknownJSON(message, store: location) : "DOCTOR UNKNOWN - could not check: \(message)\n")
            Console.stderr("Error: \(message)\n")
            throw ExitCode(DoctorStatus.unknown.rawValue)
        }
    }
}
