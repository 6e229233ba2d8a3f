import Foundation
import Logging
import SodarCache
import StoreKernel
import Testing
@testable import SodarCacheSQLite

/// The kernel's two-step changes (`SiteEngine`): a site whose commit can be made to fail at
/// will, beside a real local store. PostgreSQL cannot lose a connection on cue between its
/// commit and its answer; this site can.
@Suite("SiteEngine: a change kept in two places")
struct SiteEngineTests {
    /// What the site's commit does.
    enum Commit {
        /// Commits and says so.
        case normal
        /// Fails before committing: the transaction rolled back.
        case refused
        /// Commits, then the answer is lost: the caller sees an error.
        case lostAfterCommit
        /// As `lostAfterCommit`, and the site no longer knows the transaction (too old).
        case lostAndForgotten
    }

    /// A site of items in memory with transaction ids, as SODAR's tables under PostgreSQL.
    final class FakeSite: SiteEngine, @unchecked Sendable {
        final class Transaction {
            var items: [UUID: CacheItem]
            let id: Int64
            init(items: [UUID: CacheItem], id: Int64) {
                self.items = items
                self.id = id
            }
        }

        let siteLocal: SiteLocalStore
        let changes: ChangePolicy
        let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_000) }
        let capabilities: StoreCapabilities
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let state = Locked<(items: [UUID: CacheItem], nextID: Int64, outcomes: [Int64: SiteTransactionOutcome])>(([:], 100, [:]))
        let commit = Locked(Commit.normal)

        /// - Parameters:
        ///   - opens: whether the local store opens (false: it throws, as a folder it cannot write).
        ///   - readsAsItIs: reads open the file read-only as it is (nil when there is none),
        ///     as the command line does; else as changes do.
        init(
            local path: String, changes: ChangePolicy = .standard, capabilities: StoreCapabilities = .full, opens: Bool = true,
            readsAsItIs: Bool = false
        ) {
            self.changes = changes
            self.capabilities = capabilities
            let quiet = logger
            let open: @Sendable () throws -> any LocalTrashStore = {
                guard opens else { throw CacheError.storeUnwritable(location: path, reason: "cannot create the file") }
                return try SQLiteCacheStore(path: path, registeredApps: [], logger: quiet)
            }
            let openAsItIs: @Sendable () throws -> (any LocalTrashStore)? = {
                guard FileManager.default.fileExists(atPath: path) else { return nil }
                return try SQLiteCacheStore(path: path, registeredApps: [], readOnly: true, logger: quiet, busyTimeout: 1)
            }
            siteLocal = SiteLocalStore(open: open, openForReading: readsAsItIs ? openAsItIs : nil)
        }

        var items: [UUID: CacheItem] { state.withLock { $0.items } }

        func writeTransaction<T>(audit: ((T) -> AuditNote)?, _ body: (Transaction) throws -> T) throws -> T {
            let transaction = state.withLock { state -> Transaction in
                state.nextID += 1
                state.outcomes[state.nextID] = .inProgress
                return Transaction(items: state.items, id: state.nextID)
            }
            let result: T
            do {
                result = try body(transaction)
            } catch {
                state.withLock { $0.outcomes[transaction.id] = .rolledBack }
                throw error
            }
            let mode = commit.withLock { $0 }
            state.withLock { state in
                switch mode {
                case .refused: state.outcomes[transaction.id] = .rolledBack
                case .normal, .lostAfterCommit:
                    state.items = transaction.items
                    state.outcomes[transaction.id] = .committed
                case .lostAndForgotten:
                    state.items = transaction.items
                    state.outcomes[transaction.id] = .unknown
                }
            }
            if mode != .normal { throw CacheError.storeUnreachable(location: "fake site", reason: "connection lost") }
            if let audit { recordCommitted(audit(result)) }
            return result
        }

        func siteTransaction(_ transaction: Transaction) throws -> (id: Int64, role: String?) { (transaction.id, "sodar") }

        func siteTransactionOutcome(_ id: Int64) throws -> SiteTransactionOutcome {
            state.withLock { $0.outcomes[id] ?? .unknown }
        }

        func siteHolds(anyOf uuids: [UUID]) throws -> Bool {
            let items = self.items
            return uuids.contains { items[$0] != nil }
        }

        func restoreSiteRows(_ items: [TrashedItem], entries: [Int64]) throws -> [RestoreReport.Skipped] {
            try writeTransaction(audit: nil) { transaction in
                var skipped: [RestoreReport.Skipped] = []
                for item in items {
                    if transaction.items[item.uuid] != nil {
                        skipped.append(.init(item: item, reason: .alreadyThere))
                    } else {
                        transaction.items[item.uuid] = item.item
                    }
                }
                return skipped
            }
        }

        /// Puts items on the site, as SODAR would.
        func seed(_ names: [String]) -> [CacheItem] {
            let made = names.map { name in
                CacheItem(
                    uuid: UUID(), project: nil, appName: "filesfolders", name: name, user: nil, data: Data(#"{"n":1}"#.utf8),
                    dateModified: Date(timeIntervalSince1970: 1_700_000_000))
            }
            state.withLock { state in for item in made { state.items[item.uuid] = item } }
            return made
        }

        /// Deletes every item through the kernel's delete on a site.
        @discardableResult
        func deleteAll() throws -> Int {
            try siteDeleteTransaction(audit: nil) { transaction, change in
                let taken = transaction.items.values.sorted { $0.name < $1.name }
                for item in taken {
                    transaction.items[item.uuid] = nil
                    change?.took(TrashedItem(entry: 0, item: item))
                }
                return taken.count
            }
        }
    }

    let directory: URL
    var path: String { directory.appendingPathComponent("local.sqlite3").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-site-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test("a committed delete is kept in the trash, as this session's")
    func committedDeleteIsKept() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = FakeSite(local: path)
        let items = site.seed(["a", "b"])
        #expect(try site.deleteAll() == 2)
        #expect(site.items.isEmpty)
        let trash = SiteTrash(site)
        let entries = try trash.trashEntries(limit: 10)
        #expect(entries.count == 1)
        #expect(trash.deletesThisSession == entries.map(\.id))
        #expect(Set(try trash.trashedItems(entry: entries[0].id).map(\.uuid)) == Set(items.map(\.uuid)))
        #expect(try site.siteLocal.openedForChanges?.pendingEntries().isEmpty == true)
    }

    @Test("a delete the site refuses to commit leaves nothing in the trash")
    func refusedCommitKeepsNothing() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = FakeSite(local: path)
        _ = site.seed(["a"])
        site.commit.withLock { $0 = .refused }
        #expect(throws: CacheError.self) { try site.deleteAll() }
        #expect(site.items.count == 1)
        #expect(try SiteTrash(site).trashEntries(limit: 10).isEmpty)
        #expect(try site.siteLocal.openedForChanges?.pendingEntries().isEmpty == true)
    }

    @Test("a delete whose answer is lost after the commit is kept, found out by asking the site")
    func lostAnswerIsSettled() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = FakeSite(local: path)
        _ = site.seed(["a", "b"])
        site.commit.withLock { $0 = .lostAfterCommit }
        #expect(throws: CacheError.self) { try site.deleteAll() }
        #expect(site.items.isEmpty)
        let entries = try SiteTrash(site).trashEntries(limit: 10)
        #expect(entries.map(\.items) == [2])
        #expect(try site.siteLocal.openedForChanges?.pendingEntries().isEmpty == true)
        // Settled by a reconcile, not by this session's own settle.
        #expect(SiteTrash(site).deletesThisSession.isEmpty)
    }

    @Test("a delete whose transaction the site forgot is settled when its items are gone; one whose items are there is dropped at the next open")
    func forgottenTransactionsAreDecidedByTheItems() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = FakeSite(local: path)
        _ = first.seed(["a"])
        first.commit.withLock { $0 = .lostAndForgotten }
        #expect(throws: CacheError.self) { try first.deleteAll() }
        let local = try SQLiteCacheStore(path: path, registeredApps: [], logger: first.logger)
        #expect(try local.pendingEntries().isEmpty, "an unknown outcome with the items gone is a commit")
        #expect(try local.trashEntries(limit: 10).count == 1)

        // Now a pending entry whose items are still on the site: its transaction never committed.
        let second = FakeSite(local: path)
        let kept = second.seed(["b"])
        let pending = try local.keepPending(
            [TrashedItem(entry: 0, item: kept[0])], attribution: .library, role: "sodar", at: second.clock(), transaction: 7)
        #expect(try local.pendingEntries().map(\.entry) == [pending])
        _ = try second.localStore()
        #expect(try local.pendingEntries().isEmpty)
        #expect(try local.trashEntry(id: pending) == nil, "dropped: the item is still on the site")
        #expect(try local.trashEntries(limit: 10).count == 1)
    }

    @Test("a restore puts items back on the site and takes them out of the trash")
    func restoreRoundTrip() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = FakeSite(local: path)
        let items = site.seed(["a", "b"])
        try site.deleteAll()
        let trash = SiteTrash(site)
        let entry = try #require(try trash.trashEntries(limit: 1).first)
        let report = try trash.restore(entries: [entry.id])
        #expect(report.skipped.isEmpty)
        #expect(Set(site.items.keys) == Set(items.map(\.uuid)))
        #expect(try trash.trashEntries(limit: 10).isEmpty)
    }

    @Test("a write's replaced version joins the history once the site committed it, never when it did not")
    func replacedVersionsFollowTheCommit() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = FakeSite(local: path)
        let old = site.seed(["a"])[0]
        func rewrite() throws {
            let local = try #require(site.siteHistoryStore(), "the standard policy keeps versions")
            _ = try site.siteChangeTransaction(local, audit: nil) { transaction, change in
                let write = CacheWrite(appName: old.appName, name: old.name, data: Data(#"{"n":2}"#.utf8))
                change?.versions?.wrote([write], replacing: [old])
                transaction.items[old.uuid]?.data = write.data
            }
        }
        site.commit.withLock { $0 = .refused }
        #expect(throws: CacheError.self) { try rewrite() }
        let history = SiteHistory(site)
        #expect(try history.versions(appName: old.appName, name: old.name, project: nil).isEmpty)
        #expect(try site.siteLocal.openedForChanges?.pendingSiteVersionTransactions().isEmpty == true)
        site.commit.withLock { $0 = .normal }
        try rewrite()
        let kept = try history.versions(appName: old.appName, name: old.name, project: nil)
        #expect(kept.count == 1)
        #expect(try kept.first.flatMap { try history.version(rev: $0.rev)?.data } == old.data)
    }

    @Test("a local store that cannot open stops a delete only while the trash is on")
    func anUnopenableLocalStoreStopsOnlyAKeptDelete() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let kept = FakeSite(local: path, opens: false)
        _ = kept.seed(["a"])
        #expect(throws: CacheError.self) { try kept.deleteAll() }
        #expect(kept.items.count == 1, "nothing deleted that the trash could not keep")
        var changes = ChangePolicy.standard
        changes.trash.enabled = false
        let unkept = FakeSite(local: path, changes: changes, opens: false)
        _ = unkept.seed(["a"])
        #expect(try unkept.deleteAll() == 1)
        #expect(unkept.items.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a session that may not write keeps no versions, and reads create no local store")
    func readsAndReadOnlySessionsWriteNothingLocally() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let site = FakeSite(local: path, capabilities: .readOnly("opened with --read-only"), readsAsItIs: true)
        #expect(site.siteHistoryStore() == nil)
        #expect(try SiteTrash(site).trashEntries(limit: 10).isEmpty)
        #expect(try SiteHistory(site).historyPolicy().versions == HistoryPolicy.standard.versions)
        #expect(try SiteAudit(site).auditEntries(since: nil, limit: 10).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path), "a read opened the local store for changes")
        // Once a change made it, a read of another session sees it as it is.
        let writer = FakeSite(local: path)
        _ = writer.seed(["a"])
        try writer.deleteAll()
        #expect(try SiteTrash(site).trashEntries(limit: 10).count == 1)
    }

    @Test("with the trash off, a delete keeps nothing and opens no pending entry")
    func trashOffKeepsNothing() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var changes = ChangePolicy.standard
        changes.trash.enabled = false
        let site = FakeSite(local: path, changes: changes)
        _ = site.seed(["a"])
        try site.storeNoHistory()
        #expect(try site.deleteAll() == 1)
        #expect(try SiteTrash(site).trashEntries(limit: 10).isEmpty)
        #expect(try site.siteLocal.openedForChanges?.pendingEntries().isEmpty == true)
    }
}

extension SiteEngineTests.FakeSite {
    /// Turns the site's history off in its local store (a delete then keeps no versions).
    func storeNoHistory() throws {
        try SiteHistory(self).storeHistoryPolicy(HistoryPolicy(versions: 0, perApp: [:], maxBytes: 0))
    }
}
