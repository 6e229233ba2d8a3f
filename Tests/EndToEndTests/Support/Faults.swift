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
    /// apply; as is otherwise. Nil, with a printed line saying why, when that user cannot be
    /// had: no `setpriv`, or a path in `args` whose folder it cannot enter.
    ///
    /// It runs a copy of the binary (`OtherUserBinary`): the checkout may sit in a folder only
    /// root may enter (root's home, a `mktemp -d` folder), where `.build/debug/sodarcache` is
    /// out of that user's reach, and the run would fail for that instead of what it tests.
    static func runAsOtherUser(_ args: [String]) throws -> CLI.Result? {
        guard isRoot else { return try CLI.run(args) }
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            print("skipped: running as root without \(setpriv), permissions cannot be tested")
            return nil
        }
        guard let binary = OtherUserBinary.path else {
            print("skipped: \(OtherUserBinary.failure ?? "no copy of the binary"), permissions cannot be tested")
            return nil
        }
        // The test's files must be reachable too (a $TMPDIR closed to others would fail the
        // run for the wrong reason). The folder, not the file: some tests make the file itself
        // unreadable on purpose.
        for path in args where path.hasPrefix("/") && FileManager.default.fileExists(atPath: path) {
            let folder = (path as NSString).deletingLastPathComponent
            guard try otherUserCanEnter(folder) else {
                print("skipped: user 65534 cannot enter \(folder), permissions cannot be tested there")
                return nil
            }
        }
        // From /, which that user may enter: the test runner's folder may be closed to it.
        return try CLI.run(["-c", otherUserPrefix + " " + shellQuoted([binary] + args)], cwd: "/", shell: true)
    }

    static let setpriv = "/usr/bin/setpriv"
    static let otherUserPrefix = "exec \(setpriv) --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp"

    /// Whether "nobody" can enter (search) `folder` and every folder above it.
    static func otherUserCanEnter(_ folder: String) throws -> Bool {
        try run("/bin/sh", ["-c", otherUserPrefix + " /usr/bin/test -x " + shellQuoted([folder])]) == 0
    }

    static func shellQuoted(_ words: [String]) -> String {
        words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    }

    /// The lines a command wrote on stderr.
    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: true)
    }
}

/// A copy of the built binary that another user can run: a fresh folder under /tmp (mode
/// 0755) holding `sodarcache` (0755), made once per test process and removed at its exit.
/// A hard link when the build is on the same file system (no permission of the folders above
/// the original applies to a link), a copy otherwise.
enum OtherUserBinary {
    private static let made: (path: String?, failure: String?) = {
        let folder = "/tmp/sodarcache-other-user-\(getpid())-\(UUID().uuidString.prefix(8))"
        let target = folder + "/sodarcache"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            // Explicitly: the runner's umask may be 077.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            if link(CLI.binary, target) != 0 {
                try FileManager.default.copyItem(atPath: CLI.binary, toPath: target)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            return (nil, "could not copy \(CLI.binary) to \(folder): \(error)")
        }
        removeAtExit = folder
        atexit { if let folder = OtherUserBinary.removeAtExit { try? FileManager.default.removeItem(atPath: folder) } }
        return (target, nil)
    }()

    nonisolated(unsafe) private static var removeAtExit: String?

    /// The copy's path; nil when it could not be made (`failure` says why).
    static var path: String? { made.path }
    static var failure: String? { made.failure }
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
