import CNcursesw
import CacheBrowser

/// ncurses' key reports as the browser's keys: pure, so tests check it without a terminal.
enum CursesKeys {
    /// What `get_wch` reported: with `KEY_CODE_YES` a KEY_* code, with `OK` a character.
    /// Nil for anything else (no key, an unknown code, a stray control character).
    static func key(status: Int32, value: UInt32) -> Key? {
        switch status {
        case KEY_CODE_YES: return functionKey(Int32(bitPattern: value))
        case OK: return characterKey(value)
        default: return nil
        }
    }

    /// A key ncurses reports as a KEY_* code.
    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_DC: return .delete
        default: return nil
        }
    }

    /// A key ncurses reports as a character.
    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .char(Character(scalar))
        }
    }
}
