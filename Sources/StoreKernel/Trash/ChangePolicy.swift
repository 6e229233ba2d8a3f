import Foundation

/// What a store records of the changes made through it: the trash for deletes, and who made
/// them. Given to an engine when it opens; the same for every engine.
public struct ChangePolicy: Sendable, Hashable {
    public var trash: TrashPolicy
    public var attribution: ChangeAttribution
    /// How long the audit trail keeps its entries (0: no audit trail).
    public var auditKeep: TimeInterval

    /// The audit trail's default: 90 days.
    public static let standardAuditKeep: TimeInterval = 90 * 86_400

    public init(trash: TrashPolicy = .standard, attribution: ChangeAttribution = .library, auditKeep: TimeInterval = standardAuditKeep) {
        self.trash = trash
        self.attribution = attribution
        self.auditKeep = auditKeep
    }

    /// Whether changes are recorded in the audit trail.
    public var audits: Bool { auditKeep > 0 }

    public static let standard = ChangePolicy()
}
