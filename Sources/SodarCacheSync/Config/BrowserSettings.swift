/// The `[browser]` table: how the terminal browser behaves by default.
public struct BrowserSettings: Sendable, Hashable {
    /// Read clicks and the wheel (`mouse = false`, like `--no-mouse`, leaves the mouse to the
    /// terminal's own text selection).
    public var mouse = true

    public init(mouse: Bool = true) {
        self.mouse = mouse
    }
}
