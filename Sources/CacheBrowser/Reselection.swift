import Foundation
import SodarCache
import StoreKernel

/// What a reload puts the cursors back on, as the first pages arrive.
public struct Reselection: Sendable, Hashable {
    public enum Owner: Sendable, Hashable {
        case site
        case project(UUID)
    }

    public var project: Owner?
    public var app: String?
    public var item: UUID?
    /// The item as listed, when it may lie beyond the first page of its app's items (a jump
    /// from the findings view): its items are read around it.
    public var itemAnchor: ItemSummary?
}
