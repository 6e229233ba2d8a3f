import Foundation
import SodarCache
import StoreKernel

/// One delete kept in a memory store's trash.
struct TrashedDelete: Sendable {
    var id: Int64
    var at: Date
    var attribution: ChangeAttribution
    var items: [TrashedItem]

    var entry: TrashEntry {
        TrashEntry(
            id: id, deletedAt: at, osUser: attribution.osUser, role: nil, host: attribution.host,
            command: attribution.command, items: items.count, bytes: Int64(items.reduce(0) { $0 + $1.data.count }),
            apps: Array(Set(items.map(\.appName))).sorted(),
            projects: Set(items.map { $0.project?.uuidString ?? "" }).count)
    }
}

extension MemoryCacheStore: TrashKeeping {
    public var trash: (any TrashKeeping)? { self }

    public var deletesThisSession: [Int64] { sessionDeletes.withLock { $0 } }

    public func trashEntries(limit: Int) throws -> [TrashEntry] {
        shared.state.withLock { state in
            state.trash.values.sorted { $0.id > $1.id }.prefix(max(0, limit)).map(\.entry)
        }
    }

    public func trashEntry(id: Int64) throws -> TrashEntry? {
        shared.state.withLock { $0.trash[id]?.entry }
    }

    public func trashedItems(entry: Int64) throws -> [TrashedItem] {
        shared.state.withLock { state in Self.ordered(state.trash[entry]?.items ?? []) }
    }

    /// Trashed items in (project, app, name) order.
    static func ordered(_ items: [TrashedItem]) -> [TrashedItem] {
        items.sorted {
            ($0.project?.uuidString ?? "", $0.appName, $0.name) < ($1.project?.uuidString ?? "", $1.appName, $1.name)
        }
    }

    public func trashedCopies(appName: String, name: String, project: UUID?) throws -> [TrashedCopy] {
        shared.state.withLock { state in
            state.trash.values.sorted { $0.id > $1.id }.flatMap { delete in
                delete.items.filter { $0.appName == appName && $0.name == name && $0.project == project }.map { item in
                    TrashedCopy(
                        entry: delete.id, deletedAt: delete.at, osUser: delete.attribution.osUser, role: nil,
                        command: delete.attribution.command, uuid: item.uuid, user: item.user, dateModified: item.dateModified,
                        size: item.data.count)
                }
            }
        }
    }

    public func trashedItem(entry: Int64, uuid: UUID) throws -> TrashedItem? {
        shared.state.withLock { state in state.trash[entry]?.items.first { $0.uuid == uuid } }
    }

    public func restore(entries: [Int64]) throws -> RestoreReport {
        let (report, emptied) = try write(audit: { .restored($0.report, entries: entries) }) { state -> (report: RestoreReport, emptied: Set<Int64>) in
            let steps = RestoreSteps(state: state)
            let result = try TrashRestore.run(entries, steps)
            state = steps.state
            return result
        }
        sessionDeletes.withLock { $0.removeAll { emptied.contains($0) } }
        return report
    }

    /// A restore's reads and writes, on a copy of the state that the write keeps.
    private final class RestoreSteps: TrashRestoreSteps {
        var state: State

        init(state: State) { self.state = state }

        func entryIsKept(_ entry: Int64) throws -> Bool { state.trash[entry] != nil }

        /// The rows by UUID.
        func trashedRows(entry: Int64) throws -> [(row: UUID, item: TrashedItem)] {
            MemoryCacheStore.ordered(state.trash[entry]?.items ?? []).map { ($0.uuid, $0) }
        }

        /// The project's UUID; nil inside for site-wide items.
        func place(of project: UUID?) throws -> UUID?? {
            guard let project else { return .some(nil) }
            return state.projects[project] == nil ? nil : .some(project)
        }

        func occupant(at place: UUID?, appName: String, name: String) throws -> (uuid: UUID, dateModified: Date)? {
            state.items[Key(project: place, app: appName, name: name)].map { ($0.uuid, $0.dateModified) }
        }

        func holds(uuid: UUID) throws -> Bool { state.items.values.contains { $0.uuid == uuid } }

        func putBack(_ item: TrashedItem, at place: UUID?, from row: UUID) throws {
            state.items[Key(project: place, app: item.appName, name: item.name)] = item.item
            state.trash[item.entry]?.items.removeAll { $0.uuid == row }
        }

        func recount(_ entry: Int64) throws -> Bool {
            if state.trash[entry]?.items.isEmpty ?? true { state.trash[entry] = nil }
            return state.trash[entry] != nil
        }
    }

    /// By age only: the size cap is the deletes' to apply (a purge takes what it was asked about).
    @discardableResult
    public func purgeTrash(before: Date?) throws -> (entries: Int, items: Int) {
        try write(audit: { .purged($0) }) { state in Self.trim(&state, before: before ?? .distantFuture, maxBytes: .max) }
    }

    /// Purges deletes made before `before`, then the oldest past `maxBytes`.
    @discardableResult
    static func trim(_ state: inout State, before: Date, maxBytes: Int64) -> (entries: Int, items: Int) {
        let sizes = state.trash.values.map { delete in
            TrashEntrySize(id: delete.id, deletedAt: delete.at, items: delete.items.count, bytes: delete.entry.bytes)
        }
        let doomed = TrashPolicy.doomed(sizes, before: before, maxBytes: maxBytes)
        for entry in doomed { state.trash[entry.id] = nil }
        return (doomed.count, doomed.reduce(0) { $0 + $1.items })
    }
}
