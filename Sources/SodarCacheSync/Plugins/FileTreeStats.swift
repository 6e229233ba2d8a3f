import Foundation
import JSONKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File counts and sizes of a directory tree, per top-level directory and in total.
///
/// Regular files count; symlinks are never followed (nor counted); entries that cannot be
/// read are counted in `unreadable` and skipped. The walk keeps an explicit stack of
/// directories and holds one directory open at a time, so depth costs neither Swift stack
/// nor file descriptors.
public struct FileTreeStats: Sendable, Equatable {
    /// Files and bytes under one directory.
    public struct Counts: Sendable, Equatable {
        public var fileCount: Int = 0
        public var totalSize: Int = 0

        public init(fileCount: Int = 0, totalSize: Int = 0) {
            self.fileCount = fileCount
            self.totalSize = totalSize
        }
    }

    /// One top-level directory: its full path and counts, or nil counts when it could not be opened.
    public struct Collection: Sendable, Equatable {
        public var path: String
        public var counts: Counts?
    }

    /// The top-level directories in byte order of their names.
    public var collections: [Collection]
    /// Every regular file of the tree, top-level files included.
    public var total: Counts
    /// Directories that could not be opened or read, and entries that could not be stat'ed.
    public var unreadable: Int

    /// Walks the tree under `root`.
    /// - Throws: `SyncError.projectPathUnusable` when `root` is not a readable directory.
    public static func scan(root: String) throws -> FileTreeStats {
        var rootPath = Array(root.utf8)
        while rootPath.count > 1, rootPath.last == UInt8(ascii: "/") { rootPath.removeLast() }
        var st = stat()
        guard stat(root, &st) == 0 else {
            throw SyncError.projectPathUnusable(path: root, reason: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw SyncError.projectPathUnusable(path: root, reason: "not a directory")
        }
        var walker = Walker(cancellation: SyncCancellation.current)
        var topDirectories: [[UInt8]] = []
        let opened = walker.list(rootPath) { name, isDirectory in
            if isDirectory { topDirectories.append(name) }
        }
        guard opened else {
            throw SyncError.projectPathUnusable(path: root, reason: String(cString: strerror(walker.lastError)))
        }
        topDirectories.sort { $0.lexicographicallyPrecedes($1) }
        var collections: [Collection] = []
        var total = walker.counts
        let separator: [UInt8] = rootPath == [UInt8(ascii: "/")] ? [] : [UInt8(ascii: "/")]
        for name in topDirectories {
            let path = rootPath + separator + name
            var sub = Walker(cancellation: walker.cancellation)
            let readable = sub.walk(path)
            if sub.cancellation?.isCancelled == true {
                throw SyncError.commandCancelled(command: ["filestats", root])
            }
            total.fileCount += sub.counts.fileCount
            total.totalSize += sub.counts.totalSize
            walker.unreadable += sub.unreadable + (readable ? 0 : 1)
            collections.append(
                Collection(path: String(decoding: path, as: UTF8.self), counts: readable ? sub.counts : nil))
        }
        return FileTreeStats(collections: collections, total: total, unreadable: walker.unreadable)
    }

    // MARK: - SODAR shapes

    /// `{"paths": {"<dir>": {"file_count": N, "total_size": BYTES} or null, ...}}`.
    public var collectionsJSON: Data {
        var out = "{\"paths\": {"
        for (index, collection) in collections.enumerated() {
            if index > 0 { out += ", " }
            out += JSON.quote(collection.path) + ": "
            if let counts = collection.counts {
                out += "{\"file_count\": \(counts.fileCount), \"total_size\": \(counts.totalSize)}"
            } else {
                out += "null"
            }
        }
        out += "}}"
        return Data(out.utf8)
    }

    /// `{"file_count": N, "total_size": BYTES, "unreadable": N}`.
    public var summaryJSON: Data {
        Data("{\"file_count\": \(total.fileCount), \"total_size\": \(total.totalSize), \"unreadable\": \(unreadable)}".utf8)
    }
}

/// The directory walk itself: readdir + fstatat relative to the open directory.
private struct Walker {
    /// Checked between directories: Ctrl-C must stop a walk of a huge (or hung) tree.
    let cancellation: SyncCancellation?
    var counts = FileTreeStats.Counts()
    var unreadable = 0
    var lastError: Int32 = 0

    /// Walks everything under `path`; false when `path` itself could not be opened.
    mutating func walk(_ path: [UInt8]) -> Bool {
        var stack: [[UInt8]] = []
        let opened = list(path) { name, isDirectory in
            if isDirectory { stack.append(path + [UInt8(ascii: "/")] + name) }
        }
        guard opened else { return false }
        while let directory = stack.popLast() {
            if cancellation?.isCancelled == true { return true }
            let ok = list(directory) { name, isDirectory in
                if isDirectory { stack.append(directory + [UInt8(ascii: "/")] + name) }
            }
            if !ok { unreadable += 1 }
        }
        return true
    }

    /// Reads one directory: counts its regular files, reports its subdirectories' names.
    /// False (with `lastError`) when it cannot be opened.
    mutating func list(_ path: [UInt8], subdirectory: ([UInt8], Bool) -> Void) -> Bool {
        var terminated = path
        terminated.append(0)
        let fd = terminated.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                open($0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
        }
        guard fd >= 0 else {
            lastError = errno
            return false
        }
        guard let dir = fdopendir(fd) else {
            lastError = errno
            close(fd)
            return false
        }
        defer { closedir(dir) }
        var st = stat()
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { unreadable += 1 }
                break
            }
            let type = entry.pointee.d_type
            withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { name in
                    // Skip "." and "..".
                    if name[0] == 0x2E && (name[1] == 0 || (name[1] == 0x2E && name[2] == 0)) { return }
                    switch Int32(type) {
                    case Int32(DT_DIR):
                        subdirectory(Self.bytes(name), true)
                    case Int32(DT_REG), Int32(DT_UNKNOWN):
                        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
                            unreadable += 1
                            return
                        }
                        let format = st.st_mode & S_IFMT
                        if format == S_IFREG {
                            counts.fileCount += 1
                            counts.totalSize += Int(st.st_size)
                        } else if format == S_IFDIR {
                            subdirectory(Self.bytes(name), true)
                        }
                    default:
                        break  // symlinks (not followed), sockets, devices, fifos
                    }
                }
            }
        }
        return true
    }

    private static func bytes(_ name: UnsafePointer<CChar>) -> [UInt8] {
        let length = strlen(name)
        return name.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}
