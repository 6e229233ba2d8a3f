import Foundation
import JSONKit

extension String {
    /// Pads or cuts to exactly `columns` terminal columns (left-aligned).
    func padded(to columns: Int) -> String {
        let safe = Display.escape(self)
        let w = Display.width(safe)
        if w <= columns { return safe + String(repeating: " ", count: columns - w) }
        return safe.cut(to: columns)
    }

    /// Right-aligned in `columns` terminal columns.
    func rightAligned(to columns: Int) -> String {
        let safe = Display.escape(self)
        let w = Display.width(safe)
        if w <= columns { return String(repeating: " ", count: columns - w) + safe }
        return safe.cut(to: columns)
    }

    /// Cut to at most `columns` columns, ending in `…` when cut, padded to exactly `columns`.
    func cut(to columns: Int) -> String {
        guard columns > 0 else { return "" }
        var out = ""
        var used = 0
        for character in self {
            let w = Display.width(String(character))
            if used + w > columns - 1 { break }
            out.append(character)
            used += w
        }
        out += String(repeating: " ", count: max(0, columns - 1 - used)) + "…"
        return out
    }

    /// Padded to exactly `columns`, or cut in the middle (`irods/rows/1f12…9c0a`) when too wide:
    /// item names share long prefixes and differ at their ends.
    func middleCut(to columns: Int) -> String {
        let safe = Display.escape(self)
        let width = Display.width(safe)
        if width <= columns { return safe + String(repeating: " ", count: columns - width) }
        guard columns >= 8 else { return safe.cut(to: columns) }
        let room = columns - 1
        var head = ""
        var headWidth = 0
        for character in safe {
            let w = Display.width(String(character))
            if headWidth + w > room * 3 / 5 { break }
            head.append(character)
            headWidth += w
        }
        var tail: [Character] = []
        var tailWidth = 0
        for character in safe.reversed() {
            let w = Display.width(String(character))
            if headWidth + tailWidth + w > room { break }
            tail.append(character)
            tailWidth += w
        }
        let used = headWidth + 1 + tailWidth
        return head + "…" + String(tail.reversed()) + String(repeating: " ", count: max(0, columns - used))
    }
}
