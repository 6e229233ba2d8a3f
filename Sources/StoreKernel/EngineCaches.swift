import Foundation
import SodarCache
import Synchronization

/// What the kernel keeps of one store between calls, each with the change token it was read
/// at: the project listing (read ahead off the caller's thread after a keyset page) and the
/// header's totals. An engine holds one and never reads or writes it itself, except to drop
/// what its own background work made stale (`forget()`).
public final class EngineCaches: Sendable {
    struct Listing: Sendable {
        var token: Int
        var listing: ProjectListing
    }

    struct Totals: Sendable {
        var token: Int
        var at: Date
        var totals: StoreTotals
        var reuseFor: TimeInterval
    }

    let listing = Locked<Listing?>(nil)
    /// One listing build at a time: a page that needs it while the read-ahead builds it waits
    /// for that build rather than reading everything a second time.
    let building = Mutex(())
    let readAhead = BackgroundOnce()
    let totals = Locked<Totals?>(nil)

    public init() {}

    /// Drops the listing (a background count of its totals finished: the next read uses it).
    public func forgetListing() {
        listing.withLock { $0 = nil }
    }

    /// Keeps totals an engine counted in the background, as read at `token`.
    public func keep(totals: StoreTotals, token: Int, reuseFor: TimeInterval) {
        self.totals.withLock { $0 = Totals(token: token, at: Date(), totals: totals, reuseFor: reuseFor) }
    }

    /// The listing read at `token`, if that is the one kept.
    func listing(at token: Int) -> ProjectListing? {
        listing.withLock { $0?.token == token ? $0?.listing : nil }
    }
}
