import Foundation
import SodarCache

/// What a reload puts the cursors back on, as the first pages arrive.
public struct Reselection: Sendable, Hashable {
    public enum Owner: Sendable, Hashable {
        case site
        case project(UUID)
    }

    public var project: Owner?
    public var app: String?
    public var item: UUID?
}
