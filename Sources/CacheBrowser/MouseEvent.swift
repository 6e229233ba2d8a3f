/// A mouse report from the terminal, in screen cells (row and column from 0).
///
/// Only what the browser acts on is reported: a left-button press (a click acts on the press,
/// as in most terminal programs, so it needs no second report) and wheel notches.
public struct MouseEvent: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case press
        case wheelUp
        case wheelDown
    }

    public var action: Action
    public var row: Int
    public var column: Int

    public init(_ action: Action, row: Int, column: Int) {
        self.action = action
        self.row = row
        self.column = column
    }
}
