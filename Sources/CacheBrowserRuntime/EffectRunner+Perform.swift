import CacheBrowser
import Foundation
import JSONKit
import SodarCache
import StoreKernel

// The effects that read the store or write a file, done synchronously on the calling thread.
extension EffectRunner {
    /// Does one effect synchronously against a source.
    public static func perform(
        _ effect: BrowserEffect, source: any CacheBrowsing, buildDocument: DocumentBuilder
    ) -> [BrowserMessage] {
        switch effect {
        case .reopenIfReplaced:
            guard let reopening = source as? any ReopeningSource else { return [] }
            do {
                return try reopening.reopenIfReplaced() ? [.storeReopened] : []
            } catch {
                return [.storeUnavailable(message: describe(error))]
            }
        case .readChangeToken:
            // As the watcher reads it: a busy store is read again at its next poll.
            do { return [.storeChanged(token: try source.changeToken())] } catch CacheError.storeBusy {
                return []
            } catch {
                return [.storeUnavailable(message: describe(error))]
            }
        case .loadTotals:
            do { return [.totalsLoaded(try source.totals())] } catch {
                return [.loadFailed(pane: nil, generation: 0, message: describe(error))]
            }
        case .loadPage(let generation, let request, let limit):
            do {
                return [.pageLoaded(generation: generation, page: try request.read(from: source, limit: limit))]
            } catch {
                return [.loadFailed(pane: request.pane, generation: generation, message: describe(error))]
            }
        case .loadPayload(let generation, let uuid):
            var loaded: CacheItem?
            var title: String?
            do {
                guard let item = try source.item(uuid: uuid) else {
                    return [
                        .payloadFailed(
                            generation: generation, item: nil, projectTitle: nil,
                            message: "This item is gone (deleted since the list was loaded)")
                    ]
                }
                loaded = item
                if let project = item.project {
                    title = try source.project(uuid: project)?.fullTitle ?? project.sodarString
                } else {
                    title = "(site-wide)"
                }
                let document = try buildDocument(item.data)
                return [.payloadLoaded(generation: generation, item: item, projectTitle: title, document: document)]
            } catch {
                return [.payloadFailed(generation: generation, item: loaded, projectTitle: title, message: describe(error))]
            }
        case .saveJSON(let request):
            return save(request, source: source)
        case .refreshPayload(let generation, let uuid, let modified):
            do {
                guard let item = try source.item(uuid: uuid) else {
                    return [
                        .payloadFailed(
                            generation: generation, item: nil, projectTitle: nil,
                            message: "This item is gone (deleted by another process or a delete)")
                    ]
                }
                guard item.dateModified != modified else { return [] }
                let title = try item.project.map { try source.project(uuid: $0)?.fullTitle ?? $0.sodarString } ?? "(site-wide)"
                return [.payloadLoaded(generation: generation, item: item, projectTitle: title, document: try buildDocument(item.data))]
            } catch {
                return [.payloadFailed(generation: generation, item: nil, projectTitle: nil, message: describe(error))]
            }
        case .locateItem(let lookup):
            return [locate(lookup, source: source)]
        case .loadAudit(let request):
            return [audit(request, source: source)]
        case .sync, .cancelSync, .countForDelete, .delete, .undoDelete, .previewSync:
            // Need the store actions: `EffectRunner.perform(_:)` does these.
            return []
        case .runDoctor(let request):
            return [doctor(request, source: source)]
        case .loadVersions(let generation, let item):
            return [versions(of: item, generation: generation, source: source)]
        case .loadDiff(let request):
            return diff(request, source: source).map { [$0] } ?? []
        case .search(let search):
            return Self.search(search, isCancelled: { false }).map { [$0] } ?? []
        case .copyValue(let request):
            let value = request.document.compactValue(ofLine: request.line, limit: request.limit)
            return [.valueCopied(path: request.path, value: value)]
        case .clipboard:
            // The terminal writes it (`BrowserApp`); headless runs have no clipboard.
            return []
        case .cancelSearch, .cancelDiff:
            return []
        case .quit:
            return []
        }
    }

    /// The doctor over the browser's store, as `sodarcache doctor` runs it.
    static func doctor(_ request: DoctorRequest, source: any CacheBrowsing) -> BrowserMessage {
        guard let store = source as? any Doctor.Store else {
            return .doctorFailed(generation: request.generation, message: "the doctor cannot read this store")
        }
        do {
            let report = try Doctor.examine(
                store, settings: request.settings, registeredApps: request.registeredApps, now: request.now)
            return .doctorFinished(generation: request.generation, report: report)
        } catch {
            return .doctorFailed(generation: request.generation, message: describe(error))
        }
    }

    /// The save key's work: the item as it is now, to stdout or to a file that is not the store.
    static func save(_ request: SaveRequest, source: any CacheBrowsing) -> [BrowserMessage] {
        var request = request
        request.path = request.path.map(expandTilde)
        let item: CacheItem
        do {
            guard let found = try source.item(uuid: request.uuid) else {
                return [.saveFailed(path: request.path, message: "the item is gone (deleted since it was opened)")]
            }
            item = found
        } catch {
            return [.saveFailed(path: request.path, message: describe(error))]
        }
        var text = (try? JSON.pretty(item.data)) ?? item.data
        if text.last != UInt8(ascii: "\n") { text.append(UInt8(ascii: "\n")) }
        guard let path = request.path else { return [.saved(path: nil, data: text)] }
        switch PayloadFile.check(path, storePath: request.storePath) {
        case .refused(let reason):
            return [.saveFailed(path: path, message: "refused: " + reason)]
        case .existing(let size) where !request.overwrite:
            return [.saveWouldReplace(request, size: size)]
        case .existing, .new:
            break
        }
        do {
            try PayloadFile.write(text, to: path, storePath: request.storePath, overwrite: request.overwrite)
            return [.saved(path: path, data: text)]
        } catch {
            return [.saveFailed(path: path, message: describe(error))]
        }
    }

    /// `~/x` in the user's home directory.
    static func expandTilde(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
        return home + path.dropFirst(1)
    }

    /// A one-line message for the status line.
    static func describe(_ error: any Error) -> String {
        let text: String
        switch error {
        case CacheError.storeReplaced(let path):
            // The browser can do better than "restart": `r` reopens it.
            text = "The store file was deleted or replaced (r reopens it): \(path)"
        case let error as CacheError: text = error.description
        case let error as JSONError: text = "Invalid JSON: " + error.description
        case let error as PayloadFile.Failure: text = error.description
        default: text = error.localizedDescription
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Runs a payload search; nil when it was cancelled.
    static func search(_ search: PayloadSearch, isCancelled: () -> Bool) -> BrowserMessage? {
        let document = search.document
        let hit = document.search(search.needle, fromLine: search.fromLine, forward: search.forward, isCancelled: isCancelled)
        if isCancelled() { return nil }
        return .searchFinished(id: search.id, line: hit, path: hit.map { document.path(ofLine: $0) })
    }
}
