import Foundation

/// A fresh temporary directory, removed (after restoring permissions) when dropped.
final class TempDir: @unchecked Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sodarcache-sync-test-" + UUID().uuidString
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    deinit {
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            for case let sub as String in enumerator {
                chmod(path + "/" + sub, 0o755)
            }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes an executable `/bin/sh` script and returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        let file = path + "/" + name
        try ("#!/bin/sh\n" + body + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o755)
        return file
    }

    /// Writes a file of `size` bytes under the directory.
    func file(_ relative: String, size: Int) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x61, count: size).write(to: URL(fileURLWithPath: full))
    }
}
