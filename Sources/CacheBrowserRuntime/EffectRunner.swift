import CacheBrowser
import Foundation
import JSONKit
import SodarCache
import SodarCacheSync

/// A thread-safe queue of actions from background work to the UI thread.
public final class BrowserMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [BrowserMessage] = []
    private let onPost: (@Sendable () -> Void)?

    /// - Parameter onPost: called after each post, on the posting thread (the terminal app
    ///   wakes its key wait with it, so results are drawn at once, not at the next timeout).
    public init(onPost: (@Sendable () -> Void)? = nil) {
        self.onPost = onPost
    }

    public func post(_ action: BrowserMessage) {
        lock.lock()
        pending.append(action)
        lock.unlock()
        onPost?()
    }

    /// Everything posted since the last drain, oldest first.
    public func drain() -> [BrowserMessage] {
        lock.lock()
        defer { lock.unlock() }
        let actions = pending
        pending = []
        return actions
    }
}

/// Runs `BrowserEffect`s against a store off the UI thread and posts the results as actions.
///
/// Lists run on one serial queue (so totals arrive before the projects), payloads on another
/// (so preparing a large document never holds up the lists), a sync on a third. A first-page
/// request that a newer one of the same kind has replaced is skipped.
public final class EffectRunner: @unchecked Sendable {
    /// Builds a payload document from an item's bytes.
    public typealias DocumentBuilder = @Sendable (Data) throws -> any PayloadDocument

    public let source: any CacheBrowsing
    public let mailbox: BrowserMailbox
    /// Sync and delete (nil: the browser only reads).
    public let actions: (any StoreActions)?
    let buildDocument: DocumentBuilder
    private let listQueue = DispatchQueue(label: "sodarcache.browser.lists")
    private let payloadQueue = DispatchQueue(label: "sodarcache.browser.payload")
    private let syncQueue = DispatchQueue(label: "sodarcache.browser.sync")
    private let syncDone = DispatchGroup()
    private let lock = NSLock()
    private var latest: [String: Int] = [:]
    private var counter = 0
    private var cancellation: SyncCancellation?
    private var watching = false

    public init(
        source: any CacheBrowsing, mailbox: BrowserMailbox, actions: (any StoreActions)? = nil,
        buildDocument: @escaping DocumentBuilder
    ) {
        self.source = source
        self.mailbox = mailbox
        self.actions = actions
        self.buildDocument = buildDocument
    }

    /// Queues an effect; its result arrives in the mailbox.
    public func run(_ effect: BrowserEffect) {
        switch effect {
        case .sync(let request):
            startSync(request)
            return
        case .cancelSync:
            cancelSync()
            return
        default: break
        }
        let ticket = takeTicket(effect.coalescingKey)
        let queue: DispatchQueue
        switch effect {
        case .loadPayload, .refreshPayload, .saveJSON: queue = payloadQueue
        default: queue = listQueue
        }
        queue.async { [self] in
            if let key = effect.coalescingKey {
                lock.lock()
                let current = latest[key] == ticket
                lock.unlock()
                guard current else { return }
            }
            for action in perform(effect) { mailbox.post(action) }
        }
    }

    // MARK: - Sync

    private func startSync(_ request: SyncRequest) {
        let cancel = SyncCancellation()
        lock.lock()
        cancellation = cancel
        lock.unlock()
        syncDone.enter()
        syncQueue.async { [self] in
            let mailbox = self.mailbox
            for action in Self.runSync(request, actions: actions, cancel: cancel, events: { mailbox.post($0) }) {
                mailbox.post(action)
            }
            lock.lock()
            if cancellation === cancel { cancellation = nil }
            lock.unlock()
            syncDone.leave()
        }
    }

    private func cancelSync() {
        lock.lock()
        let cancel = cancellation
        lock.unlock()
        cancel?.cancel()
    }

    /// Waits until a running sync has ended (after a cancel, its commands are being killed).
    /// - Returns: false when it is still running after `timeout` seconds.
    @discardableResult
    public func waitForSync(timeout: TimeInterval) -> Bool {
        syncDone.wait(timeout: .now() + timeout) == .success
    }

