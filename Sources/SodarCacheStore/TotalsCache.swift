import Foundation
import SodarCache

/// The last store totals, valid while the change token stays the same.
final class TotalsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var token: Int?
    private var totals: StoreTotals?

    func value(for token: Int) -> StoreTotals? {
        lock.lock()
        defer { lock.unlock() }
        return self.token == token ? totals : nil
    }

    /// Keeps `totals`, computed after `token` was read (so a commit in between makes the
    /// next call recompute rather than serve stale numbers).
    func store(_ totals: StoreTotals, for token: Int) {
        lock.lock()
        defer { lock.unlock() }
        self.token = token
        self.totals = totals
    }
}
