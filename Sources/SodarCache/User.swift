import Foundation

/// The user who triggered a cache update.
public struct User: Sendable, Hashable, Codable {
    public var username: String
    public var uuid: UUID?

    public init(username: String, uuid: UUID? = nil) {
        self.username = username
        self.uuid = uuid
    }
}
