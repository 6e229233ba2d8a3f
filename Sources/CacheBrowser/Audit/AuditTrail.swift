import Foundation
import StoreKernel

/// The audit pane's content (`L`): the store's recent entries, split into this session's and
/// the others', newest first in each; or why the store's trail could not be read.
public struct AuditTrail: Sendable, Hashable {
    /// The read's generation: an answer to an older read is dropped.
    public var generation: Int
    /// A read is under way (what is shown is the previous one).
    public var loading: Bool
    /// Entries this browser's own changes made (its syncs, deletes and restores).
    public var session: [AuditEntry]
    /// The store's other recent entries: other commands, users and hosts, earlier sessions.
    public var recent: [AuditEntry]
    /// Why the trail could not be read (the store keeps none, a store error).
    public var failure: String?

    public init(generation: Int, loading: Bool = true, session: [AuditEntry] = [], recent: [AuditEntry] = [], failure: String? = nil) {
        self.generation = generation
        self.loading = loading
        self.session = session
        self.recent = recent
        self.failure = failure
    }

    /// Every entry in the order drawn: the session's, then the others.
    public var entries: [AuditEntry] { session + recent }

    /// Splits entries newest first into this session's and the rest: those recorded by this
    /// process's command, user and host since the session began.
    public static func split(_ entries: [AuditEntry], by who: ChangeAttribution?, since start: Date) -> (session: [AuditEntry], recent: [AuditEntry]) {
        guard let who else { return ([], entries) }
        var session: [AuditEntry] = []
        var recent: [AuditEntry] = []
        for entry in entries {
            if entry.at >= start && entry.command == who.command && entry.osUser == who.osUser && entry.host == who.host {
                session.append(entry)
            } else {
                recent.append(entry)
            }
        }
        return (session, recent)
    }
}
