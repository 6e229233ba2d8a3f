import CacheBrowser
import Foundation
import SodarCache
import SodarCacheSync
import StoreKernel

/// Runs `BrowserEffect`s against a store off the UI thread and posts the results as messages.
///
/// Each effect runs on its lane (`EffectLane`), a serial queue of the executor's: the totals
/// and the project pages on one (so totals arrive before the projects), apps and items on one
/// each, payloads on another (so preparing a large document never holds up the lists),
/// copies, searches, writes (counts and deletes) and a sync each on their own. A first-page request that a newer one of the same kind has replaced is skipped;
/// a search or a diff that a newer one (or `.cancelSearch`, `.cancelDiff`) replaced stops.
public final class EffectRunner: Sendable {
    /// Builds a payload document from an item's bytes.
    public typealias DocumentBuilder = PayloadDocumentBuilder

    public let source: any CacheBrowsing
    public let mailbox: BrowserMailbox
    /// Sync and delete (nil: the browser only reads).
    public let actions: (any StoreActions)?
    /// Where the work runs.
    public let executor: any EffectExecutor
    let buildDocument: DocumentBuilder
    let watcher: StoreWatcher
    /// Syncs submitted and not ended yet.
    private let syncs = Locked(0)
    /// The newest ticket per coalescing key, and the last ticket handed out.
    private let tickets = Locked((latest: [String: Int](), counter: 0))
    private let cancellation = Locked<SyncCancellation?>(nil)
    /// The id of the search that may run (0: none).
    private let currentSearch = Locked(0)
    /// The generation of the diff that may run (0: none).
    private let currentDiff = Locked(0)

    public init(
        source: any CacheBrowsing, mailbox: BrowserMailbox, actions: (any StoreActions)? = nil,
        executor: any EffectExecutor = DispatchEffectExecutor(), buildDocument: @escaping DocumentBuilder
    ) {
        self.source = source
        self.mailbox = mailbox
        self.actions = actions
        self.executor = executor
        self.buildDocument = buildDocument
        self.watcher = StoreWatcher(source: source, mailbox: mailbox)
    }

    /// Queues an effect; its result arrives in the mailbox.
    public func run(_ effect: BrowserEffect) {
        switch effect {
        case .sync(let request):
            startSync(request)
        case .previewSync(let request):
            startSync(request, dryRun: true)
        case .cancelSync:
            cancelSync()
        case .search(let search):
            startSearch(search)
        case .cancelSearch:
            currentSearch.withLock { $0 = 0 }
        case .loadDiff(let request):
            startDiff(request)
        case .cancelDiff:
            currentDiff.withLock { $0 = 0 }
        case .clipboard, .quit:
            // The loop's own: the clipboard is written on its thread, between frames, and
            // `update` has already set `quitting`.
            break
        default:
            let ticket = takeTicket(effect.coalescingKey)
            executor.submit(EffectJob(lane: EffectLane(effect), effect: effect) { [self] in
                if let key = effect.coalescingKey {
                    guard tickets.withLock({ $0.latest[key] == ticket }) else { return }
                }
                for message in perform(effect) { mailbox.post(message) }
            })
        }
    }

    private func takeTicket(_ key: String?) -> Int {
        guard let key else { return 0 }
        return tickets.withLock { tickets in
            tickets.counter += 1
            tickets.latest[key] = tickets.counter
            return tickets.counter
        }
    }

    // MARK: - Search

    private func startSearch(_ search: PayloadSearch) {
        currentSearch.withLock { $0 = search.id }
        executor.submit(EffectJob(lane: .search, effect: .search(search)) { [self] in
            let message = Self.search(search) { currentSearch.withLock { $0 } != search.id }
            if let message { mailbox.post(message) }
        })
    }

    // MARK: - Diff

    /// A diff of 50 MB payloads takes a second: one the user left or replaced stops at
    /// JSONDiff's next look, so that the next one on the lane does not wait for it.
    private func startDiff(_ request: DiffRequest) {
        let effect = BrowserEffect.loadDiff(request)
        let ticket = takeTicket(effect.coalescingKey)
        currentDiff.withLock { $0 = request.generation }
        executor.submit(EffectJob(lane: .versions, effect: effect) { [self] in
            if let key = effect.coalescingKey {
                guard tickets.withLock({ $0.latest[key] == ticket }) else { return }
            }
            let message = Self.diff(request, source: source) { currentDiff.withLock { $0 } != request.generation }
            if let message { mailbox.post(message) }
        })
    }

    // MARK: - Sync

    private func startSync(_ request: SyncRequest, dryRun: Bool = false) {
        let cancel = SyncCancellation()
        cancellation.withLock { $0 = cancel }
        syncs.withLock { $0 += 1 }
        executor.submit(EffectJob(lane: .sync, effect: dryRun ? .previewSync(request) : .sync(request)) { [self] in
            let mailbox = self.mailbox
            for message in Self.runSync(request, dryRun: dryRun, actions: actions, cancel: cancel, events: { mailbox.post($0) }) {
                mailbox.post(message)
            }
            cancellation.withLock { if $0 === cancel { $0 = nil } }
            syncs.withLock { $0 -= 1 }
        })
    }

    private func cancelSync() {
        cancellation.withLock { $0 }?.cancel()
    }

    /// Waits until a running sync has ended (after a cancel, its commands are being killed).
    /// - Returns: false when it is still running after `timeout` seconds.
    @discardableResult
    public func waitForSync(timeout: TimeInterval) -> Bool {
        // A counter, not a dispatch group: a sync a held executor never runs (the fuzz target
        // drops effects) must not crash the runner's deinit.
        let deadline = Date().addingTimeInterval(timeout)
        while syncs.withLock({ $0 }) > 0 {
            guard Date() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    // MARK: - Watching the store

    /// Reads the store's change token every `interval` seconds on a background queue and posts
    /// `.storeChanged` when it moves (and once at the start), until `stopWatching()`.
    public func startWatching(interval: TimeInterval = 0.5) {
        watcher.start(interval: interval)
    }

    /// Stops the watcher started by `startWatching`.
    public func stopWatching() {
        watcher.stop()
    }

    // MARK: - Synchronously

    /// Does one effect synchronously on the calling thread (tests, benchmarks).
    public func perform(_ effect: BrowserEffect) -> [BrowserMessage] {
        switch effect {
        case .sync(let request), .previewSync(let request):
            let events = Locked<[BrowserMessage]>([])
            var dryRun = false
            if case .previewSync = effect { dryRun = true }
            let end = Self.runSync(request, dryRun: dryRun, actions: actions, cancel: SyncCancellation()) { message in
                events.withLock { $0.append(message) }
            }
            return events.withLock { $0 } + end
        case .cancelSync:
            cancelSync()
            return []
        case .countForDelete(let target):
            return Self.count(target, actions: actions)
        case .delete(let target):
            return Self.delete(target, actions: actions)
        case .undoDelete:
            return Self.undo(actions: actions)
        default:
            return Self.perform(effect, source: source, buildDocument: buildDocument)
        }
    }
}
