import Foundation
import Testing

/// Helpers for the fault tests: a small file system of our own, another user, sqlite3.
enum Faults {
    /// Runs `sqlite3 DB SQL` and returns its trimmed output.
    static func sqlite(_ db: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [db, sql]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs a program to its end, its output discarded; returns its exit status.
    @discardableResult
    static func run(_ program: String, _ args: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static var isRoot: Bool { getuid() == 0 }

    /// Runs the binary as another user ("nobody") when root, where permission bits do not
    /// apply; as is otherwise. Nil (with a printed line) when root has no `setpriv`.
    static func runAsOtherUser(_ args: [String]) throws -> CLI.Result? {
        guard isRoot else { return try CLI.run(args) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            print("skipped: running as root without /usr/bin/setpriv, permissions cannot be tested")
            return nil
        }
        let quoted = ([CLI.binary] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return try CLI.run(
            ["-c", "exec /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp " + quoted.joined(separator: " ")],
            shell: true)
    }

    /// The lines a command wrote on stderr.
    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: true)
    }
}

/// A tmpfs of a few hundred kilobytes mounted for one test (root only), and a file that
/// fills it up.
final class SmallDisk {
    let path: String
    private var mounted = false
    var filler: String { path + "/filler" }

    /// Mounts a tmpfs of `kilobytes`; nil, with one printed line, when not root or when the
    /// mount is refused (a container without the capability).
    init?(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-disk-\(UUID().uuidString)").path
        guard Faults.isRoot else {
            print("skipped: the disk-full test mounts a tmpfs and needs root")
            return nil
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard try Faults.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]) == 0 else {
            print("skipped: the disk-full test could not mount a tmpfs at \(path)")
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        mounted = true
    }

    /// Fills the file system to its last block.
    func fill() throws {
        try Faults.run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=4096"])
    }

    /// Shrinks the filler so that about `kilobytes` are free.
    func free(kilobytes: Int) throws {
        let size = (try FileManager.default.attributesOfItem(atPath: filler)[.size] as? Int) ?? 0
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        try handle.truncate(atOffset: UInt64(max(0, size - kilobytes * 1024)))
        try handle.close()
    }

    func removeFiller() throws {
        try FileManager.default.removeItem(atPath: filler)
    }

    /// Free bytes now.
    var freeBytes: Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return -1 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    func unmount() {
        if mounted {
            _ = try? Faults.run("/bin/umount", ["-l", path])
            mounted = false
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit { unmount() }
}
