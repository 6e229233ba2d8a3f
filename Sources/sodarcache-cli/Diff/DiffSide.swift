import ArgumentParser
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel
import StoreOpening

/// What `sodarcache diff` compares the item with: exactly one of these.
///
/// The item named on the command line is the old side (`-`), this one the new side (`+`);
/// except for an earlier version of it (a revision, a trashed copy), which is the old side.
enum DiffSide: Equatable {
    /// The same app and name in another project (`--in-project UUID`).
    case project(UUID)
    /// The site-wide item of that app and name (`--in-project site`).
    case site
    /// The same item in another store (`--in-db PATH|URI`), opened read-only.
    case store(String)
    /// An earlier version of the item (`--rev K`, `sodarcache history` lists them).
    case revision(Int64)
    /// The item as a delete kept it (`--trash ID`, `sodarcache trash` lists them).
    case trash(Int64)

    /// The side the options name.
    /// - Throws: `ValidationError` for none or several, `CacheError.invalidUUID` for a bad UUID.
    init(inProject: String?, inDB: String?, rev: Int64? = nil, trash: Int64? = nil) throws {
        try Self.requireOne(inProject: inProject, inDB: inDB, rev: rev, trash: trash)
        if let inProject {
            self = inProject == "site" ? .site : .project(try UUID.sodar(inProject))
        } else if let rev {
            self = .revision(rev)
        } else if let trash {
            self = .trash(trash)
        } else {
            self = .store(inDB ?? "")
        }
    }

    /// An earlier version of the item itself: the old side of the diff.
    var isEarlier: Bool {
        switch self {
        case .revision, .trash: true
        default: false
        }
    }

    /// Exactly one side named, and not an empty one.
    /// - Throws: `ValidationError`.
    static func requireOne(inProject: String?, inDB: String?, rev: Int64? = nil, trash: Int64? = nil) throws {
        let named = [inProject != nil, inDB != nil, rev != nil, trash != nil].filter { $0 }.count
        if named == 0 {
            throw ValidationError(
                "give what to compare the item with: --in-project UUID, --in-project site, --in-db PATH|URI, --rev K or --trash ID")
        }
        if named > 1 {
            throw ValidationError("--in-project, --in-db, --rev and --trash cannot be combined: give one of them")
        }
        if let db = inDB, db.isEmpty {
            throw ValidationError("--in-db needs a store: a SQLite file or a PostgreSQL URI")
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
        case .revision(let rev):
            guard let history = store.history else {
                throw CLIError.notFound(
                    "\(store.locationDescription) keeps no history of items (a SODAR site keeps one only with a local store)")
            }
            HistoryCommand.noteUnseenWriters(history)
            guard let version = try history.version(rev: rev), let data = version.data, version.appName == app,
                version.name == name, version.project == project?.uuid
            else {
                throw CLIError.notFound("No revision \(rev) of \(app):\(name) (sodarcache history lists its revisions)")
            }
            let label = Self.label(app: app, name: name, project: project) + " at revision \(rev)"
            return DiffOperand(label: label, data: data, engine: engine)
        case .trash(let id):
            guard let trash = store.trash else { throw CLIError.notFound("\(store.locationDescription) keeps no trash") }
            guard try trash.trashEntry(id: id) != nil else {
                throw CLIError.notFound("No delete \(id) in the trash (sodarcache trash lists them)")
            }
            guard
                let kept = try trash.trashedItems(entry: id).first(where: {
                    $0.appName == app && $0.name == name && $0.project == project?.uuid
                })
            else {
                throw CLIError.notFound("Delete \(id) in the trash kept no \(app):\(name) (sodarcache trash show \(id) lists what it kept)")
            }
            let label = Self.label(app: app, name: name, project: project) + " as delete \(id) kept it"
            return DiffOperand(label: label, data: kept.data, engine: engine)
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
