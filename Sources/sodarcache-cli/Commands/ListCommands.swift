import ArgumentParser
import Foundation
import JSONKit
import SodarCache
import SodarCacheSync
import StoreKernel

/// `ls [-p UUID | --site] [-a APP] [--json]`: items with their update times.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List cached items with their update times.",
        discussion: """
            The time is when the item was last written, except on a SODAR site's tables: SODAR \
            sets date_modified when it creates an item and never moves it on a rewrite, so there \
            the time is the creation time, or, where the server keeps commit timestamps \
            (track_commit_timestamp = on), the commit time of the last write. --json says which \
            in each object's "age" field (last_write, creation, commit_time).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @Flag(help: "Only the site-wide items (no project).") var site = false
    @Option(name: [.customShort("a"), .long], help: "Only this app's items.") var app: String?
    @Flag(help: "Print a JSON array, one object per item.") var json = false
    @Flag(help: "With -p CATEGORY: the items of every project beneath the category too.") var subtree = false

    func validate() throws {
        if site && projectOption.project != nil { throw ValidationError("-p and --site cannot be combined") }
        if subtree && projectOption.project == nil { throw ValidationError("--subtree needs -p CATEGORY") }
    }

    func run() throws {
        let (_, store) = try global.open(mustExist: true, readingCommand: true)
        let project = try projectOption.resolve(in: store)
        // An app no longer registered still has its items listed (only writes need registration);
        // one with no items at all is most likely a typo.
        if let app, !store.registeredApps.contains(app),
            try store.countItems(matching: CacheFilter(appName: app)).isEmpty
        {
            throw CacheError.unknownApp(app, known: store.registeredApps)
        }
        let scope: CacheFilter.Scope = site ? .site : project.map { .project($0.uuid) } ?? .all
        let filter = CacheFilter(scope: scope, appName: app)
        // --subtree: the category, then each project beneath it, in tree order.
        let scopes: [CacheFilter] = if subtree, let project, project.type == .category {
            ProjectTree.subtree(of: project.uuid, in: try store.allProjects()).map { CacheFilter(scope: .project($0), appName: app) }
        } else {
            [filter]
        }
        var titles: [UUID: String] = [:]
        let out = OutputBuffer()
        if json { out.write("[") }
        var first = true
        let ages = store.itemAges.rawValue
        // One snapshot however long the output takes: a delete meanwhile never halves the list.
        for filter in scopes { try store.forEachItemPage(matching: filter, pageSize: 1000) { page in
            for item in page {
                if json {
                    out.write(first ? "\n  " : ",\n  ")
                    out.writeJSON(JSONText.object([
                        ("project", JSONText.string(item.project?.sodarString)),
                        ("app_name", JSONText.string(item.appName)),
                        ("name", JSONText.string(item.name)),
                        ("date_modified", JSONText.string(JSONText.date(item.dateModified))),
                        ("user", JSONText.string(item.user)),
                        ("size", String(item.size)),
                        ("age", JSONText.string(ages)),
                    ]))
                } else {
                    let where_: String
                    if let uuid = item.project {
                        if titles[uuid] == nil { titles[uuid] = try store.project(uuid: uuid)?.fullTitle ?? uuid.sodarString }
                        where_ = titles[uuid] ?? uuid.sodarString
                    } else {
                        where_ = "(site-wide)"
                    }
                    let fields = [
                        JSONText.date(item.dateModified), String(item.size), where_, item.appName, item.name,
                        item.user ?? "-",
                    ]
                    out.write(fields.map(Self.tsvField).joined(separator: "\t") + "\n")
                }
                first = false
            }
        } }
        if json { out.write(first ? "]\n" : "\n]\n") }
        out.flush()
    }

    /// Names and titles come from users: control characters (tabs and newlines included, which
    /// would break the columns) are shown escaped.
    static func tsvField(_ text: String) -> String { Display.escape(text) }
}

/// `apps`: the registered apps.
struct AppsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps", abstract: "List the registered apps (built-in and from the config).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.bootstrapLogging()
        let (setup, config) = try global.resolved()
        let plugins = PluginRegistry.plugins(config: config)
        let byName = Dictionary(plugins.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let declared = Dictionary(config.apps.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let out = OutputBuffer()
        for name in PluginRegistry.appNames(config: config) {
            let source: String
            if let app = declared[name] {
                source = app.command == nil ? "set only" : "command, \(app.scope.rawValue)"
            } else {
                source = "built-in, \(byName[name]?.scope.rawValue ?? "project")"
            }
            let title = byName[name]?.title ?? declared[name]?.title ?? name
            out.write("\(name)\t\(title)\t\(source)\n")
        }
        // On a SODAR site, the apps SODAR has installed: never orphans, written only when the
        // config registers them.
        if let store = (try? setup.openStore(config: config, readingCommand: true, mustExist: true))?.store {
            do {
                if let installed = try store.installedApps() {
                    let known = Set(PluginRegistry.appNames(config: config))
                    // Each plugin's own app (`landingzones` for `landingzones.plugins.ProjectAppPlugin`),
                    // not every prefix that also counts as installed.
                    func isOwn(_ app: String, _ path: String) -> Bool {
                        let rest = path.dropFirst(app.count + 1).split(separator: ".")
                        return !app.hasSuffix(".plugins") && (rest.count == 1 || (rest.count == 2 && rest[0] == "plugins"))
                    }
                    for (app, path) in installed.sorted(by: { $0.key < $1.key }) where !known.contains(app) && isOwn(app, path) {
                        out.write("\(app)\t\(app)\tinstalled on the SODAR site (plugin registry: \(path)); not writable without the config\n")
                    }
                }
            } catch {
                out.flush()
                Console.stderr("Error: " + Display.escape("\(error)") + "\n")
                throw ExitCode(1)
            }
            try? store.close()
        }
        out.flush()
    }
}
