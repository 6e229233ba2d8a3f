import ArgumentParser
import Foundation
import SodarCache
import SodarCacheSync

extension Project.Kind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

/// `project add|set|list|import`: the project tree the cache belongs to.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Manage the projects and categories items belong to.",
        subcommands: [Add.self, Set.self, List.self, Import.self])

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
            let (_, store) = try global.open()
            let project = Project(
                uuid: try uuid.map(UUID.sodar) ?? UUID(), title: title, type: type,
                parent: try parent.map(UUID.sodar), description: description, path: path.map(absolutePath))
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
            let (_, store) = try global.open(mustExist: true)
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
            let (_, store) = try global.open(mustExist: true, readsOnly: true)
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
                out.write(records.isEmpty ? "[]\n" : "[\n  " + records.joined(separator: ",\n  ") + "\n]\n")
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
            abstract: "Create or update projects from a SODAR REST project list (JSON).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The JSON file (\"-\" for stdin).") var file: String

        func run() throws {
            let data: Data
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                    throw CLIError.unreadableFile(file, (error as NSError).localizedDescription)
                }
            }
            let projects = try ProjectImport.parse(data)
            let (_, store) = try global.open()
            try ProjectImport.checkParents(projects) { try store.project(uuid: $0) }
            let result = try store.importProjects(projects)
            Console.stdout("Imported \(projects.count) project(s): \(result.created) created, \(result.updated) updated\n")
        }
    }
}

/// Paths are stored absolute: sync runs may start from another directory.
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    return FileManager.default.currentDirectoryPath + "/" + path
}
