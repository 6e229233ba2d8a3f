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

// MARK: - Deletes that keep what they delete

extension MemoryCacheStore: InStoreTrash {
    /// A write in progress, as `InStoreTrash` hands it to the trash's steps.
    public final class Draft {
        var state: State
        /// The items, the time and who, when a delete's trash entry opened.
        var opened: (items: [Key: CacheItem], at: Date, by: ChangeAttribution)?

        init(_ state: State) { self.state = state }
    }

    public func writeTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (Draft) throws -> T) throws -> T {
        try write(audit: audit) { state in
            let draft = Draft(state)
            let value = try body(draft)
            state = draft.state
            return value
        }
    }

    /// The entry takes the next id when it keeps something (`closeTrashEntry`).
    public func openTrashEntry(_ draft: Draft, at: Date, by who: ChangeAttribution) throws -> Int64 {
        draft.opened = (draft.state.items, at, who)
        return draft.state.nextTrashID
    }

    /// What the delete took: the items that are gone or replaced since the entry opened.
    public func closeTrashEntry(_ draft: Draft, _ id: Int64) throws -> Bool {
        guard let opened = draft.opened else { return false }
        let gone = opened.items.filter { draft.state.items[$0.key]?.uuid != $0.value.uuid }.map(\.value)
        if gone.isEmpty { return false }
        draft.state.nextTrashID = id + 1
        draft.state.trash[id] = TrashedDelete(
            id: id, at: opened.at, attribution: opened.by, items: gone.map { TrashedItem(entry: id, item: $0) })
        return true
    }

    @discardableResult
    public func trimTrash(_ draft: Draft, before: Date, maxBytes: Int64) throws -> (entries: Int, items: Int) {
        let sizes = draft.state.trash.values.map { delete in
            TrashEntrySize(id: delete.id, deletedAt: delete.at, items: delete.items.count, bytes: delete.entry.bytes)
        }
        let doomed = TrashPolicy.doomed(sizes, before: before, maxBytes: maxBytes)
        for entry in doomed { draft.state.trash[entry.id] = nil }
        return (doomed.count, doomed.reduce(0) { $0 + $1.items })
    }

    public func restoreSteps(_ draft: Draft) -> RestoreSteps { RestoreSteps(draft: draft) }
}

// MARK: - TrashKeeping

extension MemoryCacheStore: TrashKeeping {
    public var trash: (any TrashKeeping)? { self }

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
        let wanted = Key(project: project, app: appName, name: name)
        return shared.state.withLock { state in
            state.trash.values.sorted { $0.id > $1.id }.flatMap { delete in
                delete.items.filter { Key(project: $0.project, app: $0.appName, name: $0.name) == wanted }.map { item in
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

    /// A restore's reads and writes, on the write's draft.
    public struct RestoreSteps: TrashRestoreSteps {
        let draft: Draft

        public func entryIsKept(_ entry: Int64) throws -> Bool { draft.state.trash[entry] != nil }

        /// The rows by UUID.
        public func trashedRows(entry: Int64) throws -> [(row: UUID, item: TrashedItem)] {
            MemoryCacheStore.ordered(draft.state.trash[entry]?.items ?? []).map { ($0.uuid, $0) }
        }

        /// The project's UUID; nil inside for site-wide items.
        public func place(of project: UUID?) throws -> UUID?? {
            guard let project else { return .some(nil) }
            return draft.state.projects[project] == nil ? nil : .some(project)
        }

        public func occupant(at place: UUID?, appName: String, name: String) throws -> (uuid: UUID, dateModified: Date)? {
            draft.state.items[Key(project: place, app: appName, name: name)].map { ($0.uuid, $0.dateModified) }
        }

        public func holds(uuid: UUID) throws -> Bool { draft.state.items.values.contains { $0.uuid == uuid } }

        public func putBack(_ item: TrashedItem, at place: UUID?, from row: UUID) throws {
            draft.state.items[Key(project: place, app: item.appName, name: item.name)] = item.item
            draft.state.trash[item.entry]?.items.removeAll { $0.uuid == row }
        }

        public func recount(_ entry: Int64) throws -> Bool {
            if draft.state.trash[entry]?.items.isEmpty ?? true { draft.state.trash[entry] = nil }
            return draft.state.trash[entry] != nil
        }
    }
}