    /// Runs a sync to its end, handing each event over as an action.
    static func runSync(
        _ request: SyncRequest, actions: (any StoreActions)?, cancel: SyncCancellation,
        events: @escaping @Sendable (BrowserMessage) -> Void
    ) -> [BrowserMessage] {
        guard let actions else { return [.syncFailed(message: "sync is not available")] }
        do {
            let summary = try actions.sync(request, cancel: cancel) { event in events(.syncEvent(event)) }
            return [.syncEnded(summary)]
        } catch {
            return [.syncFailed(message: describe(error))]
        }
    }

    // MARK: - Watching the store

    /// Reads the store's change token every `interval` seconds on a background queue and posts
    /// `.storeChanged` when it moves (and once at the start), until `stopWatching()`.
    public func startWatching(interval: TimeInterval = 0.5) {
        lock.lock()
        guard !watching else { lock.unlock(); return }
        watching = true
        lock.unlock()
        let queue = DispatchQueue(label: "sodarcache.browser.watch")
        @Sendable func poll(_ last: Int?) {
            lock.lock()
            let active = watching
            lock.unlock()
            guard active else { return }
            var seen = last
            // A busy store is retried at the next poll; one that is gone, replaced or broken is
            // reported (the lists keep what they show).
            do {
                let token = try source.changeToken()
                if token != last {
                    seen = token
                    mailbox.post(.storeChanged(token: token))
                }
            } catch CacheError.storeBusy {
            } catch {
                mailbox.post(.storeUnavailable(message: Self.describe(error)))
            }
            let next = seen
            queue.asyncAfter(deadline: .now() + interval) { poll(next) }
        }
        queue.async { poll(nil) }
    }

    /// Stops the watcher started by `startWatching`.
    public func stopWatching() {
        lock.lock()
        watching = false
        lock.unlock()
    }

    private func takeTicket(_ key: String?) -> Int {
        guard let key else { return 0 }
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        latest[key] = counter
        return counter
    }

    /// Does one effect synchronously on the calling thread (tests, benchmarks).
    public func perform(_ effect: BrowserEffect) -> [BrowserMessage] {
        switch effect {
        case .sync(let request):
            let collected = Collected()
            let end = Self.runSync(request, actions: actions, cancel: SyncCancellation()) { collected.append($0) }
            return collected.actions + end
        case .cancelSync:
            cancelSync()
            return []
        case .countForDelete(let target):
            return Self.count(target, actions: actions)
        case .delete(let target):
            return Self.delete(target, actions: actions)
        default:
            return Self.perform(effect, source: source, buildDocument: buildDocument)
        }
    }

