import CNcursesw
import CacheBrowser
import CacheBrowserRuntime
import Foundation

/// The only user of ncurses: starts and restores the terminal, draws `Screen`s (only the
/// cells that changed) and reads keys and the mouse. The browser's loop runs on it as a
/// `BrowserTerminal`. Main thread only: ncurses is not thread-safe.
public final class CursesSession {
    private var screenPointer: OpaquePointer?
    private var previous: Screen?
    /// A cell's text as wide characters, reused from cell to cell.
    private var scalars: [wchar_t] = []
    private var colors = false
    private var pairs: [CellRole: Int16] = [:]

    var hasColors: Bool { colors }
    func setPair(_ role: CellRole, _ pair: Int16) { pairs[role] = pair }
    func pairFor(_ role: CellRole) -> Int16 { pairs[role] ?? 0 }
    private var stopped = false
    /// How the mouse reports.
    private enum MouseReports {
        /// In the format ncurses decodes.
        case curses
        /// This session asked for SGR reports itself and parses them: ncurses' terminfo entry
        /// decodes only X10, which stops at column 223.
        case sgrAdded
    }

    /// Nil: the mouse is off (`--no-mouse`, or a terminal without one).
    private var mouse: MouseReports?
    /// `readEvent`'s wait, restored after reading the rest of an SGR report.
    private var inputTimeout: Int32 = 50
    /// Waits for stdin or a wake-up from another thread (nil: no pipe could be made; keys are
    /// then read with curses' own timeout).
    let waiter = InputWaiter()

    /// The terminal's size.
    public var size: (width: Int, height: Int) { (Int(shim_cols()), Int(shim_lines())) }

