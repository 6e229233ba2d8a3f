import CNcursesw
import CacheBrowser

/// Mouse reports as the browser's events: pure, so tests check them without a terminal.
enum CursesMouse {
    /// The key code bound to an SGR report's prefix (`ESC [ <`) where ncurses itself decodes
    /// X10 only; above ncurses' own codes and its extended keys.
    static let sgrPrefixCode: Int32 = 0x7F00

    /// What `getmouse` reported; nil for what the browser does not act on (a release).
    static func event(buttons: mmask_t, x: Int32, y: Int32) -> MouseEvent? {
        let action: MouseEvent.Action
        if buttons & shim_button1_pressed() != 0 {
            action = .press
        } else if buttons & shim_button4_pressed() != 0 {
            action = .wheelUp
        } else if buttons & shim_button5_pressed() != 0 {
            action = .wheelDown
        } else {
            return nil
        }
        guard x >= 0, y >= 0 else { return nil }
        return MouseEvent(action, row: Int(y), column: Int(x))
    }

    /// An SGR report after its `ESC [ <` prefix: `button;column;row` (cells from 1), then `M`
    /// for a press or `m` for a release. Nil for a release, motion, another button, or text
    /// that is not a report.
    static func sgrEvent(_ text: String) -> MouseEvent? {
        guard let last = text.last, last == "M" || last == "m" else { return nil }
        let fields = text.dropLast().split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count == 3, let code = Int(fields[0]), let column = Int(fields[1]), let row = Int(fields[2]),
            code >= 0, column >= 1, row >= 1
        else { return nil }
        // Shift, Meta and Ctrl (4, 8, 16) do not change what a click or a notch does.
        let action: MouseEvent.Action
        switch code & ~(4 | 8 | 16) {
        case 0 where last == "M": action = .press
        case 64: action = .wheelUp
        case 65: action = .wheelDown
        default: return nil
        }
        return MouseEvent(action, row: row - 1, column: column - 1)
    }
}
