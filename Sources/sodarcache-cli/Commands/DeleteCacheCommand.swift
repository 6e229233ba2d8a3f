import ArgumentParser
import Foundation
import Logging
import SodarCache
import SodarCacheSync
import StoreKernel

/// `deletecache`: SODAR's command, plus app, age and orphan limits and a dry run.
struct DeleteCacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deletecache", abstract: "Delete cached items: all, or limited by project, app and age.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @Flag(help: "Only the site-wide items.") var site = false
    @Option(name: [.customShort("a"), .long], help: "Only this app's items.") var app: String?
    @Option(name: .customLong("older-than"), help: "Only items last written longer ago than this (90s, 30m, 12h, 7d, 2w). On a SODAR site: by commit time where the server keeps it (track_commit_timestamp), else refused without --by-creation-time.")
    var olderThan: String?
    @Flag(help: "Only items whose app is no longer registered or whose project is gone (needs a config).")
    var orphans = false
    @Flag(name: .customLong("dry-run"), help: "List what would be deleted; delete nothing. A dry run and the real run are two runs: the real one deletes what matches when it runs.") var dryRun = false
    @Flag(name: .customLong("by-creation-time"), help: "With --older-than on a SODAR site whose server keeps no commit timestamps: delete by creation time (SODAR never moves date_modified on a rewrite).")
    var byCreationTime = false
    @Flag(help: "With -p CATEGORY: every project beneath the category too (without it, as in SODAR, only the category's own items).")
    var subtree = false

    func validate() throws {
        if site && projectOption.project != nil { throw ValidationError("-p and --site cannot be combined") }
        if subtree && projectOption.project == nil { throw ValidationError("--subtree needs -p CATEGORY") }
    }

    func run() throws {
        let age = try olderThan.map(DurationParser.seconds)
        var (config, store) = try global.open(mustExist: true, readingCommand: dryRun, needs: dryRun ? .read : .delete("deletecache"))
        _ = try projectOption.resolve(in: store)
        if olderThan != nil && !store.itemAges.knowsLastWrite && !byCreationTime {
            throw CLIError.notAllowed(
                "--older-than: on this SODAR site an item's time is its creation (SODAR never moves date_modified on a rewrite "
                    + "and the server keeps no commit timestamps), so items rewritten since would go too; give --by-creation-time "
                    + "to delete by creation time; nothing was deleted")
        }
        var request = DeleteCacheRequest(
            project: try projectOption.project.map(UUID.sodar), site: site, app: app,
            olderThan: age.map { Date().addingTimeInterval(-$0) }, orphans: orphans, dryRun: dryRun)
        request.subtree = subtree
        let configFound = config.path != nil
        // Everything the real run would refuse is refused before a dry run lists anything.
        try DeleteCache.check(request, store: store, registeredApps: store.registeredApps, configFound: configFound)
        if dryRun {
            if orphans, let installed = try store.installedApps() {
                // Which of SODAR's registry rows keep which apps from being orphans.
                let present = try store.countItems(matching: CacheFilter(scope: request.filter(registeredApps: []).scope))
                let kept = installed.filter { present[$0.key] != nil && !store.registeredApps.contains($0.key) }
                let errors = Logger(label: "sodarcache.deletecache")
                for (app, path) in kept.sorted(by: { $0.key < $1.key }) {
                    errors.info("Not an orphan: \(app) is installed on the SODAR site (plugin registry: \(path))")
                }
            }
            try listMatches(request, store: store)
        }
        if !dryRun {
            let opened = store
            store = try global.checkTrashFits(
                { try DeleteCache.bytes(request, store: opened, registeredApps: opened.registeredApps) }, store: store, config: config,
                command: "deletecache", needs: .delete("deletecache"))
        }
        if !dryRun && global.mustConfirm(config) {
            var count = request
            count.dryRun = true
            let matching = try DeleteCache.run(count, store: store, registeredApps: store.registeredApps, configFound: configFound).count
            if matching > 0 {
                let title = config.activeProfile?.shownName ?? ""
                try global.confirm(
                    "Delete \(GlobalOptions.counted(matching, "item")) from \(title)?", config: config, command: "deletecache")
            }
        }
        let report = try DeleteCache.run(
            request, store: store, registeredApps: store.registeredApps, configFound: configFound)
        let logger = Logger(label: "sodarcache.deletecache")
        for line in report.lines { logger.info("\(line)") }
        if !dryRun { TrashCommand.sayKept(by: store, config: config) }
    }

    /// A dry run lists what it would delete on stdout.
    private func listMatches(_ request: DeleteCacheRequest, store: any StoreEngine) throws {
        let filter = request.filter(registeredApps: store.registeredApps)
        let out = OutputBuffer()
        func write(_ page: [ItemSummary]) {
            for item in page {
                out.write("\(item.project?.sodarString ?? "(site-wide)")\t\(item.appName)\t\(ListCommand.tsvField(item.name))\n")
            }
        }
        if request.subtree, let uuid = request.project, let category = try store.project(uuid: uuid), category.type == .category {
            write(try DeleteCache.subtreeItems(of: category, filter: filter, store: store).items)
        } else {
            // One snapshot, as ls lists.
            try store.forEachItemPage(matching: filter, pageSize: 1000) { write($0) }
        }
        out.flush()
    }
}
