import Foundation
import SodarCache
import StoreKernel

extension MemoryCacheStore: AuditLog {
    public var audit: (any AuditLog)? { self }

    /// Appends an entry to `state` (in the change's own write, as the databases do).
    func record(_ state: inout State, _ note: AuditNote) {
        guard changes.audits else { return }
        let who = changes.attribution
        let now = clock()
        // The oldest entry is the first: appended in time order.
        try? auditPurge.beforeEntry(
            at: now, keep: changes.auditKeep, oldest: { state.auditLog.first?.at },
            purge: { cutoff in state.auditLog.removeAll { $0.at < cutoff } })
        state.auditLog.append(
            AuditEntry(
                id: Int64((state.auditLog.last?.id ?? 0) + 1), at: now, osUser: who.osUser, host: who.host, role: nil,
                command: who.command, action: note.action, what: note.what, outcome: note.outcome))
    }

    public func record(_ note: AuditNote) throws {
        try write { state in record(&state, note) }
    }

    public func auditEntries(since: Date?, limit: Int) throws -> [AuditEntry] {
        shared.state.withLock { state in
            Array(state.auditLog.reversed().filter { $0.at >= (since ?? .distantPast) }.prefix(max(0, limit)))
        }
    }
}
