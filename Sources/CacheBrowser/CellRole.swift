import Foundation
import JSONKit

/// What a cell means; the terminal layer maps roles to colours or, under `NO_COLOR`, to attributes.
public enum CellRole: UInt8, Sendable, Hashable, CaseIterable {
    case normal, header, title, selected, key, string, number, literal, punctuation
    case stale, dim, error, category, accent
    /// A diff's added and removed lines (their sign; under `NO_COLOR` the sign alone says it).
    case added, removed
    /// The header bar of a profile with a colour (`BrowserOptions.banner`): the terminal layer
    /// paints it in that colour, or in reverse video under `NO_COLOR`.
    case banner
}
