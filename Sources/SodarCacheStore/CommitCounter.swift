import Foundation

/// Counts this store instance's own commits.
///
/// `PRAGMA data_version` only moves for commits made by *other* connections, so the change
/// token adds this counter to see the writer connection's own commits as well.
final class CommitCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.lock()
        defer { lock.unlock() }
        count += 1
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
