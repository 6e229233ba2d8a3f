import CacheBrowser

/// What a terminal reports to the browser's loop.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    /// SIGINT, SIGTERM or SIGHUP arrived.
    case signal(Int32)
}
