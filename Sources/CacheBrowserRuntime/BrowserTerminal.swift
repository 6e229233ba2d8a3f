import CacheBrowser
import Foundation

/// What the browser's loop needs from a terminal: input with a timeout, its size, drawing,
/// the clipboard and the clock. ncurses implements it (`CursesTerminal`), and so does
/// `ScriptedTerminal` for tests, benchmarks and the fuzz target, as ratatui's `TestBackend`
/// and bubbletea's `teatest` do: the same loop runs on both.
///
/// The loop calls it from one thread (ncurses is not thread-safe); only `wake` is called from
/// others.
public protocol BrowserTerminal: AnyObject {
    /// The size now, in cells.
    var size: (width: Int, height: Int) { get }
    /// The next key, click, resize or signal; waits up to `timeout` for one, or until `wake`
    /// is called (since the last wait). Zero: does not wait.
    func nextEvent(timeout: Duration) -> TerminalEvent?
    /// Ends a `nextEvent` wait; safe from any thread. The loop's mailbox calls it when a
    /// result is posted, so results are drawn at once, not at the next timeout.
    var wake: @Sendable () -> Void { get }
    /// Shows a frame (a terminal may write only the cells that changed).
    func draw(_ screen: Screen)
    /// Puts text on the terminal's clipboard (OSC 52); called between frames.
    func copyToClipboard(_ text: Data)
    /// The clock ages and the spinner are measured against.
    func now() -> Date
}
