import CacheBrowser
import SodarCache

/// A thread-safe queue of messages from background work to the UI thread.
public final class BrowserMailbox: Sendable {
    private let pending = Locked<[BrowserMessage]>([])
    private let onPost: (@Sendable () -> Void)?

    /// - Parameter onPost: called after each post, on the posting thread (the loop wakes its
    ///   terminal's key wait with it, so results are drawn at once, not at the next timeout).
    public init(onPost: (@Sendable () -> Void)? = nil) {
        self.onPost = onPost
    }

    public func post(_ message: BrowserMessage) {
        pending.withLock { $0.append(message) }
        onPost?()
    }

    /// Nothing was posted since the last drain.
    public var isEmpty: Bool { pending.withLock { $0.isEmpty } }

    /// Everything posted since the last drain, oldest first.
    public func drain() -> [BrowserMessage] {
        pending.withLock { pending in
            defer { pending = [] }
            return pending
        }
    }
}
