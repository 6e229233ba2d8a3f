import CacheBrowser
import Foundation
import JSONKit
import SodarCache
import SodarCacheSync
import StoreKernel

// Sync, delete and undo through the store actions, as messages.
extension EffectRunner {
    /// Runs a sync to its end, handing each event over as a message.
    static func runSync(
        _ request: SyncRequest, dryRun: Bool = false, actions: (any StoreActions)?, cancel: SyncCancellation,
        events: @escaping @Sendable (BrowserMessage) -> Void
    ) -> [BrowserMessage] {
        guard let actions else { return [.syncFailed(message: "sync is not available")] }
        do {
            let summary = dryRun
                ? try actions.previewSync(request, cancel: cancel) { event in events(.syncEvent(event)) }
                : try actions.sync(request, cancel: cancel) { event in events(.syncEvent(event)) }
            return [.syncEnded(summary)]
        } catch {
            return [.syncFailed(message: describe(error))]
        }
    }

    static func count(_ target: DeleteTarget, actions: (any StoreActions)?) -> [BrowserMessage] {
        guard let actions else { return [.deleteFailed(target, message: "delete is not available")] }
        do {
            var counted = target
            switch target.selection {
            case .items(let uuids): counted.count = uuids.count
            case .matching(let filter):
                // Every item the dialog counts, with its row version as read now: the delete
                // takes exactly these, never one written or rewritten while the dialog is open.
                var all: [ItemSummary]
                if target.subtree, case .project(let category) = filter.scope {
                    all = []
                    counted.projectCount = 0
                    for project in try actions.subtree(of: category) {
                        var part = filter
                        part.scope = .project(project)
                        let items = try actions.items(matching: part, limit: Int.max)
                        if !items.isEmpty { counted.projectCount += 1 }
                        all += items
                    }
                } else {
                    all = try actions.items(matching: filter, limit: Int.max)
                }
                counted.count = all.count
                counted.bytes = all.reduce(0) { $0 + $1.size }
                counted.shown = Dictionary(all.map { ($0.uuid, ShownItem($0)) }, uniquingKeysWith: { first, _ in first })
                let shown = all.prefix(DeleteTarget.shownItems)
                counted.itemNames = shown.map { item in
                    let name = Display.escape(item.name)
                    return target.app == nil ? Display.escape(item.appName) + ": " + name : name
                }
            }
            return [.deleteCounted(counted)]
        } catch {
            return [.deleteFailed(target, message: describe(error))]
        }
    }

    static func delete(_ target: DeleteTarget, actions: (any StoreActions)?) -> [BrowserMessage] {
        guard let actions else { return [.deleteFailed(target, message: "delete is not available")] }
        do {
            var count = 0, changed = 0
            switch target.selection {
            case .items where !target.shown.isEmpty: (count, changed) = try actions.deleteItems(shown: target.shown)
            case .items(let uuids): count = try actions.deleteItems(uuids: uuids)
            case .matching: (count, changed) = try actions.deleteItems(shown: target.shown)
            }
            return [.deleted(target, count: count, changed: changed)]
        } catch {
            return [.deleteFailed(target, message: describe(error))]
        }
    }

    static func undo(actions: (any StoreActions)?) -> [BrowserMessage] {
        guard let actions else { return [.undoFailed(message: "undo is not available")] }
        do {
            return [.undone(try actions.undoLastDelete())]
        } catch {
            return [.undoFailed(message: describe(error))]
        }
    }
}
