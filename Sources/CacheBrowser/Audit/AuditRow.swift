import Foundation
import StoreKernel

/// A row of the audit pane: a part's heading, or an entry.
public enum AuditRow: Sendable, Hashable {
    case heading(String)
    case entry(AuditEntry)
}
