import Foundation
import SodarCache

/// One change sodarcache made to a store, as the audit trail records it: when, who (OS user,
/// host, database role), which command, what it did, and how it ended.
public struct AuditEntry: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var at: Date
    public var osUser: String
    public var host: String
    public var role: String?
    public var command: String
    /// What kind of change: write, delete, restore, purge, history, sync, schema.
    public var action: String
    /// What it changed, in a line: "3 items of samplesheets in 1 project", "project Alpha".
    public var what: String
    /// "ok", or why it failed.
    public var outcome: String

    public init(
        id: Int64, at: Date, osUser: String, host: String, role: String?, command: String, action: String, what: String,
        outcome: String
    ) {
        self.id = id
        self.at = at
        self.osUser = osUser
        self.host = host
        self.role = role
        self.command = command
        self.action = action
        self.what = what
        self.outcome = outcome
    }
}

/// An entry to record: the store adds the time, the attribution and the role.
public struct AuditNote: Sendable, Hashable {
    public var action: String
    public var what: String
    public var outcome: String

    public init(action: String, what: String, outcome: String = "ok") {
        self.action = action
        self.what = what
        self.outcome = outcome
    }

    /// "3 items of samplesheets, timeline in 2 projects and site-wide".
    public static func items(_ count: Int, apps: [String], projects: Set<UUID?>) -> String {
        var text = "\(count) item\(count == 1 ? "" : "s")"
        let names = Array(Set(apps)).sorted()
        if !names.isEmpty {
            text += " of " + (names.count > 4 ? names.prefix(4).joined(separator: ", ") + ", ..." : names.joined(separator: ", "))
        }
        let site = projects.contains(nil)
        let real = projects.count - (site ? 1 : 0)
        var places: [String] = []
        if real > 0 { places.append("\(real) project\(real == 1 ? "" : "s")") }
        if site { places.append("site-wide") }
        if !places.isEmpty { text += " in " + places.joined(separator: " and ") }
        return text
    }
}

/// The audit trail of a store: on sodarcache's own stores in the store itself, each entry in
/// the same transaction as its change; on a SODAR site in this host's local store.
public protocol AuditLog: Sendable {
    /// Entries newest first, since `since` when given.
    func auditEntries(since: Date?, limit: Int) throws -> [AuditEntry]

    /// Records what happened outside a change's own transaction (a failure, a sync's outcome).
    func record(_ note: AuditNote) throws
}

// MARK: - What each change is recorded as (the same words on every engine)

extension AuditNote {
    /// One item written.
    public static func wrote(_ write: CacheWrite) -> AuditNote {
        AuditNote(action: "write", what: "\(write.appName):\(write.name) " + place(write.project))
    }

    /// A batch: its deletes (as asked; `deleted` is how many went) and its writes.
    public static func committed(deleting: [CacheDeletion], writing: [CacheWrite], deleted: Int) -> AuditNote {
        var parts: [String] = []
        if !deleting.isEmpty {
            let asked = deleting.map { deletion -> String in
                switch deletion {
                case .all(let app, let project): "\(app.map { "all of \($0)" } ?? "everything") " + place(project, any: project == nil)
                case .item(let app, let name, let project): "\(app):\(name) " + place(project)
                }
            }
            parts.append("deleted \(deleted) item\(deleted == 1 ? "" : "s") (" + (asked.count > 3 ? asked.prefix(3).joined(separator: "; ") + "; ..." : asked.joined(separator: "; ")) + ")")
        }
        if !writing.isEmpty {
            parts.append("wrote " + items(writing.count, apps: writing.map(\.appName), projects: Set(writing.map(\.project))))
        }
        return AuditNote(action: deleting.isEmpty ? "write" : "delete", what: parts.joined(separator: "; "))
    }

    /// A bulk delete of `deleted` items, selected as `how` says.
    public static func deleted(_ deleted: Int, _ how: String) -> AuditNote {
        AuditNote(action: "delete", what: "\(deleted) item\(deleted == 1 ? "" : "s") \(how)")
    }

    /// A delete of `deleted` items by their UUIDs.
    public static func deletedByUUID(_ deleted: Int) -> AuditNote { .deleted(deleted, "by UUID") }

    /// A delete of items as a user was shown them: `deleted` went, `changed` (written since) were kept.
    public static func deletedAsShown(_ result: (deleted: Int, changed: Int)) -> AuditNote {
        .deleted(result.deleted, "as shown (\(result.changed) changed since: kept)")
    }

    /// A filter in words.
    public static func describe(_ filter: CacheFilter) -> String {
        var parts: [String] = []
        switch filter.scope {
        case .all: break
        case .site: parts.append("site-wide")
        case .project(let uuid): parts.append("in project \(uuid.sodarString)")
        }
        if let app = filter.appName { parts.append("of \(app)") }
        if let olderThan = filter.olderThan { parts.append("older than \(CacheTimeText.iso(olderThan))") }
        if filter.appNotIn != nil { parts.append("orphaned") }
        return parts.isEmpty ? "(all)" : parts.joined(separator: " ")
    }

    static func place(_ project: UUID?, any: Bool = false) -> String {
        if any { return "in every project" }
        return project.map { "in project \($0.sodarString)" } ?? "site-wide"
    }
}

extension AuditNote {
    /// The same note, naming the trash entry that keeps what it deleted.
    public func kept(in entry: Int64?) -> AuditNote {
        guard let entry else { return self }
        var note = self
        note.what += " (trash \(entry))"
        return note
    }

    public static func restored(_ report: RestoreReport, entries: [Int64]) -> AuditNote {
        AuditNote(
            action: "restore",
            what: "trash \(entries.map(String.init).joined(separator: ", ")): "
                + items(report.restored.count, apps: report.restored.map(\.appName), projects: Set(report.restored.map(\.project)))
                + (report.skipped.isEmpty ? "" : "; \(report.skipped.count) skipped"))
    }

    public static func purged(_ purged: (entries: Int, items: Int)) -> AuditNote {
        AuditNote(action: "purge", what: "\(purged.entries) trash entr\(purged.entries == 1 ? "y" : "ies") (\(purged.items) items)")
    }

    public static func project(_ how: String, _ project: Project) -> AuditNote {
        AuditNote(action: "project", what: "\(how) \(project.type == .category ? "category" : "project") \(project.uuid.sodarString) \"\(project.title)\"")
    }

    /// A project deleted, with `items` of its items.
    public static func projectDeleted(_ uuid: UUID, items: Int) -> AuditNote {
        AuditNote(action: "delete", what: "project \(uuid.sodarString) with \(items) item\(items == 1 ? "" : "s")")
    }

    public static func imported(created: Int, updated: Int) -> AuditNote {
        AuditNote(action: "project", what: "imported projects: \(created) created, \(updated) updated")
    }

    public static func history(_ policy: HistoryPolicy) -> AuditNote {
        let apps = policy.perApp.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return AuditNote(
            action: "history",
            what: "policy: \(policy.versions) versions, up to \(policy.maxBytes) bytes" + (apps.isEmpty ? "" : "; " + apps.joined(separator: ", ")))
    }
}
