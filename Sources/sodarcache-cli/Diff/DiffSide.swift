import ArgumentParser
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel
import StoreOpening

/// What `sodarcache diff` compares the item with: exactly one of these.
///
/// The item named on the command line is the old side (`-`), this one the new side (`+`).
/// More to come: a revision of the item's history and a trashed copy.
enum DiffSide: Equatable {
    /// The same app and name in another project (`--in-project UUID`).
    case project(UUID)
    /// The site-wide item of that app and name (`--in-project site`).
    case site
    /// The same item in another store (`--in-db PATH|URI`), opened read-only.
    case store(String)

    /// The side the options name.
    /// - Throws: `ValidationError` for none or several, `CacheError.invalidUUID` for a bad UUID.
    init(inProject: String?, inDB: String?) throws {
        try Self.requireOne(inProject: inProject, inDB: inDB)
        if let inProject {
            self = inProject == "site" ? .site : .project(try UUID.sodar(inProject))
        } else {
            self = .store(inDB ?? "")
        }
    }

    /// Exactly one side named, and not an empty one.
    /// - Throws: `ValidationError`.
    static func requireOne(inProject: String?, inDB: String?) throws {
        switch (inProject, inDB) {
        case (nil, nil):
            throw ValidationError("give what to compare the item with: --in-project UUID, --in-project site or --in-db PATH|URI")
        case (.some, .some):
            throw ValidationError("--in-project and --in-db cannot be combined: give one of them")
        case (nil, let db?) where db.isEmpty:
            throw ValidationError("--in-db needs a store: a SQLite file or a PostgreSQL URI")
        default:
            break
        }
    }

    /// Reads this side's payload of the item `app`/`name` of `project` (nil: site-wide) in
    /// `store`, the store the command opened.
    /// - Throws: a not-found error naming what is missing, or the other store's error.
    func load(
        app: String, name: String, project: Project?, store: any StoreEngine, setup: CommandSetup, config: SodarConfig
    ) throws -> DiffOperand {
        let engine = StoreFactory.engine(of: store)
        switch self {
        case .project(let uuid):
            guard let other = try store.project(uuid: uuid) else { throw CacheError.projectNotFound(uuid.sodarString) }
            let item = try Self.item(app: app, name: name, project: other, in: store, where: nil)
            return DiffOperand(label: Self.label(app: app, name: name, project: other), data: item.data, engine: engine)
        case .site:
            let item = try Self.item(app: app, name: name, project: nil, in: store, where: nil)
            return DiffOperand(label: Self.label(app: app, name: name, project: nil), data: item.data, engine: engine)
        case .store(let location):
            var other = setup
            other.db = location
            other.readOnly = true
            let opened = try other.openStore(config: config, readOnly: true, readingCommand: true, mustExist: true)
            defer { try? opened.store.close() }
            let shown = opened.location.description
            var otherProject: Project?
            if let project {
                guard let found = try opened.store.project(uuid: project.uuid) else {
                    throw CLIError.notFound("No project \(project.uuid.sodarString) in \(shown)")
                }
                otherProject = found
            }
            let item = try Self.item(app: app, name: name, project: otherProject, in: opened.store, where: shown)
            let label = Self.label(app: app, name: name, project: otherProject) + " in " + shown
            return DiffOperand(label: label, data: item.data, engine: StoreFactory.engine(of: opened.store))
        }
    }

    /// The item, or an error that names it (and the store, when it is another one).
    static func item(app: String, name: String, project: Project?, in store: any StoreEngine, where location: String?) throws -> CacheItem {
        guard let item = try store.getCacheItem(appName: app, name: name, project: project?.uuid) else {
            let missing = CacheError.itemNotFound(app: app, name: name, project: project?.uuid)
            guard let location else { throw missing }
            throw CLIError.notFound("\(missing.description) in \(location)")
        }
        return item
    }

    /// "samplesheets study in project UUID (Title)", or "... (site-wide)".
    static func label(app: String, name: String, project: Project?) -> String {
        let scope = project.map { "in project \($0.uuid.sodarString) (\($0.title))" } ?? "(site-wide)"
        return "\(app) \(name) \(scope)"
    }
}
