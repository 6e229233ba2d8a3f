import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// What one sync unit's writes and deletes change, against the payloads they replace: the one
/// comparison behind a dry run's report and a real sync's summary.
struct UnitChangeComparer {
    /// Names by their bytes, as the store keeps them apart.
    private typealias Key = ItemKey

    let report: SyncChangeReport

    /// The scopes to read before the unit's writes land: its own app in its project (what it
    /// may no longer write), and every scope it writes or deletes an item in. A delete of an
    /// app's items everywhere (no project) is not followed: the report covers what it can read.
    static func scopes(unit: ItemScope, writes: [CacheWrite], deletions: [CacheDeletion]) -> [ItemScope] {
        var scopes: Set<ItemScope> = [unit]
        for write in writes { scopes.insert(ItemScope(project: write.project, app: write.appName)) }
        for deletion in deletions {
            switch deletion {
            case .item(let app, _, let project): scopes.insert(ItemScope(project: project, app: app))
            case .all(let app?, let project?): scopes.insert(ItemScope(project: project, app: app))
            case .all: break
            }
        }
        return Array(scopes)
    }

    /// The unit's changes.
    /// - Parameters:
    ///   - unit: the unit's app in its project: its items the run did not write are "no
    ///     longer written" (with `itemName`, only an item of that name).
    ///   - before: the payloads of `scopes(...)` as they stood.
    ///   - deletions, writes: what the unit lands, in that order.
    func compare(
        app: String, project: Project?, unit: ItemScope, itemName: String?, before: [StoredPayload],
        deletions: [CacheDeletion], writes: [CacheWrite]
    ) -> SyncUnitChanges {
        var stored: [Key: Data] = [:]
        for payload in before { stored[Key(project: payload.project, app: payload.app, name: payload.name)] = payload.data }
        var counts = SyncChangeCounts()
        var listed: [SyncItemChange] = []
        var written: Set<Key> = []
        for write in writes {
            let key = Key(project: write.project, app: write.appName, name: write.name)
            guard written.insert(key).inserted else { continue }
            guard let old = stored[key] else {
                counts.new += 1
                listed.append(SyncItemChange(kind: .new, project: key.project, app: key.app, name: key.name))
                continue
            }
            if old == write.data { counts.unchanged += 1; continue }
            guard let paths = changedPaths(old, write.data) else {
                // The stored payload is no JSON this reads: the write replaces it all.
                counts.changed += 1
                listed.append(SyncItemChange(kind: .changed, project: key.project, app: key.app, name: key.name, paths: ["."], pathCount: 1))
                continue
            }
            if paths.count == 0 { counts.unchanged += 1; continue }
            counts.changed += 1
            listed.append(SyncItemChange(
                kind: .changed, project: key.project, app: key.app, name: key.name,
                paths: Array(paths.shown), pathCount: paths.count))
        }
        for key in stored.keys.sorted() where !written.contains(key) {
            if deletions.contains(where: { Self.deletion($0, takes: key) }) {
                counts.removed += 1
                listed.append(SyncItemChange(kind: .removed, project: key.project, app: key.app, name: key.name))
            } else if key.project == unit.project, key.app == unit.app,
                itemName.map({ key == Key(project: key.project, app: key.app, name: $0) }) ?? true
            {
                counts.notWritten += 1
                listed.append(SyncItemChange(kind: .notWritten, project: key.project, app: key.app, name: key.name))
            }
        }
        return Self.changes(app: app, project: project, basis: .writes, counts: counts, listed: listed, limit: report.itemLimit)
    }

    /// What a command that writes the cache itself changed: the items after its run against
    /// those just before it. A payload rewritten with the same JSON (or the same bytes) is
    /// unchanged.
    /// - Returns: the changes, and the keys of the items changed or removed (whose earlier
    ///   payloads are worth keeping as versions).
    func compareRun(app: String, project: Project?, before: [StoredPayload], after: [StoredPayload])
        -> (changes: SyncUnitChanges, replaced: [StoredPayload])
    {
        var old: [Key: StoredPayload] = [:]
        for payload in before { old[Key(project: payload.project, app: payload.app, name: payload.name)] = payload }
        var counts = SyncChangeCounts()
        var listed: [SyncItemChange] = []
        var replaced: [StoredPayload] = []
        var seen: Set<Key> = []
        for payload in after {
            let key = Key(project: payload.project, app: payload.app, name: payload.name)
            seen.insert(key)
            guard let earlier = old[key] else {
                counts.new += 1
                listed.append(SyncItemChange(kind: .new, project: key.project, app: key.app, name: key.name))
                continue
            }
            if earlier.data == payload.data { counts.unchanged += 1; continue }
            let paths = changedPaths(earlier.data, payload.data)
            if paths?.count == 0 { counts.unchanged += 1; continue }
            counts.changed += 1
            replaced.append(earlier)
            listed.append(SyncItemChange(
                kind: .changed, project: key.project, app: key.app, name: key.name,
                paths: paths.map { Array($0.shown) } ?? ["."], pathCount: paths?.count ?? 1))
        }
        for key in old.keys.sorted() where !seen.contains(key) {
            counts.removed += 1
            replaced.append(old[key]!)
            listed.append(SyncItemChange(kind: .removed, project: key.project, app: key.app, name: key.name))
        }
        let changes = Self.changes(app: app, project: project, basis: .aroundRun, counts: counts, listed: listed, limit: report.itemLimit)
        return (changes, replaced)
    }

    /// The unit's changes in a list: by kind (new, changed, no longer written, removed), then
    /// by project, app and name; cut at `limit`.
    static func changes(
        app: String, project: Project?, basis: SyncUnitChanges.Basis, counts: SyncChangeCounts, listed: [SyncItemChange],
        limit: Int
    ) -> SyncUnitChanges {
        let order = Dictionary(uniqueKeysWithValues: SyncItemChange.Kind.allCases.enumerated().map { ($1, $0) })
        let sorted = listed.sorted { a, b in
            (order[a.kind]!, a.project?.uuidString ?? "", a.app, a.name) < (order[b.kind]!, b.project?.uuidString ?? "", b.app, b.name)
        }
        return SyncUnitChanges(
            app: app, project: project, basis: basis, counts: counts, items: Array(sorted.prefix(limit)),
            itemsLeftOut: max(0, sorted.count - limit))
    }

    /// The paths that changed (the first few as shown, and how many), nil when either side is
    /// no valid JSON.
    private func changedPaths(_ old: Data, _ new: Data) -> (shown: ArraySlice<String>, count: Int)? {
        guard let result = try? JSONDiff.compare(old, new, options: JSONDiffOptions(numbersByValue: report.numbersByValue)) else {
            return nil
        }
        return (result.changes.prefix(report.pathsPerItem).map(\.path.description)[...], result.changes.count)
    }

    private static func deletion(_ deletion: CacheDeletion, takes key: Key) -> Bool {
        switch deletion {
        case .item(let app, let name, let project): return app == key.app && name == key.name && project == key.project
        case .all(let app, let project): return (app == nil || app == key.app) && (project == nil || project == key.project)
        }
    }
}
