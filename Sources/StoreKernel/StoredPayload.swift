import Foundation

/// An item's payload as the store holds it (on a SODAR site: `jsonb`'s text, keys and numbers
/// respelled), with what names the item.
public struct StoredPayload: Sendable, Hashable {
    public var project: UUID?
    public var app: String
    public var name: String
    public var data: Data

    public init(project: UUID?, app: String, name: String, data: Data) {
        self.project = project
        self.app = app
        self.name = name
        self.data = data
    }

    /// The scope the item is in.
    public var scope: ItemScope { ItemScope(project: project, app: app) }
}
