import Foundation
import SodarCache

/// Where the save key writes an item's JSON.
public struct SaveRequest: Sendable, Hashable {
    /// The item, read again at write time: one deleted meanwhile is not written.
    public var uuid: UUID
    /// The file (tilde expanded); nil: stdout after exit.
    public var path: String?
    /// The open store: never written over, nor its side files.
    public var storePath: String
    /// The user agreed to replace an existing file.
    public var overwrite: Bool

    public init(uuid: UUID, path: String?, storePath: String, overwrite: Bool = false) {
        self.uuid = uuid
        self.path = path
        self.storePath = storePath
        self.overwrite = overwrite
    }
}
