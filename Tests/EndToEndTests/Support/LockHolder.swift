import Foundation

/// Another process holding the store's write lock: `sqlite3` inside `BEGIN IMMEDIATE`, which
/// says when it has the lock (no sleeping and hoping).
final class LockHolder {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    /// Starts `sqlite3` on `db` and returns once it holds the write lock.
    /// - Parameter releaseAfter: seconds after which `sqlite3` itself ends the transaction and
    ///   exits (a writer that holds the lock for a while); nil: until `release()`.
    init(db: String, releaseAfter: Double? = nil) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [db]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\n.print LOCKED\n".utf8))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("LOCKED") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw HolderError.exited }
            seen += chunk
        }
        if let releaseAfter {
            input.fileHandleForWriting.write(Data(".shell sleep \(releaseAfter)\nROLLBACK;\n".utf8))
            try input.fileHandleForWriting.close()
        }
    }

    /// Waits until `sqlite3` has let go of the lock and exited (after `releaseAfter`).
    func waitUntilReleased() {
        process.waitUntilExit()
    }

    /// Ends the transaction and the process.
    func release() {
        input.fileHandleForWriting.write(Data("ROLLBACK;\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    enum HolderError: Error { case exited }
}
