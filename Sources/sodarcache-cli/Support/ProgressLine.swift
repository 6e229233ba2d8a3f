import Foundation
import SodarCache
import SodarCacheSync

/// The progress bar `synccache` keeps on the last line of a terminal. Log lines written while
/// it shows clear it first and redraw it after, so the two never mix.
final class ProgressLine: @unchecked Sendable {
    /// The bar that log output should step around, if any.
    static let shared = Locked<ProgressLine?>(nil)

    private let enabled: Bool
    private let lock = NSLock()
    private var printer = SyncProgressPrinter()
    private var shown = false
    private var lastDraw = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    func apply(_ event: SyncEvent) {
        lock.lock()
        defer { lock.unlock() }
        printer.apply(event)
        guard enabled else { return }
        let now = Date()
        if case .started = event, now.timeIntervalSince(lastDraw) < 0.05 { return }
        lastDraw = now
        draw()
    }

    /// Writes a log line above the bar.
    func log(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if enabled && shown {
            Console.stderr("\r\u{1B}[K" + text)
            draw()
        } else {
            Console.stderr(text)
        }
    }

    /// Replaces the bar with its closing summary.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard enabled else { return }
        Console.stderr("\r\u{1B}[K" + printer.closing() + "\n")
        shown = false
    }

    private func draw() {
        Console.stderr("\r" + printer.line(width: max(20, Self.columns() - 1)))
        shown = true
    }

    private static func columns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
