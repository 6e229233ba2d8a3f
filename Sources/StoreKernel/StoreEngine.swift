import Foundation
import SodarCache

/// What a store engine writes itself: its primitives. Everything the store protocols derive
/// from them is written once, in this protocol's extension (GRDB's shape: `DatabaseWriter`
/// asks for a few primitives and derives the rest):
/// - one validating entry point for every write and delete (`CacheWriteRules`), and the
///   clock that stamps writes, whatever the engine;
/// - the cache API's single writes and deletes, as one-element batches;
/// - the before/after page pairs, from one page read in either direction.
///
/// An engine provides pages of rows after or before a key, totals, a payload, an atomic batch
/// of writes and deletes, the change token, and its administration.
public protocol StoreEngine: AnyObject, CacheStore, StoreAdministration {
    /// What every write must satisfy (the registered apps among it).
    var writeRules: CacheWriteRules { get }

    /// The time writes are stamped with; tests inject theirs.
    var clock: @Sendable () -> Date { get }

    /// Writes one item, already validated, and returns it as stored.
    func upsert(_ write: CacheWrite, now: Date) throws -> CacheItem

    /// Applies `deleting`, then `writing` (already validated), in one transaction: all of it
    /// lands, or none.
    /// - Returns: the number of items deleted.
    func commit(deleting: [CacheDeletion], writing: [CacheWrite], now: Date) throws -> Int

    /// As `commit(deleting:writing:now:)`, first reading, in the same transaction, the payloads
    /// of every item in `reading` as they stand before it (a sync unit's change report: what
    /// its writes replace). The default reads first and commits after, in two transactions.
    /// - Returns: the number of items deleted, and the payloads read (in no order).
    func commit(
        deleting: [CacheDeletion], writing: [CacheWrite], now: Date, reading: [ItemScope]
    ) throws -> (deleted: Int, before: [StoredPayload])

    /// The payloads of every item in `scopes`, as they stand (a dry run's "before").
    /// - Throws: `CacheError.projectNotFound` for a project the store does not know.
    func payloads(in scopes: [ItemScope]) throws -> [StoredPayload]

    /// What the kernel keeps of this store between calls (the listing, the totals).
    var caches: EngineCaches { get }

    /// The project tree with every project's own totals. `previous` is the last one read (its
    /// tree may be reused while the engine's `ProjectListing.treeVersion` is unchanged).
    func readListing(previous: ProjectListing?) throws -> ProjectListing

    /// Projects after `from` in the query's tree order, or (`backwards`) before it, nearest
    /// first, read without the listing (an index walk: the browser's launch must not wait for
    /// the whole tree); nil when this engine cannot answer this query so.
    func keysetProjectRows(from: ProjectSummary?, backwards: Bool, limit: Int, query: ProjectQuery) throws -> [ProjectSummary]?

    /// The listing's rows at `positions` (the default: as the listing counted them; an engine
    /// whose listing's own totals are not current reads fresh ones).
    func listedProjects(_ listing: ProjectListing, positions: [Int]) throws -> [ProjectSummary]

    /// The header's totals, and for how long they may be shown after a change (a count that
    /// scans a large table is not repeated at every change).
    func readTotals() throws -> (totals: StoreTotals, reuseFor: TimeInterval)

    /// Apps after `from` by name, or (`backwards`) before it, nearest first.
    func appRows(project: UUID?, from: AppSummary?, backwards: Bool, limit: Int, filter: String?) throws -> [AppSummary]

    /// The store's trash (what its deletes kept), where it has one.
    var trash: (any TrashKeeping)? { get }

    /// The earlier versions of items the store keeps, where it keeps them.
    var history: (any ItemHistory)? { get }

    /// The store's audit trail, where it keeps one.
    var audit: (any AuditLog)? { get }

    /// Items after `from` in the sort's order, or (`backwards`) before it, nearest first.
    func itemRows(
        project: UUID?, app: String?, sort: ItemSort, from: ItemSummary?, backwards: Bool, limit: Int, filter: String?
    ) throws -> [ItemSummary]
}

// MARK: - The cache API, validated once

extension StoreEngine {
    public var registeredApps: [String] { writeRules.registeredApps.sorted() }

    /// The clock's time as stored (whole microseconds).
    func stamp() -> Date { CacheWriteRules.storedTime(clock()) }

    @discardableResult
    public func setCacheItem(
        appName: String, name: String, data: Data, dataType: String, project: UUID?, user: User?
    ) throws -> CacheItem {
        let write = CacheWrite(appName: appName, name: name, data: data, dataType: dataType, project: project, user: user)
        try writeRules.check(write)
        return try upsert(write, now: stamp())
    }

    @discardableResult
    public func setCacheItems(_ writes: [CacheWrite]) throws -> Int {
        try commitBatch(deleting: [], writing: writes)
    }

