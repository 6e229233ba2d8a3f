import Foundation
import SodarCache

/// A line of text the user is typing (filter, search, file name).
public struct BrowserPrompt: Sendable, Hashable {
    public enum Purpose: Sendable, Hashable {
        case filter(BrowserPane)
        case search
        case saveJSON
    }

    public var purpose: Purpose
    public var text: String
    /// The text is the old value, shown selected: the first character typed replaces it,
    /// an editing key (Backspace, →) starts editing it instead.
    public var selected = false

    public init(purpose: Purpose, text: String, selected: Bool = false) {
        self.purpose = purpose
        self.text = text
        self.selected = selected && !text.isEmpty
    }

    public var label: String {
        switch purpose {
        case .filter(.projects): return "Filter projects: "
        case .filter(.apps): return "Filter apps: "
        case .filter: return "Filter items: "
        case .search: return "Search: "
        case .saveJSON: return "Write JSON to file (empty: stdout after exit): "
        }
    }
}
