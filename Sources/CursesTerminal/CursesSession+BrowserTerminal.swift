import CacheBrowser
import CacheBrowserRuntime
import Foundation

// The browser's loop on ncurses.
extension CursesSession: BrowserTerminal {
    public func nextEvent(timeout: Duration) -> TerminalEvent? {
        if let event = readEvent() { return event }
        let parts = timeout.components
        let milliseconds = Int32(min(60_000, parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000))
        guard milliseconds > 0 else { return nil }
        guard let waiter else {
            // No wake-up pipe: curses waits for a key itself, and results wait for its timeout.
            setInputTimeout(milliseconds: milliseconds)
            defer { setInputTimeout(milliseconds: 0) }
            return readEvent()
        }
        waiter.wait(milliseconds: milliseconds)
        return readEvent()
    }

    public var wake: @Sendable () -> Void {
        guard let waiter else { return {} }
        return { waiter.wake() }
    }

    public func now() -> Date { Date() }
}