    static func count(_ target: DeleteTarget, actions: (any StoreActions)?) -> [BrowserMessage] {
        guard let actions else { return [.deleteFailed(target, message: "delete is not available")] }
        do {
            var counted = target
            switch target.selection {
            case .items(let uuids): counted.count = uuids.count
            case .matching(let filter):
                counted.count = try actions.countItems(matching: filter)
                let shown = try actions.items(matching: filter, limit: DeleteTarget.shownItems)
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
            let count: Int
            switch target.selection {
            case .items(let uuids): count = try actions.deleteItems(uuids: uuids)
            case .matching(let filter): count = try actions.deleteItems(matching: filter)
            }
            return [.deleted(target, count: count)]
        } catch {
            return [.deleteFailed(target, message: describe(error))]
        }
    }

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
        case .loadTotals:
            do { return [.totalsLoaded(try source.totals())] } catch {
                return [.loadFailed(pane: nil, generation: 0, message: describe(error))]
            }
        case .loadProjects(let generation, let after, let limit, let filter):
            do {
                let rows = try source.projectPage(after: after, limit: limit + 1, filter: filter)
                return [.projectsLoaded(generation: generation, rows: Array(rows.prefix(limit)), hasMore: rows.count > limit)]
            } catch {
                return [.loadFailed(pane: .projects, generation: generation, message: describe(error))]
            }
        case .loadApps(let generation, let project, let after, let limit, let filter):
            do {
                let rows = try source.appPage(project: project, after: after, limit: limit + 1, filter: filter)
                return [.appsLoaded(generation: generation, rows: Array(rows.prefix(limit)), hasMore: rows.count > limit)]
            } catch {
                return [.loadFailed(pane: .apps, generation: generation, message: describe(error))]
            }
        case .loadItems(let generation, let project, let app, let sort, let after, let limit, let filter):
            do {
                let rows = try source.itemPage(
                    project: project, app: app, sort: sort, after: after, limit: limit + 1, filter: filter)
                return [.itemsLoaded(generation: generation, rows: Array(rows.prefix(limit)), hasMore: rows.count > limit)]
            } catch {
                return [.loadFailed(pane: .items, generation: generation, message: describe(error))]
            }
        case .loadProjectsBefore(let generation, let before, let limit, let filter):
            do {
                let rows = try source.projectPage(before: before, limit: limit + 1, filter: filter)
                return [
                    .projectsLoadedBefore(generation: generation, rows: Array(rows.suffix(limit)), hasPrevious: rows.count > limit)
                ]
            } catch {
                return [.loadFailed(pane: .projects, generation: generation, message: describe(error))]
            }
        case .loadAppsBefore(let generation, let project, let before, let limit, let filter):
            do {
                let rows = try source.appPage(project: project, before: before, limit: limit + 1, filter: filter)
                return [.appsLoadedBefore(generation: generation, rows: Array(rows.suffix(limit)), hasPrevious: rows.count > limit)]
            } catch {
                return [.loadFailed(pane: .apps, generation: generation, message: describe(error))]
            }
        case .loadItemsBefore(let generation, let project, let app, let sort, let before, let limit, let filter):
            do {
                let rows = try source.itemPage(
                    project: project, app: app, sort: sort, before: before, limit: limit + 1, filter: filter)
                return [.itemsLoadedBefore(generation: generation, rows: Array(rows.suffix(limit)), hasPrevious: rows.count > limit)]
            } catch {
                return [.loadFailed(pane: .items, generation: generation, message: describe(error))]
            }
        case .loadProjectsAround(let generation, let anchor, let limit, let filter):
            do {
                let half = max(1, limit / 2)
                let earlier = try source.projectPage(before: anchor, limit: half + 1, filter: filter)
                let before = Array(earlier.suffix(half))
                let later = try source.projectPage(after: before.last, limit: limit + 1, filter: filter)
                return [
                    .projectsLoadedAround(
                        generation: generation, rows: before + later.prefix(limit), hasPrevious: earlier.count > half,
                        hasMore: later.count > limit, anchor: anchor.project.uuid)
                ]
            } catch {
                return [.loadFailed(pane: .projects, generation: generation, message: describe(error))]
            }
        case .loadItemsAround(let generation, let project, let app, let sort, let anchor, let limit, let filter):
            do {
                let half = max(1, limit / 2)
                let earlier = try source.itemPage(
                    project: project, app: app, sort: sort, before: anchor, limit: half + 1, filter: filter)
                let before = Array(earlier.suffix(half))
                // From the row before the anchor on (the first page when there is none): the
                // anchor itself comes first.
                let later = try source.itemPage(
                    project: project, app: app, sort: sort, after: before.last, limit: limit + 1, filter: filter)
                return [
                    .itemsLoadedAround(
                        generation: generation, rows: before + later.prefix(limit), hasPrevious: earlier.count > half,
                        hasMore: later.count > limit, anchor: anchor.uuid)
                ]
            } catch {
                return [.loadFailed(pane: .items, generation: generation, message: describe(error))]
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
        case .sync, .cancelSync, .countForDelete, .delete:
            // Need the actions: `EffectRunner.perform(_:)` does these.
            return []
        case .quit:
            return []
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
}

/// Actions gathered from several threads (a sync's events in a synchronous run).
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var gathered: [BrowserMessage] = []

    func append(_ action: BrowserMessage) {
        lock.lock()
        gathered.append(action)
        lock.unlock()
    }

    var actions: [BrowserMessage] {
        lock.lock()
        defer { lock.unlock() }
        return gathered
    }
}