    @discardableResult
    public func commitBatch(deleting: [CacheDeletion], writing: [CacheWrite]) throws -> Int {
        // Deletes need no registered app: that is how an app's items outlive its config entry
        // and are removed (the same rule on every engine).
        try writeRules.check(writing)
        if deleting.isEmpty && writing.isEmpty { return 0 }
        _ = try commit(deleting: deleting, writing: writing, now: stamp())
        return writing.count
    }

    @discardableResult
    public func deleteCache(appName: String?, project: UUID?) throws -> Int {
        try commit(deleting: [.all(appName: appName, project: project)], writing: [], now: stamp())
    }

    public func deleteCacheItem(appName: String, name: String, project: UUID?) throws {
        _ = try commit(deleting: [.item(appName: appName, name: name, project: project)], writing: [], now: stamp())
    }
}

// MARK: - The project listing and totals, kept until the store changes

extension StoreEngine {
    /// No trash, unless the engine keeps one.
    public var trash: (any TrashKeeping)? { nil }

    /// No history, unless the engine keeps one.
    public var history: (any ItemHistory)? { nil }

    /// No audit trail, unless the engine keeps one.
    public var audit: (any AuditLog)? { nil }

    public func keysetProjectRows(
        from: ProjectSummary?, backwards: Bool, limit: Int, query: ProjectQuery
    ) throws -> [ProjectSummary]? { nil }

    public func listedProjects(_ listing: ProjectListing, positions: [Int]) throws -> [ProjectSummary] {
        positions.map { listing.summary(at: $0) }
    }

    /// The listing as of now: kept while the change token stays, read again (one build at a
    /// time) when it moved.
    public func listing() throws -> ProjectListing {
        let token = try changeToken()
        if let kept = caches.listing(at: token) { return kept }
        return try caches.building.withLock { _ in
            let token = try changeToken()
            if let kept = caches.listing(at: token) { return kept }
            let listing = try readListing(previous: caches.listing.withLock { $0?.listing })
            caches.listing.withLock { $0 = EngineCaches.Listing(token: token, listing: listing) }
            return listing
        }
    }

    /// Projects in the query's order. While no listing is current, the engine's keyset read
    /// answers where it can, and the listing is read ahead for the pages after it; otherwise
    /// the listing answers from memory.
    func projectRows(from: ProjectSummary?, backwards: Bool, limit: Int, query: ProjectQuery) throws -> [ProjectSummary] {
        if caches.listing(at: try changeToken()) == nil,
            let page = try keysetProjectRows(from: from, backwards: backwards, limit: limit, query: query)
        {
            readListingAhead()
            return page
        }
        let listing = try listing()
        let positions = backwards
            ? listing.positions(before: from, limit: limit, query: query).reversed()
            : listing.positions(after: from, limit: limit, query: query)
        return positions.isEmpty ? [] : try listedProjects(listing, positions: positions)
    }

    /// Reads the listing off the caller's thread, a moment later: started at once, it took a
    /// core from the browser's first frame.
    func readListingAhead() {
        caches.readAhead.schedule(after: 0.15) { [weak self] in _ = try? self?.listing() }
    }

    public func totals() throws -> StoreTotals {
        let token = try changeToken()
        if let kept = caches.totals.withLock({ $0 }),
            kept.token == token || Date().timeIntervalSince(kept.at) < kept.reuseFor
        {
            return kept.totals
        }
        let (totals, reuseFor) = try readTotals()
        caches.keep(totals: totals, token: token, reuseFor: reuseFor)
        return totals
    }
}

// MARK: - Pages in both directions, from one read

extension StoreEngine {
    public func projectPage(after: ProjectSummary?, limit: Int, query: ProjectQuery) throws -> [ProjectSummary] {
        try projectRows(from: after, backwards: false, limit: limit, query: query)
    }

    public func projectPage(before: ProjectSummary?, limit: Int, query: ProjectQuery) throws -> [ProjectSummary] {
        try projectRows(from: before, backwards: true, limit: limit, query: query).reversed()
    }

    public func appPage(project: UUID?, after: AppSummary?, limit: Int, filter: String?) throws -> [AppSummary] {
        try appRows(project: project, from: after, backwards: false, limit: limit, filter: filter)
    }

    public func appPage(project: UUID?, before: AppSummary?, limit: Int, filter: String?) throws -> [AppSummary] {
        try appRows(project: project, from: before, backwards: true, limit: limit, filter: filter).reversed()
    }

    public func itemPage(
        project: UUID?, app: String?, sort: ItemSort, after: ItemSummary?, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        try itemRows(project: project, app: app, sort: sort, from: after, backwards: false, limit: limit, filter: filter)
    }

    public func itemPage(
        project: UUID?, app: String?, sort: ItemSort, before: ItemSummary?, limit: Int, filter: String?
    ) throws -> [ItemSummary] {
        try itemRows(project: project, app: app, sort: sort, from: before, backwards: true, limit: limit, filter: filter)
            .reversed()
    }

    public func allItemsPage(after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        try items(matching: CacheFilter(), after: after, limit: limit)
    }
}
