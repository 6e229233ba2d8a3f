import Foundation
import JSONKit
import SodarCache

/// A thread-safe queue of actions from background work to the UI thread.
public final class BrowserMailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [BrowserAction] = []

    public init() {}

    public func post(_ action: BrowserAction) {
        lock.lock()
        pending.append(action)
        lock.unlock()
    }

    /// Everything posted since the last drain, oldest first.
    public func drain() -> [BrowserAction] {
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
/// (so preparing a large document never holds up the lists). A first-page request that a
/// newer one of the same kind has replaced is skipped.
public final class EffectRunner: @unchecked Sendable {
    /// Builds a payload document from an item's bytes.
    public typealias DocumentBuilder = @Sendable (Data) throws -> any PayloadDocument

    public let source: any CacheBrowsing
    public let mailbox: BrowserMailbox
    let buildDocument: DocumentBuilder
    private let listQueue = DispatchQueue(label: "sodarcache.browser.lists")
    private let payloadQueue = DispatchQueue(label: "sodarcache.browser.payload")
    private let lock = NSLock()
    private var latest: [String: Int] = [:]
    private var counter = 0

    public init(source: any CacheBrowsing, mailbox: BrowserMailbox, buildDocument: @escaping DocumentBuilder) {
        self.source = source
        self.mailbox = mailbox
        self.buildDocument = buildDocument
    }

    /// Queues an effect; its result arrives in the mailbox.
    public func run(_ effect: BrowserEffect) {
        let ticket = takeTicket(effect.coalescingKey)
        let queue: DispatchQueue
        switch effect {
        case .loadPayload, .saveJSON: queue = payloadQueue
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

    private func takeTicket(_ key: String?) -> Int {
        guard let key else { return 0 }
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        latest[key] = counter
        return counter
    }

    /// Does one effect synchronously on the calling thread (tests, benchmarks).
    public func perform(_ effect: BrowserEffect) -> [BrowserAction] {
        Self.perform(effect, source: source, buildDocument: buildDocument)
    }

    /// Does one effect synchronously against a source.
    public static func perform(
        _ effect: BrowserEffect, source: any CacheBrowsing, buildDocument: DocumentBuilder
    ) -> [BrowserAction] {
        switch effect {
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
        case .loadApps(let generation, let project, let after, let limit):
            do {
                let rows = try source.appPage(project: project, after: after, limit: limit + 1)
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
        case .saveJSON(let data, let path):
            var text = (try? JSON.pretty(data)) ?? data
            if text.last != UInt8(ascii: "\n") { text.append(UInt8(ascii: "\n")) }
            guard let path else { return [.saved(path: nil, data: text)] }
            do {
                try text.write(to: URL(fileURLWithPath: path), options: .atomic)
                return [.saved(path: path, data: text)]
            } catch {
                return [.saveFailed(path: path, message: describe(error))]
            }
        case .quit:
            return []
        }
    }

    /// A one-line message for the status line.
    static func describe(_ error: any Error) -> String {
        let text: String
        switch error {
        case let error as CacheError: text = error.description
        case let error as JSONError: text = "Invalid JSON: " + error.description
        default: text = error.localizedDescription
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
