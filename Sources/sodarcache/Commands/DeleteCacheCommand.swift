import ArgumentParser
import Foundation
import Logging
import SodarCache
import SodarCacheSync

/// `deletecache`: SODAR's command, plus app, age and orphan limits and a dry run.
struct DeleteCacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deletecache", abstract: "Delete cached items: all, or limited by project, app and age.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @Flag(help: "Only the site-wide items.") var site = false
    @Option(name: [.customShort("a"), .long], help: "Only this app's items.") var app: String?
    @Option(name: .customLong("older-than"), help: "Only items last written longer ago than this (90s, 30m, 12h, 7d, 2w).")
    var olderThan: String?
    @Flag(help: "Only items whose app is no longer registered.") var orphans = false
    @Flag(name: .customLong("dry-run"), help: "List what would be deleted; delete nothing.") var dryRun = false

    func validate() throws {
        if site && projectOption.project != nil { throw ValidationError("-p and --site cannot be combined") }
        if orphans && app != nil { throw ValidationError("--orphans and --app cannot be combined") }
    }

    func run() throws {
        let age = try olderThan.map(DurationParser.seconds)
        let (_, store) = try global.open(mustExist: true)
        let logger = Logger(label: "sodarcache.deletecache")
        let project = try projectOption.resolve(in: store)
        if let app, !store.registeredApps.contains(app) {
            throw CacheError.unknownApp(app, known: store.registeredApps)
        }
        let scope: CacheFilter.Scope = site ? .site : project.map { .project($0.uuid) } ?? .all
        let filter = CacheFilter(
            scope: scope, appName: app, olderThan: age.map { Date().addingTimeInterval(-$0) },
            appNotIn: orphans ? Swift.Set(store.registeredApps) : nil)
        let whereText = project.map { "from project \"\($0.title)\" (\($0.uuid.sodarString))" }
            ?? (site ? "from site-wide items" : "from all projects")

        if dryRun {
            let counts = try store.countItems(matching: filter)
            let total = counts.values.reduce(0, +)
            let out = OutputBuffer()
            var after: ItemSummary?
            while true {
                let page = try store.items(matching: filter, after: after, limit: 1000)
                for item in page {
                    out.write("\(item.project?.sodarString ?? "(site-wide)")\t\(item.appName)\t\(ListCommand.tsvField(item.name))\n")
                }
                guard let last = page.last, page.count == 1000 else { break }
                after = last
            }
            out.flush()
            logger.info("Would delete \(total) cached data item(s) \(whereText)\(Self.perApp(counts)) (dry run)")
            return
        }
        let counts = orphans ? try store.countItems(matching: filter) : [:]
        let deleted = try store.deleteItems(matching: filter)
        if deleted == 0 {
            logger.info("No cached data found")
        } else {
            logger.info("Deleted \(deleted) cached data item(s) \(whereText)\(Self.perApp(counts))")
        }
    }

    static func perApp(_ counts: [String: Int]) -> String {
        guard !counts.isEmpty else { return "" }
        return ": " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
