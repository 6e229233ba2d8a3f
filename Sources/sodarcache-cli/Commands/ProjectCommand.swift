import ArgumentParser
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel

extension Project.Kind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

/// `project add|set|list|import|delete`: the project tree the cache belongs to.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Manage the projects and categories items belong to.",
        subcommands: [Add.self, Set.self, List.self, Import.self, Delete.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a project or category; prints its UUID.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The title.") var title: String
        @Option(help: "CATEGORY or PROJECT.") var type: Project.Kind = .project
        @Option(help: "The UUID of the parent category.") var parent: String?
        @Option(help: "Use this UUID instead of a new one.") var uuid: String?
        @Option(help: "A description.") var description = ""
        @Option(help: "A directory whose files sync sources may read.") var path: String?

        func run() throws {
            try checkTitle(title)
            let (_, store) = try global.open(needs: .projects("project add", deletes: false))
            let project = Project(
                uuid: try uuid.map(UUID.sodar) ?? UUID(), title: title, type: type,
                parent: try parent.map(UUID.sodar), description: description,
                path: path.flatMap { $0.isEmpty ? nil : absolutePath($0) })
            let added = try store.addProject(project)
            Console.stdout(added.uuid.sodarString + "\n")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a project's fields.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project's UUID.") var uuid: String
        @Option(help: "A new title.") var title: String?
        @Option(help: "CATEGORY or PROJECT.") var type: Project.Kind?
        @Option(help: "The UUID of a new parent category (\"none\" for top level).") var parent: String?
        @Option(help: "A new description.") var description: String?
        @Option(help: "A directory whose files sync sources may read (\"\" to clear).") var path: String?

        func run() throws {
            if let title { try checkTitle(title) }
            let (_, store) = try global.open(mustExist: true, needs: .projects("project set", deletes: false))
            let id = try UUID.sodar(uuid)
            guard var project = try store.project(uuid: id) else { throw CacheError.projectNotFound(uuid) }
            if let title { project.title = title }
            if let type { project.type = type }
            if let parent { project.parent = parent.lowercased() == "none" ? nil : try UUID.sodar(parent) }
            if let description { project.description = description }
            if let path { project.path = path.isEmpty ? nil : absolutePath(path) }
            try store.updateProject(project)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List projects in tree order.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON array in SODAR's REST form.") var json = false

        func run() throws {
            let (_, store) = try global.open(mustExist: true, readingCommand: true)
            let projects = try store.allProjects()
            let out = OutputBuffer()
            if json {
                let records = projects.map { project in
                    JSONText.object([
                        ("sodar_uuid", JSONText.string(project.uuid.sodarString)),
                        ("title", JSONText.string(project.title)),
                        ("type", JSONText.string(project.type.rawValue)),
                        ("parent", JSONText.string(project.parent?.sodarString)),
                        ("description", JSONText.string(project.description)),
                        ("full_title", JSONText.string(project.fullTitle)),
                        ("path", JSONText.string(project.path)),
                    ])
                }
                out.writeJSON(records.isEmpty ? "[]\n" : "[\n  " + records.joined(separator: ",\n  ") + "\n]\n")
            } else {
                for project in projects {
                    out.write("\(project.uuid.sodarString)\t\(project.type.rawValue)\t\(ListCommand.tsvField(project.fullTitle))\n")
                }
            }
            out.flush()
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update projects from SODAR REST project lists (JSON), in one transaction.",
            discussion: """
                Give every page of a paginated response at once; a page whose "next" is set is refused \
                without the later pages. Fields a record does not mention keep their stored values.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The JSON files (\"-\" for stdin).") var files: [String]

        func validate() throws {
            if files.isEmpty { throw ValidationError("Missing a JSON file to import (\"-\" for stdin)") }
            if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("stdin (\"-\") can be read only once") }
        }

        func run() throws {
            var pages: [ProjectImport.Page] = []
            for file in files {
                let data: Data
                if file == "-" {
                    data = try FileReading.readStandardInput()
                } else {
                    data = try FileReading.read(file)
                }
                pages.append(try ProjectImport.parse(data, file: file == "-" ? "(stdin)" : file))
            }
            let records = try ProjectImport.combine(pages)
            let (_, store) = try global.open(needs: .projects("project import", deletes: false))
            let projects = try ProjectImport.resolve(records) { try store.project(uuid: $0) }
            let result = try store.importProjects(projects)
            let noun = projects.count == 1 ? "project" : "projects"
            Console.stdout("Imported \(projects.count) \(noun): \(result.created) created, \(result.updated) updated\n")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a project (refused while it has cached items, unless --with-items).",
            discussion: "A category with child projects is refused. Everything happens in one transaction.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project's UUID.") var uuid: String
        @Flag(name: .customLong("with-items"), help: "Delete the project's cached items too.") var withItems = false

        func run() throws {
            let id = try UUID.sodar(uuid)
            let needs = StoreNeed.projects("project delete", deletes: true)
            var (config, store) = try global.open(mustExist: true, needs: needs)
            if withItems {
                let opened = store
                store = try global.checkTrashFits(
                    {
                        var total: Int64 = 0
                        try opened.forEachItemPage(matching: CacheFilter(scope: .project(id)), pageSize: 1000) { page in
                            total += page.reduce(0) { $0 + Int64($1.size) }
                        }
                        return total
                    }, store: store, config: config, command: "project delete", needs: needs)
            }
            if global.mustConfirm(config), let project = try store.project(uuid: id) {
                let items = try store.countItems(matching: CacheFilter(scope: .project(id))).values.reduce(0, +)
                let title = config.activeProfile?.shownName ?? ""
                let what = "project \"\(project.fullTitle)\"" + (withItems && items > 0 ? " and its \(GlobalOptions.counted(items, "item"))" : "")
                try global.confirm("Delete \(what) from \(title)?", config: config, command: "project delete")
            }
            let deleted = try store.deleteProject(uuid: id, withItems: withItems)
            if deleted > 0 { Console.stderr("Deleted project \(id.sodarString) and its \(deleted) cached item\(deleted == 1 ? "" : "s")\n") }
            TrashCommand.sayKept(by: store, config: config)
        }
    }
}

/// A usage mistake for an empty or whitespace-only title (before any store is opened).
func checkTitle(_ title: String) throws {
    if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        throw CLIError.usage(title.isEmpty ? "The title is empty" : "The title \"\(title)\" is only whitespace")
    }
}

/// Paths are stored absolute and clean (`./liver/` is `/cwd/liver`): sync runs may start from
/// another directory, and the stored path is shown to users.
func absolutePath(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var parts: [Substring] = []
    for part in absolute.split(separator: "/") {
        switch part {
        case ".": continue
        case "..": if !parts.isEmpty { parts.removeLast() }
        default: parts.append(part)
        }
    }
    return "/" + parts.joined(separator: "/")
}
