import Foundation
import SodarCache
import SodarCacheSync

/// The progress bar `synccache` keeps on the last line of a terminal. Log lines written while
/// it shows clear it first and redraw it after, so the two never mix.
final class ProgressLine: Sendable {
    /// The bar that log output should step around, if any.
    static let shared = Locked<ProgressLine?>(nil)

    private struct State: Sendable {
        var printer = SyncProgressPrinter()
        var shown = false
        var lastDraw = Date.distantPast
    }

    private let enabled: Bool
    private let state = Locked(State())

    init(enabled: Bool) { self.enabled = enabled }

    func apply(_ event: SyncEvent) {
        state.withLock { state in
            state.printer.apply(event)
            guard enabled else { return }
            let now = Date()
            if case .started = event, now.timeIntervalSince(state.lastDraw) < 0.05 { return }
            state.lastDraw = now
            Self.draw(&state)
        }
    }

    /// Writes a log line above the bar.
    func log(_ text: String) {
        state.withLock { state in
            if enabled && state.shown {
                Console.stderr("\r\u{1B}[K" + text)
                Self.draw(&state)
            } else {
                Console.stderr(text)
            }
        }
    }

    /// Replaces the bar with its closing summary.
    func finish() {
        state.withLock { state in
            guard enabled else { return }
            Console.stderr("\r\u{1B}[K" + state.printer.closing() + "\n")
            state.shown = false
        }
    }

    private static func draw(_ state: inout State) {
        Console.stderr("\r" + state.printer.line(width: max(20, Self.columns() - 1)))
        state.shown = true
    }

    private static func columns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
