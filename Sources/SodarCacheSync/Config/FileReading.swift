import Foundation

/// Reads whole files with messages in our words: Foundation's ("The file couldn't be opened",
/// "NSCocoaErrorDomain error 256") say neither what is wrong nor where.
public enum FileReading {
    /// The file's bytes.
    /// - Throws: `SyncError.fileUnreadable` naming what is wrong: missing, a directory, no
    ///   permission on the file or on a folder on its way.
    public static func read(_ path: String) throws(SyncError) -> Data {
        try readWithMode(path).data
    }

    /// The file's bytes and its permission bits, read from the file that was opened (a config
    /// that holds a password must be readable by its owner only).
    /// - Throws: as `read(_:)`.
    public static func readWithMode(_ path: String) throws(SyncError) -> (data: Data, mode: mode_t) {
        var info = stat()
        if stat(path, &info) != 0 {
            throw problem(path, errno: errno)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw .fileUnreadable(path: path, reason: "it is a directory, not a file")
        }
        // `/dev/null` (a character device) reads as empty: `--config /dev/null` means "no apps".
        if info.st_mode & S_IFMT != S_IFREG && info.st_mode & S_IFMT != S_IFCHR {
            throw .fileUnreadable(path: path, reason: "not a regular file")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw problem(path, errno: errno) }
        defer { close(fd) }
        // The mode of what was opened, not of what the path named a moment before.
        var opened = stat()
        let mode = fstat(fd, &opened) == 0 ? opened.st_mode : info.st_mode
        return (try readAll(fd, shownAs: path), mode & 0o7777)
    }

    /// Everything on standard input (Foundation's `readDataToEndOfFile` crashes when stdin is
    /// a directory or fails).
    /// - Throws: `SyncError.fileUnreadable` for "stdin".
    public static func readStandardInput() throws(SyncError) -> Data {
        try readAll(0, shownAs: "stdin")
    }

    /// Reads `fd` to its end; errors name it as `shownAs`.
    static func readAll(_ fd: Int32, shownAs path: String) throws(SyncError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw problem(path, errno: errno)
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return data
    }

    /// Whether `path` names something that does not exist (as opposed to something unreadable,
    /// or hidden behind a folder that cannot be entered).
    public static func isMissing(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) != 0 && (errno == ENOENT)
    }

    /// The error for a failed `stat`/`open`/`read` with error number `code`.
    static func problem(_ path: String, errno code: Int32) -> SyncError {
        .fileUnreadable(path: path, reason: reason(path, errno: code))
    }

    /// Why `path` cannot be read, in a few words, for error number `code`.
    static func reason(_ path: String, errno code: Int32) -> String {
        switch code {
        case ENOENT:
            return "no such file"
        case EACCES:
            if let folder = firstClosedFolder(of: path) {
                return "cannot enter folder \(folder) (permission denied)"
            }
            return "permission denied"
        case ENOTDIR:
            return "a part of the path is a file, not a folder"
        case EISDIR:
            return "it is a directory, not a file"
        default:
            return String(cString: strerror(code)).lowercased()
        }
    }

    /// The first folder on the way to `path` that this process may not enter, if any.
    static func firstClosedFolder(of path: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var folder = ""
        let parts = absolute.split(separator: "/").dropLast()
        if access("/", X_OK) != 0 { return "/" }
        for part in parts {
            folder += "/" + part
            if access(folder, X_OK) != 0 { return folder }
        }
        return nil
    }
}
