import Foundation

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over it,
/// so that a reader (node_exporter's textfile collector) never sees half of it. The temporary
/// name does not end in `.prom`, so the collector never reads it either.
enum AtomicFile {
    /// Whether `path` can be written: its folder exists and takes new files, and it is not a folder.
    /// - Returns: why not, or nil.
    static func problem(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "it is a directory"
        }
        let folder = (path as NSString).deletingLastPathComponent
        let dir = folder.isEmpty ? "." : folder
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "no directory \(dir)"
        }
        return access(dir, W_OK) == 0 ? nil : "the directory \(dir) is not writable (\(String(cString: strerror(errno))))"
    }

    /// Writes `text` to `path` (mode 0644: node_exporter runs as another user).
    /// - Throws: `CLIError.unwritableFile`; the old file, if any, is then left as it was.
    static func write(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let dir = folder.isEmpty ? "." : folder
        var template = Array((dir + "/." + (path as NSString).lastPathComponent + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw CLIError.unwritableFile(path, String(cString: strerror(errno))) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure: String?
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count && failure == nil {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno != EINTR { failure = String(cString: strerror(errno)) } else if n > 0 { offset += n }
        }
        bytes = []
        if failure == nil, fchmod(fd, 0o644) != 0 || fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw CLIError.unwritableFile(path, failure)
        }
    }
}
