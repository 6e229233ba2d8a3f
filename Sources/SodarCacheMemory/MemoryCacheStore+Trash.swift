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
        shared.state.withLock { state in
            (state.trash[entry]?.items ?? []).sorted {
                ($0.project?.uuidString ?? "", $0.appName, $0.name) < ($1.project?.uuidString ?? "", $1.appName, $1.name)
            }
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
        let report = try write(audit: { .restored($0, entries: entries) }) { state -> RestoreReport in
            var restored: [TrashedItem] = [], skipped: [RestoreReport.Skipped] = []
            for id in entries {
                guard let delete = state.trash[id] else {
                    throw CacheError.invalidArgument("No delete \(id) in the trash (sodarcache trash lists them)")
                }
                var left: [TrashedItem] = []
                for item in delete.items {
                    let key = Key(project: item.project, app: item.appName, name: item.name)
                    var reason: RestoreReport.SkipReason?
                    if let project = item.project, state.projects[project] == nil {
                        reason = .projectGone
                    } else if let present = state.items[key] {
                        reason = present.uuid == item.uuid ? .alreadyThere : .newerItem(present.dateModified)
                    } else if state.items.values.contains(where: { $0.uuid == item.uuid }) {
                        reason = .alreadyThere
                    }
                    if let reason {
                        skipped.append(RestoreReport.Skipped(item: item, reason: reason))
                        left.append(item)
                    } else {
                        state.items[key] = item.item
                        restored.append(item)
                    }
                }
                state.trash[id] = left.isEmpty ? nil : TrashedDelete(id: id, at: delete.at, attribution: delete.attribution, items: left)
            }
            return RestoreReport(restored: restored, skipped: skipped)
        }
        let gone = Set(entries.filter { (try? trashEntry(id: $0)) == nil })
        sessionDeletes.withLock { $0.removeAll { gone.contains($0) } }
        return report
    }

    @discardableResult
    public func purgeTrash(before: Date?) throws -> (entries: Int, items: Int) {
        try write(audit: { .purged($0) }) { state in Self.trim(&state, before: before ?? .distantFuture, maxBytes: changes.trash.maxBytes) }
    }

    /// Purges deletes made before `before`, then the oldest past `maxBytes`.
    @discardableResult
    static func trim(_ state: inout State, before: Date, maxBytes: Int64) -> (entries: Int, items: Int) {
        var entries = 0, items = 0
        var total = state.trash.values.reduce(Int64(0)) { $0 + $1.entry.bytes }
        for delete in state.trash.values.sorted(by: { $0.id < $1.id }) where delete.at < before || total > maxBytes {
            total -= delete.entry.bytes
            entries += 1
            items += delete.items.count
            state.trash[delete.id] = nil
        }
        return (entries, items)
    }
}
