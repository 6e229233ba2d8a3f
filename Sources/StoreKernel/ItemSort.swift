import Foundation
import SodarCache

/// Orders for item lists. Name ascending; updated and size newest/largest first.
public enum ItemSort: String, Sendable, Hashable, CaseIterable {
    case name
    case updated
    case size
}
