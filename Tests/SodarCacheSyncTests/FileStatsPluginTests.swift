import Foundation
import SodarCache
import Testing

@testable import SodarCacheSync

#if canImport(Glibc)
    import Glibc
#endif

@Suite("filestats")
struct FileStatsPluginTests {
    /// root/a/{f1 10 B, f2 20 B, sub/f3 5 B, loop -> ..}, root/b (empty), root/top.txt 7 B,
    /// root/locked (mode 000, holding f 3 B), root/self -> root, root/a/sub/deep unreadable 000.
    func makeTree() throws -> TempDir {
        let dir = try TempDir()
        try dir.file("a/f1", size: 10)
        try dir.file("a/f2", size: 20)
        try dir.file("a/sub/f3", size: 5)
        try dir.file("a/sub/deep/hidden", size: 1000)
        try FileManager.default.createDirectory(atPath: dir.path + "/b", withIntermediateDirectories: true)
        try dir.file("top.txt", size: 7)
        try dir.file("locked/f", size: 3)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/a/loop", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/self", withDestinationPath: dir.path)
        chmod(dir.path + "/locked", 0)
        chmod(dir.path + "/a/sub/deep", 0)
        return dir
    }

    /// Runs `body` on a thread whose filesystem uid is `nobody` when we are root: Linux drops
    /// CAP_DAC_OVERRIDE with a non-zero fsuid, so mode-000 directories are unreadable to the
    /// walk even for root. The fsuid is per thread, so the rest of the process is unaffected.
    func asUnprivileged<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let result = Locked<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let privileged = geteuid() == 0
            if privileged { _ = setFilesystemUID(65534) }
            let outcome = Result { try body() }
            if privileged { _ = setFilesystemUID(0) }
            result.withLock { $0 = outcome }
            done.signal()
        }
        thread.start()
        done.wait()
        return try result.withLock { $0 }!.get()
    }

    /// Whether `nobody` can reach the temporary folder the trees are made in. Only root
    /// switches to it; a $TMPDIR under a folder closed to others (root's home, a 0700
    /// `mktemp -d` folder) would fail the walk for that instead of the mode-000 folders.
    static var unprivilegedCanReachTemp: Bool {
        guard geteuid() == 0 else { return true }
        var folder = URL(fileURLWithPath: NSTemporaryDirectory()).standardizedFileURL.path
        while true {
            var info = stat()
            if stat(folder, &info) == 0, info.st_mode & S_IXOTH == 0 {
                print("filestats tests skipped: user 65534 cannot enter \(folder) ($TMPDIR \(NSTemporaryDirectory()))")
                return false
            }
            if folder == "/" || folder.isEmpty { return true }
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    @Test(
        "counts regular files per top-level directory; unreadable dirs counted and null; symlinks not followed",
        .enabled(if: unprivilegedCanReachTemp))
    func tree() throws {
        let dir = try makeTree()
        let root = dir.path
        let stats = try asUnprivileged { try FileTreeStats.scan(root: root) }
        #expect(stats.collections == [
            .init(path: root + "/a", counts: .init(fileCount: 3, totalSize: 35)),
            .init(path: root + "/b", counts: .init(fileCount: 0, totalSize: 0)),
            .init(path: root + "/locked", counts: nil),
        ])
        #expect(stats.total == .init(fileCount: 4, totalSize: 42))
        #expect(stats.unreadable == 2)
    }

    @Test(
        "writes stats/collections and stats/summary in SODAR's shapes, in one transaction",
        .enabled(if: unprivilegedCanReachTemp))
    func items() throws {
        let dir = try makeTree()
        let project = Project(title: "P", path: dir.path + "/")
        let store = MemoryStore(projects: [project])
        try asUnprivileged { try FileStatsPlugin().updateCache(name: nil, project: project, user: nil, cache: store) }
        #expect(store.transactionCount == 1)
        let collections = try #require(try store.getCacheItem(appName: "filestats", name: "stats/collections", project: project.uuid))
        #expect(String(decoding: collections.data, as: UTF8.self) == """
            {"paths": {"\(dir.path)/a": {"file_count": 3, "total_size": 35}, "\(dir.path)/b": {"file_count": 0, "total_size": 0}, "\(dir.path)/locked": null}}
            """)
        let summary = try #require(try store.getCacheItem(appName: "filestats", name: "stats/summary", project: project.uuid))
        #expect(String(decoding: summary.data, as: UTF8.self) == #"{"file_count": 4, "total_size": 42, "unreadable": 2}"#)
    }

    @Test("projects without a path are skipped silently")
    func noPath() throws {
        let store = MemoryStore()
        try FileStatsPlugin().updateCache(name: nil, project: Project(title: "P"), user: nil, cache: store)
        #expect(store.transactionCount == 0)
    }

    @Test("a path that does not exist fails naming it")
    func missingPath() throws {
        let error = try #require(throws: SyncError.self) {
            try FileStatsPlugin().updateCache(
                name: nil, project: Project(title: "P", path: "/nonexistent/tree"), user: nil, cache: MemoryStore())
        }
        #expect(error.description.contains("/nonexistent/tree"))
    }

    @Test("a deep tree is walked without recursion limits")
    func deepTree() throws {
        let dir = try TempDir()
        var path = dir.path + "/top"
        for level in 0..<300 {
            path += "/d\(level)"
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: path + "/leaf"))
        let stats = try FileTreeStats.scan(root: dir.path)
        #expect(stats.total == .init(fileCount: 1, totalSize: 1))
        #expect(stats.collections.first?.counts == .init(fileCount: 1, totalSize: 1))
    }
}

/// glibc's `setfsuid`, which Swift's Glibc module does not export.
private func setFilesystemUID(_ uid: UInt32) -> Int32 {
    typealias SetFSUID = @convention(c) (UInt32) -> Int32
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "setfsuid") else { return -1 }
    return unsafeBitCast(symbol, to: SetFSUID.self)(uid)
}