    /// Checks the terminal and takes it over.
    /// - Parameters:
    ///   - environment: for `TERM` and `NO_COLOR`.
    ///   - mouse: read clicks and the wheel; false never turns the terminal's mouse reporting
    ///     on, so its own text selection works as usual.
    ///   - banner: a profile's colour for the header bar (nil: the usual header).
    /// - Throws: `TerminalError` before anything is drawn: no TTY, no or `dumb` TERM, an
    ///   unknown terminal or one that cannot address the cursor.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, mouse: Bool = false, banner: BannerColor? = nil
    ) throws {
        setlocale(LC_ALL, "")
        if shim_locale_is_utf8() == 0 {
            // Wide characters need a UTF-8 locale; C.UTF-8 exists on every glibc system.
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        guard let term = environment["TERM"], !term.isEmpty else { throw TerminalError.noTermVariable }
        guard term != "dumb" else { throw TerminalError.dumbTerminal }
        switch shim_check_terminal() {
        case -1: throw TerminalError.unknownTerminal(term)
        case -2: throw TerminalError.missingCapability(term: term, capability: "move the cursor")
        case -3: throw TerminalError.missingCapability(term: term, capability: "clear the screen")
        default: break
        }
        shim_install_signal_handlers()
        guard let screen = shim_newterm() else {
            shim_remove_signal_handlers()
            throw TerminalError.startFailed(term)
        }
        screenPointer = screen
        set_term(screen)
        raw()
        noecho()
        nonl()
        keypad(shim_stdscr(), true)
        set_escdelay(25)
        timeout(inputTimeout)
        if mouse {
            switch shim_mouse_on(CursesMouse.sgrPrefixCode) {
            case 1: self.mouse = .curses
            case 2: self.mouse = .sgrAdded
            default: self.mouse = nil
            }
        }
        curs_set(0)
        leaveok(shim_stdscr(), true)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if !noColor, has_colors() {
            start_color()
            use_default_colors()
            colors = true
            definePairs(banner: banner)
        }
        if waiter != nil {
            // Keys are read without waiting; `waiter` does the waiting (keys or results).
            setInputTimeout(milliseconds: 0)
        }
        erase()
        refresh()
    }

    deinit {
        stop()
    }

    /// Gives the terminal back: leaves curses mode, restores the modes and the signal handlers.
    /// Safe to call more than once.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if let mouse { shim_mouse_off(mouse == .sgrAdded ? 1 : 0) }
        curs_set(1)
        endwin()
        if let screenPointer { delscreen(screenPointer) }
        screenPointer = nil
        shim_remove_signal_handlers()
        shim_flush_stdout()
    }

    // MARK: - Drawing

    /// Draws the cells that differ from the last drawn screen (everything after a resize).
    public func draw(_ screen: Screen) {
        let full = previous == nil || previous?.width != screen.width || previous?.height != screen.height
        if full { erase() }
        for row in 0..<screen.height {
            for column in 0..<screen.width {
                let cell = screen[row, column]
                if full {
                    // `erase` left blanks in the default style: only the other cells need writing.
                    if cell == .blank { continue }
                } else if let previous, previous[row, column] == cell {
                    continue
                }
                if cell.width == 0 { continue }
                put(cell, row: row, column: column)
            }
        }
        previous = screen
        refresh()
    }

    /// Forgets what is on screen so the next draw paints everything.
    public func invalidate() {
        previous = nil
        clearok(shim_stdscr(), true)
    }

    private func put(_ cell: Cell, row: Int, column: Int) {
        // One buffer for every cell of every frame: a first frame writes thousands of cells.
        scalars.removeAll(keepingCapacity: true)
        for scalar in cell.text.unicodeScalars { scalars.append(wchar_t(bitPattern: scalar.value)) }
        if scalars.isEmpty { scalars.append(wchar_t(32)) }
        let (attributes, pair) = attributes(for: cell.style)
        _ = scalars.withUnsafeBufferPointer { buffer in
            shim_put_cell(Int32(row), Int32(column), buffer.baseAddress, Int32(buffer.count), attributes, pair)
        }
    }

    // MARK: - Clipboard

    /// Sends `text` to the terminal's clipboard as OSC 52, straight to the terminal curses
    /// draws on. Called between frames: `draw` has flushed curses' output, and the sequence
    /// neither moves the cursor nor prints, so curses' picture of the screen stays true.
    public func copyToClipboard(_ text: Data) {
        guard !stopped else { return }
        shim_flush_stdout()
        let sequence = OSC52.sequence(for: text)
        sequence.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = write(STDOUT_FILENO, base + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && (errno == EINTR || errno == EAGAIN) {
                    continue
                } else {
                    return
                }
            }
        }
    }

    // MARK: - Keys

    /// Waits up to the input timeout (50 ms unless `setInputTimeout` changed it) for a key,
    /// a resize or a stop signal.
    public func readEvent() -> TerminalEvent? {
        let signal = shim_take_pending_signal()
        if signal != 0 { return .signal(signal) }
        var value: UInt32 = 0
        let rc = shim_get_wch(&value)
        let pending = shim_take_pending_signal()
        if pending != 0 { return .signal(pending) }
        if rc == KEY_CODE_YES && Int32(value) == KEY_RESIZE {
            invalidate()
            return .resize(width: size.width, height: size.height)
        }
        if mouse != nil, rc == KEY_CODE_YES, Int32(value) == KEY_MOUSE {
            var report = MEVENT()
            guard getmouse(&report) == OK else { return nil }
            return CursesMouse.event(buttons: report.bstate, x: report.x, y: report.y).map(TerminalEvent.mouse)
        }
        if mouse == .sgrAdded, rc == KEY_CODE_YES, Int32(value) == CursesMouse.sgrPrefixCode {
            return CursesMouse.sgrEvent(readSGRReport()).map(TerminalEvent.mouse)
        }
        return CursesKeys.key(status: rc, value: value).map(TerminalEvent.key)
    }

    /// The rest of an SGR mouse report after its prefix, up to its final `M` or `m`. The
    /// terminal writes a report at once; a short wait covers a slow link.
    private func readSGRReport() -> String {
        timeout(20)
        defer { timeout(inputTimeout) }
        var text = ""
        while text.count < 24 {
            var value: UInt32 = 0
            guard shim_get_wch(&value) == OK, let scalar = Unicode.Scalar(value) else { break }
            text.unicodeScalars.append(scalar)
            if scalar == "M" || scalar == "m" { break }
            guard scalar == ";" || ("0"..."9").contains(scalar) else { break }
        }
        return text
    }

    /// How long `readEvent` waits for a key: 0 returns at once (the caller then waits in
    /// `poll` itself, for keys and results alike).
    public func setInputTimeout(milliseconds: Int32) {
        inputTimeout = milliseconds
        timeout(milliseconds)
    }
}
