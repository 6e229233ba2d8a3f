/// A bordered box centred on the screen: where `view` draws a dialog and where a click on it lands.
public struct BoxFrame: Sendable, Hashable {
    /// The border's left column and top row.
    public var left: Int
    public var top: Int
    /// The box's outer size.
    public var width: Int
    public var height: Int

    /// A box of at most `width` x `height`, shrunk to leave a cell around it, centred.
    public init(width: Int, height: Int, screenWidth: Int, screenHeight: Int) {
        self.width = max(4, min(screenWidth - 2, width))
        self.height = max(3, min(screenHeight - 2, height))
        left = (screenWidth - self.width) / 2
        top = (screenHeight - self.height) / 2
    }

    /// Text columns inside the border and a one-cell margin.
    public var innerWidth: Int { width - 4 }
    /// Rows inside the border.
    public var innerHeight: Int { height - 2 }
}
