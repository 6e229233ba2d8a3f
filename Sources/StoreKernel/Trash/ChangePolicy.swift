import Foundation

/// What a store records of the changes made through it: the trash for deletes, and who made
/// them. Given to an engine when it opens; the same for every engine.
public struct ChangePolicy: Sendable, Hashable {
    public var trash: TrashPolicy
    public var attribution: ChangeAttribution

    public init(trash: TrashPolicy = .standard, attribution: ChangeAttribution = .library) {
        self.trash = trash
        self.attribution = attribution
    }

    public static let standard = ChangePolicy()
}
