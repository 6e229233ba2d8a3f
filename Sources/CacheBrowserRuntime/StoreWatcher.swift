import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

/// Reads a store's change token now and then on a background queue and posts
/// `.storeChanged` when it moves (and once at the start): another process wrote. On a hot
/// standby it reads its lag too, and posts `.standbyChanged` when that moves.
public final class StoreWatcher: Sendable {
    let source: any CacheBrowsing
    let mailbox: BrowserMailbox
    private let queue = DispatchQueue(label: "sodarcache.browser.watch")
    private let active = Locked(false)
    /// The standby status last posted (nil: none yet, or not a standby).
    private let standby = Locked<StandbyStatus?>(nil)

    public init(source: any CacheBrowsing, mailbox: BrowserMailbox) {
        self.source = source
        self.mailbox = mailbox
    }

    /// Polls every `interval` seconds until `stop()`; a second start does nothing.
    public func start(interval: TimeInterval) {
        let started = active.withLock { active in
            defer { active = true }
            return !active
        }
        guard started else { return }
        queue.async { self.poll(nil, interval: interval) }
    }

    /// Stops polling; returns after a poll under way has ended, so nothing is posted after it.
    /// Not from the watcher's own queue.
    public func stop() {
        active.withLock { $0 = false }
        queue.sync {}
    }

    private func poll(_ last: Int?, interval: TimeInterval) {
        guard active.withLock({ $0 }) else { return }
        let seen = check(last: last)
        queue.asyncAfter(deadline: .now() + interval) { self.poll(seen, interval: interval) }
    }

    /// Reads the token once and posts what changed. - Returns: the token now known.
    func check(last: Int?) -> Int? {
        // A busy store is retried at the next poll; one that is gone, replaced or broken is
        // reported (the lists keep what they show).
        do {
            let token = try source.changeToken()
            if token != last { mailbox.post(.storeChanged(token: token)) }
            checkStandby()
            return token
        } catch CacheError.storeBusy {
            return last
        } catch {
            mailbox.post(.storeUnavailable(message: EffectRunner.describe(error)))
            return last
        }
    }

    /// Reads a hot standby's lag and posts it when it moved. Nothing on other stores (their
    /// engines answer nil without a statement); a failed read is left to the next poll (the
    /// change token, read just before, reports a store that went away).
    func checkStandby() {
        guard let status = try? source.standbyStatus() else { return }
        let changed = standby.withLock { last in
            defer { last = status }
            return last != status
        }
        if changed { mailbox.post(.standbyChanged(status)) }
    }
}
