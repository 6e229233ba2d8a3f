import Foundation
import SodarCache

/// The browser's panes, left to right.
public enum BrowserPane: Sendable, Hashable {
    case projects, apps, items, payload
}
