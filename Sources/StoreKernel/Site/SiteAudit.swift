import Foundation
import SodarCache

/// A site's audit trail: this host's changes, in its local store.
public struct SiteAudit<Engine: SiteEngine>: AuditLog {
    let engine: Engine

    public init(_ engine: Engine) { self.engine = engine }

    public func auditEntries(since: Date?, limit: Int) throws -> [AuditEntry] {
        try engine.localStoreForReading()?.auditEntries(since: since, limit: limit) ?? []
    }

    public func record(_ note: AuditNote) throws {
        try engine.localStore()?.record(note, role: engine.capabilities.role)
    }
}
