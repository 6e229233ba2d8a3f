import Foundation
import JSONKit

/// One terminal cell: a grapheme and the columns it takes. The cell after a wide character
/// has width 0 and an empty text; the terminal layer skips it.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var width: UInt8
    public var style: CellStyle

    public init(text: String, width: UInt8, style: CellStyle) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell(text: " ", width: 1, style: .normal)
}
