import Foundation
import StoreKernel

/// Writing an item's JSON to a file the user named, without destroying anything by accident.
///
/// The open store, its side files (`-wal`, `-shm`, `-journal`) and any SQLite database are
/// refused outright (compared by resolved path and by device and inode, so a symlink or a
/// hard link to the store is caught too). An existing file is only replaced when the user
/// said so. The bytes go to a temporary file in the same directory that is then renamed over
/// the target: a failed write leaves the target as it was.
public enum PayloadFile {
    /// What is at the target path.
    public enum Target: Sendable, Hashable {
        /// Nothing: the file would be created.
        case new
        /// A file that writing would replace (its size in bytes).
        case existing(size: Int)
        /// Writing there is refused; the reason, in words.
        case refused(String)
    }

    /// SQLite's 16-byte file header.
    static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)
    /// Files SQLite keeps beside a database.
    static let sideSuffixes = SQLiteFiles.sideSuffixes

    /// Checks `path` as a place to write to, next to the store at `storePath`.
    public static func check(_ path: String, storePath: String) -> Target {
        let resolved = resolve(path)
        var info = stat()
        let exists = lstatFollowing(resolved, &info)
        if exists, (info.st_mode & S_IFMT) == S_IFDIR { return .refused("it is a directory") }
        // The store and its side files, by resolved path and by file identity.
        let store = resolve(storePath)
        for suffix in [""] + sideSuffixes {
            let protected = store + suffix
            if resolved == protected { return .refused(refusal(suffix)) }
            var other = stat()
            if exists, lstatFollowing(protected, &other), other.st_dev == info.st_dev, other.st_ino == info.st_ino {
                return .refused(refusal(suffix))
            }
        }
        if exists, (info.st_mode & S_IFMT) != S_IFREG { return .refused("it is not a regular file") }
        if exists, isSQLiteDatabase(resolved) {
            return .refused("it is a SQLite database")
        }
        // Another database's side file: as precious as the database.
        for suffix in sideSuffixes where resolved.hasSuffix(suffix) {
            if isSQLiteDatabase(String(resolved.dropLast(suffix.count))) {
                return .refused("it belongs to the SQLite database beside it")
            }
        }
        return exists ? .existing(size: Int(info.st_size)) : .new
    }

    static func refusal(_ suffix: String) -> String {
        suffix.isEmpty ? "it is the open store" : "it is the open store's \(suffix) file"
    }

    /// Writes `data` to `path` through a temporary file and a rename; an existing file keeps
    /// its permissions. Checks the target again first (it may have changed since it was asked
    /// about).
    /// - Throws: `PayloadFile.Failure` naming what went wrong; the target is untouched then.
    /// - Parameter writeAll: writes the bytes to the open temporary file (tests inject a failing one).
    public static func write(
        _ data: Data, to path: String, storePath: String, overwrite: Bool,
        writeAll: (Int32, UnsafeRawBufferPointer) -> Bool = PayloadFile.writeAll
    ) throws {
        switch check(path, storePath: storePath) {
        case .refused(let reason): throw Failure(text: "refused: " + reason)
        case .existing where !overwrite: throw Failure(text: "it exists (nothing written)")
        case .existing, .new: break
        }
        let target = resolve(path)
        let directory = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        var template = Array((directory + "/." + name + ".sodarcache-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw Failure(text: "cannot create a file in \(directory): \(errorText())") }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var done = false
        defer {
            if !done { unlink(temporary) }
        }
        var mode: mode_t
        var info = stat()
        if stat(target, &info) == 0 {
            mode = info.st_mode & 0o7777
        } else {
            let mask = umask(0o022)
            umask(mask)
            mode = 0o666 & ~mask
        }
        let written = data.withUnsafeBytes { writeAll(descriptor, $0) }
        let failure = written ? nil : errorText()
        let synced = written && fsync(descriptor) == 0 && fchmod(descriptor, mode) == 0
        let syncFailure = synced ? nil : errorText()
        close(descriptor)
        guard written else { throw Failure(text: "cannot write: \(failure ?? "unknown error")") }
        guard synced else { throw Failure(text: "cannot write: \(syncFailure ?? "unknown error")") }
        guard rename(temporary, target) == 0 else { throw Failure(text: "cannot replace it: \(errorText())") }
        done = true
    }

    /// Writes every byte to the descriptor; false (errno set) on an error.
    public static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Why a write did not happen, in one line.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var text: String
        public var description: String { text }
    }

    // MARK: - Helpers

    /// The absolute path with symlinks resolved: of the file when it exists, else of its
    /// directory with the name appended.
    static func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let real = realPath(absolute) { return real }
        let ns = absolute as NSString
        let directory = realPath(ns.deletingLastPathComponent) ?? ns.deletingLastPathComponent
        return (directory as NSString).appendingPathComponent(ns.lastPathComponent)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `stat` (following symlinks): whether there is a file.
    static func lstatFollowing(_ path: String, _ info: inout stat) -> Bool {
        stat(path, &info) == 0
    }

    /// Whether the file starts with SQLite's header.
    static func isSQLiteDatabase(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: sqliteHeader.count)
        let n = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        return n == sqliteHeader.count && header == sqliteHeader
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
