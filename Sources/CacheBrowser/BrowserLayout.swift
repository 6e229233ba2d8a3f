/// Where each part of the screen goes for a size; shared by `update` (scrolling, paging)
/// and `view` (drawing).
public struct BrowserLayout: Sendable, Hashable {
    public static let minimumWidth = 40
    public static let minimumHeight = 8

    public var width: Int
    public var height: Int

    public init(width: Int, height: Int, hasProgressLine: Bool = false) {
        self.width = width
        self.height = height
        self.hasProgressLine = hasProgressLine
    }

    public var hasProgressLine: Bool

    public var tooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    /// Header at row 0; the body runs from row 1 to just above the progress/status/hint lines.
    public var bodyTop: Int { 1 }
    public var bodyHeight: Int { max(0, height - 3 - (hasProgressLine ? 1 : 0)) }
    public var progressRow: Int { height - 3 }
    public var statusRow: Int { height - 2 }
    public var hintRow: Int { height - 1 }

    // MARK: - Lists

    /// The project pane: 45%, or more, up to half the screen, until a row has the room it
    /// asks for (`ProjectColumns.wantedWidth`: a name of 24 two levels deep beside count, size,
    /// bar and age). Names come first (issue 18): at 100 columns 45% left 19 for the name and
    /// cut `Translational Oncology` under its category.
    public var leftWidth: Int { max(24, width * 9 / 20, min(width / 2, ProjectColumns.wantedWidth)) }
    public var rightColumn: Int { leftWidth + 1 }
    public var rightWidth: Int { max(0, width - leftWidth - 1) }
    /// The apps pane's height including its title row.
    public var appsHeight: Int { max(3, bodyHeight / 3) }
    public var itemsTop: Int { bodyTop + appsHeight }
    public var itemsHeight: Int { max(0, bodyHeight - appsHeight) }

    /// Visible rows of a list pane (without its title row).
    public func visibleRows(_ pane: BrowserPane) -> Int {
        switch pane {
        case .projects: return max(1, bodyHeight - 1)
        case .apps: return max(1, appsHeight - 1)
        case .items: return max(1, itemsHeight - 1)
        case .payload: return max(1, payloadHeight)
        }
    }

    // MARK: - Payload

    /// Record lines above the payload (a separator included when there is room).
    public var recordHeight: Int {
        if bodyHeight >= 14 { return 6 }
        if bodyHeight >= 6 { return 2 }
        return 0
    }

    public var payloadTop: Int { bodyTop + recordHeight }
    public var payloadHeight: Int { max(0, bodyHeight - recordHeight) }

    // MARK: - Hit-testing

    /// A cell of a list pane: the pane, and the visible row under its title (nil: the title row).
    public struct Spot: Sendable, Hashable {
        public var pane: BrowserPane
        public var row: Int?
    }

    /// The list pane under a cell of the lists view, as `view` draws them; nil on the header,
    /// the separator and the lines below the body.
    public func listSpot(row: Int, column: Int) -> Spot? {
        guard !tooSmall, row >= bodyTop, row < bodyTop + bodyHeight, column >= 0, column < width else { return nil }
        if column < leftWidth { return Spot(pane: .projects, row: row == bodyTop ? nil : row - bodyTop - 1) }
        guard column >= rightColumn else { return nil }
        if row < itemsTop { return Spot(pane: .apps, row: row == bodyTop ? nil : row - bodyTop - 1) }
        return Spot(pane: .items, row: row == itemsTop ? nil : row - itemsTop - 1)
    }

    /// The visible payload line under a row of the payload view (nil: the record above it,
    /// or the lines below).
    public func payloadRow(_ row: Int) -> Int? {
        guard !tooSmall, row >= payloadTop, row < payloadTop + payloadHeight else { return nil }
        return row - payloadTop
    }
}
