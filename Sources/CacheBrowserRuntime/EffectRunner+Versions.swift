import CacheBrowser
import Foundation
import JSONKit
import SodarCache
import StoreKernel

// `H`: an item's versions from the store's history and trash, and the diff of one of them.
extension EffectRunner {
    /// The history and trash behind a source: a store engine's, or a source's that says.
    static func keeping(_ source: any CacheBrowsing) -> (history: (any ItemHistory)?, trash: (any TrashKeeping)?) {
        if let engine = source as? any StoreEngine { return (engine.history, engine.trash) }
        if let keeper = source as? any VersionKeeping { return (keeper.history, keeper.trash) }
        return (nil, nil)
    }

    /// The item's versions, newest first with the current one on top, and why a kind of
    /// version cannot be there.
    static func versions(of item: ItemSummary, generation: Int, source: any CacheBrowsing) -> BrowserMessage {
        let (history, trash) = keeping(source)
        do {
            var notes: [String] = []
            var others: [VersionRow] = []
            let current = try source.item(uuid: item.uuid)
            if let history {
                let kept = try history.versions(appName: item.appName, name: item.name, project: item.project)
                others += kept.map { version in
                    VersionRow(
                        ref: .revision(version.rev), written: version.dateModified, user: version.user?.username,
                        size: version.size, ended: version.replacedAt)
                }
                if try history.historyPolicy().versions(of: item.appName) == 0 {
                    notes.append("History is off for \(item.appName) ([history] versions = 0): overwrites keep no versions")
                } else if kept.isEmpty {
                    notes.append("No earlier versions kept: an overwrite with other data keeps the one it replaces")
                }
                if !history.seesEveryWriter {
                    notes.append("Only versions replaced by sodarcache on this host are kept: SODAR's own writers' are not seen")
                }
            } else {
                notes.append("This store keeps no history of items (a SODAR site keeps it only with a local store)")
            }
            if let trash {
                let copies = try trash.trashedCopies(appName: item.appName, name: item.name, project: item.project)
                others += copies.map { copy in
                    VersionRow(
                        ref: .trashed(entry: copy.entry, uuid: copy.uuid), written: copy.dateModified, user: copy.user?.username,
                        size: copy.size, ended: copy.deletedAt, deletedBy: copy.osUser + (copy.role.map { " as \($0)" } ?? ""),
                        command: copy.command)
                }
            } else {
                notes.append("This store keeps no trash: deleted copies cannot be listed")
            }
            let currentRow = current.map {
                VersionRow(ref: .current, written: $0.dateModified, user: $0.user?.username ?? item.user, size: $0.data.count)
            }
            if current == nil { notes.insert("The item is gone from the store (deleted since it was listed)", at: 0) }
            return .versionsLoaded(
                generation: generation, listing: VersionListing(rows: VersionListing.ordered(current: currentRow, others: others), notes: notes))
        } catch {
            return .versionsFailed(generation: generation, message: "Could not list the versions: " + describe(error))
        }
    }

    /// The diff of a version (old) against the item's current payload (new); nil when
    /// `isCancelled` said stop (the user left it, or opened another).
    static func diff(_ request: DiffRequest, source: any CacheBrowsing, isCancelled: () -> Bool = { false }) -> BrowserMessage? {
        let (history, trash) = keeping(source)
        let generation = request.generation
        do {
            guard let current = try source.item(uuid: request.uuid) else {
                return .diffFailed(generation: generation, message: "The item is gone (deleted since it was listed)")
            }
            let old: Data
            switch request.ref {
            case .current:
                old = current.data
            case .revision(let rev):
                guard let version = try history?.version(rev: rev), let data = version.data else {
                    return .diffFailed(generation: generation, message: "Revision \(rev) is no longer kept (r reads the list again)")
                }
                old = data
            case .trashed(let entry, let uuid):
                guard let kept = try trash?.trashedItem(entry: entry, uuid: uuid) else {
                    return .diffFailed(
                        generation: generation, message: "Delete \(entry) no longer keeps this item: restored or purged (r reads the list again)")
                }
                old = kept.data
            }
            guard let lines = try DiffLines.build(old: old, new: current.data, isCancelled: isCancelled) else { return nil }
            return .diffLoaded(generation: generation, lines: lines)
        } catch let error as JSONDiffError {
            let side = error.side == .old ? request.ref.label : "current version"
            return .diffFailed(generation: generation, message: "Cannot compare: the \(side) is not valid JSON: \(error.error)")
        } catch {
            return .diffFailed(generation: generation, message: "Could not compare: " + describe(error))
        }
    }
}
