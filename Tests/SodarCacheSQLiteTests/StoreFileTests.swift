import Foundation
import GRDB
import Logging
import Testing
import SodarCache
@testable import SodarCacheSQLite

@Suite struct StoreFileTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sodarcache-file-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func open(_ path: String, readOnly: Bool = false, busyTimeout: TimeInterval = 5) throws -> SQLiteCacheStore {
        try SQLiteCacheStore(
            path: path, registeredApps: ["timeline"], readOnly: readOnly,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), busyTimeout: busyTimeout)
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func createdWithOwnerOnlyPermissions() throws {
        let path = directory.appendingPathComponent("new/nested/cache.sqlite3").path
        let store = try open(path)
        try store.setCacheItem(appName: "timeline", name: "x", data: json("{}"))
        #expect(try mode(path) == 0o600)
        #expect(try mode(directory.appendingPathComponent("new/nested").path) == 0o700)
        #expect(try mode(directory.appendingPathComponent("new").path) == 0o700)
        #expect(try mode(path + "-wal") == 0o600)
    }

    @Test func notADatabase() throws {
        let path = directory.appendingPathComponent("notes.txt").path
        try Data(String(repeating: "just some text, not SQLite\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CacheError.storeNotDatabase(location: path)) { try open(path) }
        #expect(throws: CacheError.storeNotDatabase(location: path)) { try open(path, readOnly: true) }
    }

    @Test func newerSchemaIsRefused() throws {
        let path = directory.appendingPathComponent("cache.sqlite3").path
        do {
            let store = try open(path)
            try store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
            }
        }
        #expect(throws: CacheError.storeTooNew(location: path, version: "v99-from-the-future")) { try open(path) }
    }

    @Test func unwritableLocation() throws {
        // Tests run as root, where permission bits do not stop writes: use a path below a file.
        let file = directory.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let path = file.appendingPathComponent("sub/cache.sqlite3").path
        #expect {
            try open(path)
        } throws: { error in
            guard case CacheError.storeUnwritable(let bad, _) = error else { return false }
            return bad == path
        }
        let dirPath = directory.appendingPathComponent("a-directory").path
        try FileManager.default.createDirectory(atPath: dirPath, withIntermediateDirectories: true)
        #expect(throws: CacheError.self) { try open(dirPath) }
    }

    @Test func readOnlyStoreNeverWrites() throws {
        let path = directory.appendingPathComponent("cache.sqlite3").path
        #expect(throws: CacheError.self) { try open(path, readOnly: true) }
        #expect(!FileManager.default.fileExists(atPath: path))
        let writer = try open(path)
        try writer.setCacheItem(appName: "timeline", name: "x", data: json("[1]"))
        let reader = try open(path, readOnly: true)
        #expect(try reader.getCacheItem(appName: "timeline", name: "x")?.data == json("[1]"))
        #expect(throws: CacheError.self) { try reader.setCacheItem(appName: "timeline", name: "y", data: json("[2]")) }
        #expect(try writer.getCacheItem(appName: "timeline", name: "y") == nil)
        let before = try reader.changeToken()
        try writer.setCacheItem(appName: "timeline", name: "x", data: json("[3]"))
        #expect(try reader.changeToken() != before)
    }

    @Test func persistentLockIsReportedAsBusy() throws {
        let path = directory.appendingPathComponent("cache.sqlite3").path
        let store = try open(path, busyTimeout: 0.2)
        var config = Configuration()
        config.allowsUnsafeTransactions = true
        let locker = try DatabaseQueue(path: path, configuration: config)
        try locker.inDatabase { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            try db.execute(sql: "CREATE TABLE lock_holder (x)")
        }
        #expect(throws: CacheError.storeBusy(location: path)) {
            try store.setCacheItem(appName: "timeline", name: "x", data: json("{}"))
        }
        try locker.inDatabase { db in try db.execute(sql: "ROLLBACK") }
        try store.setCacheItem(appName: "timeline", name: "x", data: json("{}"))
    }

    @Test func changeTokenReportsAStoreDeletedUnderneath() throws {
        let path = directory.appendingPathComponent("cache.sqlite3").path
        let store = try open(path)
        _ = try store.changeToken()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        #expect(throws: CacheError.storeReplaced(location: path)) { try store.changeToken() }
        // A new store at the same path is another file: still not the one that was opened.
        _ = try open(path)
        #expect(throws: CacheError.storeReplaced(location: path)) { try store.changeToken() }
    }

    @Test func changeTokenMovesOnOwnAndOtherInstancesWrites() throws {
        let path = directory.appendingPathComponent("cache.sqlite3").path
        let first = try open(path)
        let second = try open(path)
        let start = try first.changeToken()
        #expect(try first.changeToken() == start)
        #expect(try first.totals().items == 0)
        try second.setCacheItem(appName: "timeline", name: "x", data: json("{}"))
        let afterOther = try first.changeToken()
        #expect(afterOther != start)
        #expect(try first.totals().items == 1)
        try first.setCacheItem(appName: "timeline", name: "y", data: json("{}"))
        let afterOwn = try first.changeToken()
        #expect(afterOwn != afterOther)
        #expect(try first.totals().items == 2)
        #expect(try second.totals().items == 2)
        _ = try first.getCacheItem(appName: "timeline", name: "y")
        #expect(try first.changeToken() == afterOwn)
        // Another instance sees the first one's project writes too.
        let secondStart = try second.changeToken()
        try first.addProject(Project(title: "P"))
        #expect(try second.changeToken() != secondStart)
    }

    @Test func twoInstancesWritingAtOnceLoseNothing() throws {
        let path = directory.appendingPathComponent("cache.sqlite3").path
        let stores = [try open(path), try open(path)]
        let failures = FailureCount()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let store = stores[worker % 2]
            for i in 0..<100 {
                do {
                    try store.setCacheItem(appName: "timeline", name: "w\(worker)-\(i)", data: json("[\(i)]"))
                    _ = try store.getCacheItem(appName: "timeline", name: "w\(worker)-\(i)")
                } catch {
                    failures.add()
                }
            }
        }
        #expect(failures.value == 0)
        #expect(try stores[0].totals().items == 400)
        #expect(try stores[1].getProjectCache(project: nil).count == 400)
    }
}

/// Counts failures across threads.
final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
