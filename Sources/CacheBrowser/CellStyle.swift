import Foundation
import JSONKit

/// How one cell is drawn.
public struct CellStyle: Sendable, Hashable {
    public var role: CellRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ role: CellRole = .normal, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let normal = CellStyle()
}
