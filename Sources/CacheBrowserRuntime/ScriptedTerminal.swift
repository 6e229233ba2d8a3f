import CacheBrowser
import Foundation

/// A terminal without a screen, as ratatui's `TestBackend` and bubbletea's `teatest`: the
/// caller queues input, frames and clipboard writes are kept, and the clock is set by hand (or
/// is the wall clock). Tests, the benchmark and the fuzz target run the real `BrowserLoop` on it.
///
/// Used from the loop's thread; only `wake` is called from others.
public final class ScriptedTerminal: BrowserTerminal {
    private struct Entry {
        var event: TerminalEvent
        /// Deliver only once the last frame satisfies this (`send(_:when:)`).
        var condition: ((Screen) -> Bool)?
        /// When the entry reached the head of the queue, for `patience`.
        var waitingSince: ContinuousClock.Instant?
    }

    public private(set) var size: (width: Int, height: Int)
    /// The last frame drawn (blank before the first).
    public private(set) var screen: Screen
    /// How many frames were drawn.
    public private(set) var frames = 0
    /// What was put on the clipboard, oldest first.
    public private(set) var clipboard: [Data] = []
    /// A conditional event waited longer than `patience` for its frame; the terminal then hung
    /// up (SIGHUP) so the loop ends instead of waiting for ever.
    public private(set) var gaveUp = false
    /// How long an event sent with a condition waits for its frame.
    public var patience: Duration = .seconds(10)
    /// Once every queued event is delivered, report a hang-up (SIGHUP): `run` then ends.
    public var hangUpWhenDone = false
    private var queue: [Entry] = []
    private var clock: Date?
    private let signal = WakeSignal()

    /// - Parameter now: the clock's time, moved only by `setClock`/`advanceClock`; nil: the
    ///   wall clock.
    public init(width: Int = 80, height: Int = 24, now: Date? = nil) {
        size = (width, height)
        screen = Screen(width: width, height: height)
        clock = now
    }

    // MARK: - Input

    /// Queues an event: a key, a click, a resize (the size changes as it is read), a signal.
    public func send(_ event: TerminalEvent) {
        queue.append(Entry(event: event))
    }

    /// Queues an event that is read only once the last frame satisfies `condition` (as a user
    /// waits for the screen before the next key).
    public func send(_ event: TerminalEvent, when condition: @escaping (Screen) -> Bool) {
        queue.append(Entry(event: event, condition: condition))
    }

    /// An event can be read now.
    public var hasInput: Bool {
        guard let head = queue.first else { return false }
        return head.condition?(screen) ?? true
    }

    public func nextEvent(timeout: Duration) -> TerminalEvent? {
        if let event = take() { return event }
        guard timeout > .zero else { return nil }
        signal.wait(timeout)
        return take()
    }

    private func take() -> TerminalEvent? {
        guard var head = queue.first else {
            if hangUpWhenDone { return .signal(SIGHUP) }
            return nil
        }
        if let condition = head.condition, !condition(screen) {
            let now = ContinuousClock.now
            let since = head.waitingSince ?? now
            head.waitingSince = since
            queue[0] = head
            guard now - since > patience else { return nil }
            gaveUp = true
            queue.removeAll()
            return .signal(SIGHUP)
        }
        queue.removeFirst()
        if case .resize(let width, let height) = head.event { size = (width, height) }
        return head.event
    }

    public var wake: @Sendable () -> Void {
        let signal = self.signal
        return { signal.raise() }
    }

    // MARK: - Output

    public func draw(_ screen: Screen) {
        self.screen = screen
        frames += 1
    }

    public func copyToClipboard(_ text: Data) {
        clipboard.append(text)
    }

    // MARK: - Clock

    public func now() -> Date { clock ?? Date() }

    /// Sets the clock (it stops following the wall clock).
    public func setClock(_ date: Date) {
        clock = date
    }

    /// Moves the clock on.
    public func advanceClock(by seconds: TimeInterval) {
        clock = now().addingTimeInterval(seconds)
    }
}

/// A flag one thread raises and another waits for (with a timeout).
final class WakeSignal: @unchecked Sendable {
    // NSCondition guards `raised`.
    private let condition = NSCondition()
    private var raised = false

    func raise() {
        condition.lock()
        raised = true
        condition.signal()
        condition.unlock()
    }

    /// Returns once raised (clearing it) or after `timeout`.
    func wait(_ timeout: Duration) {
        let parts = timeout.components
        let deadline = Date().addingTimeInterval(Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
        condition.lock()
        while !raised {
            if !condition.wait(until: deadline) { break }
        }
        raised = false
        condition.unlock()
    }
}
