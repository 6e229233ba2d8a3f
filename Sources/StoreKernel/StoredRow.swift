import Foundation
import SodarCache

/// One row of a query's result as an engine reads it: a column's value, or nil where it is NULL
/// or not of the kind asked for. What a row must hold (an item, a kept version, an audit or trash
/// entry) is decoded once, here, from columns every engine's query lists in the same order, with
/// one `CorruptRow` for a value that is missing or malformed: never a made-up value.
public protocol StoredRow {
    /// Whether the column is NULL.
    func isNull(at column: Int) -> Bool
    /// The column as text; nil when it is not text.
    func text(at column: Int) -> String?
    /// The column as a UUID; nil when it is none (malformed, or of another type).
    func uuid(at column: Int) -> UUID?
    /// The column as a whole number; nil when it is none.
    func integer(at column: Int) -> Int?
    /// The column as seconds since 1970; nil when it is no number.
    func seconds(at column: Int) -> Double?
    /// The column's bytes (a payload); nil when it holds none.
    func payload(at column: Int) -> Data?
}

// MARK: - Columns read as what they must be

extension StoredRow {
    public func uuid(_ column: Int, _ name: String, of row: @autoclosure () -> CorruptRow) throws -> UUID {
        try required(column, name, "UUID", of: row, uuid(at:))
    }

    public func optionalUUID(_ column: Int, _ name: String, of row: @autoclosure () -> CorruptRow) throws -> UUID? {
        try optional(column, name, "UUID", of: row, uuid(at:))
    }

    public func text(_ column: Int, _ name: String, of row: @autoclosure () -> CorruptRow) throws -> String {
        try required(column, name, "text", of: row, text(at:))
    }

    public func optionalText(_ column: Int, _ name: String, of row: @autoclosure () -> CorruptRow) throws -> String? {
        try optional(column, name, "text", of: row, text(at:))
    }

    public func integer(_ column: Int, _ name: String, of row: @autoclosure () -> CorruptRow) throws -> Int {
        try required(column, name, "whole number", of: row, integer(at:))
    }

    public func date(_ column: Int, _ name: String, of row: @autoclosure () -> CorruptRow) throws -> Date {
        try CorruptRow.checkedDate(seconds(at: column), column: name, row: row())
    }

    public func payload(_ column: Int, _ name: String, of row: @autoclosure () -> CorruptRow) throws -> Data {
        try required(column, name, "payload", of: row, payload(at:))
    }

    /// The column as `T`; nil for NULL; a `CorruptRow` for a value that is not a `kind`.
    private func optional<T>(
        _ column: Int, _ name: String, _ kind: String, of row: () -> CorruptRow, _ read: (Int) -> T?
    ) throws -> T? {
        if isNull(at: column) { return nil }
        guard let value = read(column) else { throw CorruptRow(row: row().row, reason: "a malformed \(kind) in \(name)") }
        return value
    }

    private func required<T>(
        _ column: Int, _ name: String, _ kind: String, of row: () -> CorruptRow, _ read: (Int) -> T?
    ) throws -> T {
        guard let value = try optional(column, name, kind, of: row, read) else {
            throw CorruptRow(row: row().row, reason: "no \(kind) in \(name)")
        }
        return value
    }

    /// The row as an item, for messages: its app and name where they are text.
    public func itemName(app: Int, name: Int) -> CorruptRow {
        CorruptRow.item(app: text(at: app), name: text(at: name), reason: "")
    }

    /// Who wrote a kept copy: `user_name` at `column`, `user_uuid` after it (no name: no user; a
    /// malformed UUID reads as none: the copy is still worth showing).
    public func keptUser(_ column: Int, of row: @autoclosure () -> CorruptRow) throws -> User? {
        try optionalText(column, "user_name", of: row()).map { name in
            User(username: name, uuid: try? optionalUUID(column + 1, "user_uuid", of: row()))
        }
    }
}

// MARK: - What rows hold

extension StoredRow {
    /// An item from the columns `uuid, project uuid, app_name, name, user_name, user_uuid,
    /// date_modified, data`; `project` when the query knows it (its column is then not read).
    public func cacheItem(project known: UUID?? = nil) throws -> CacheItem {
        let named = itemName(app: 2, name: 3)
        let userName = try optionalText(4, "user_name", of: named)
        let userUUID = try optionalUUID(5, "user_uuid", of: named)
        return CacheItem(
            uuid: try uuid(0, "uuid", of: named), project: try known ?? optionalUUID(1, "project uuid", of: named),
            appName: try text(2, "app_name", of: named), name: try text(3, "name", of: named),
            user: userName.map { User(username: $0, uuid: userUUID) },
            data: try payload(7, "data", of: named), dateModified: try date(6, "date_modified", of: named))
    }

    /// An item without its payload from the columns `uuid, project uuid, app_name, name, user_name,
    /// user_uuid, date_modified, size` (an item's, its size in place of its payload), and with
    /// `version` the row's version after them; `project` when the query knows it (its column is
    /// then not read). `uuidColumn` names the UUID's column in messages.
    public func itemSummary(project known: UUID?? = nil, version: Bool = false, uuidColumn: String = "uuid") throws -> ItemSummary {
        // Named only when it is corrupt: a listing or a scan reads many rows.
        let named = { itemName(app: 2, name: 3) }
        return ItemSummary(
            uuid: try uuid(0, uuidColumn, of: named()), project: try known ?? optionalUUID(1, "project uuid", of: named()),
            appName: try text(2, "app_name", of: named()), name: try text(3, "name", of: named()),
            user: try optionalText(4, "user_name", of: named()), dateModified: try date(6, "date_modified", of: named()),
            size: try integer(7, "size", of: named()), version: version ? integer(at: 8).map(Int64.init) : nil)
    }

    /// A kept version from the columns `id, uuid, project uuid, app_name, name, user_name,
    /// user_uuid, date_modified, replaced_at, size`, and its payload after them when `withData`.
    public func itemVersion(withData: Bool) throws -> ItemVersion {
        let named = itemName(app: 3, name: 4)
        return ItemVersion(
            rev: Int64(try integer(0, "id", of: named)), uuid: try uuid(1, "uuid", of: named),
            project: try optionalUUID(2, "project uuid", of: named),
            appName: try text(3, "app_name", of: named), name: try text(4, "name", of: named), user: try keptUser(5, of: named),
            dateModified: try date(7, "date_modified", of: named), replacedAt: try date(8, "replaced_at", of: named),
            size: try integer(9, "size", of: named), data: withData ? try payload(10, "data", of: named) : nil)
    }

    /// An audit entry from the columns `id, at, os_user, host, db_role, command, action, what, outcome`.
    public func auditEntry() throws -> AuditEntry {
        let named = CorruptRow(row: "audit entry \(text(at: 0) ?? integer(at: 0).map(String.init) ?? "?")", reason: "")
        return AuditEntry(
            id: Int64(try integer(0, "id", of: named)), at: try date(1, "at", of: named), osUser: try text(2, "os_user", of: named),
            host: try text(3, "host", of: named), role: try optionalText(4, "db_role", of: named),
            command: try text(5, "command", of: named), action: try text(6, "action", of: named),
            what: try text(7, "what", of: named), outcome: try text(8, "outcome", of: named))
    }
}

// MARK: - What the trash holds

extension StoredRow {
    /// A delete in the trash from the columns `id, deleted_at, os_user, host, command, items,
    /// bytes, db_role, apps` (its apps' names, one a line) and `projects` (how many).
    public func trashEntry() throws -> TrashEntry {
        let named = CorruptRow(row: "trash entry \(text(at: 0) ?? integer(at: 0).map(String.init) ?? "?")", reason: "")
        return TrashEntry(
            id: Int64(try integer(0, "id", of: named)), deletedAt: try date(1, "deleted_at", of: named),
            osUser: try text(2, "os_user", of: named), role: try optionalText(7, "db_role", of: named),
            host: try text(3, "host", of: named), command: try text(4, "command", of: named),
            items: try integer(5, "items", of: named), bytes: Int64(try integer(6, "bytes", of: named)),
            apps: try optionalText(8, "app_name", of: named).map { $0.split(separator: "\n").map(String.init) } ?? [],
            projects: try integer(9, "project_uuid", of: named))
    }

    /// A trashed copy of item `app`:`name` from the columns `entry_id, deleted_at, os_user,
    /// db_role, command, uuid, user_name, user_uuid, date_modified, size` (no payload).
    public func trashedCopy(app: String, name: String) throws -> TrashedCopy {
        let named = CorruptRow.item(app: app, name: name, reason: "")
        return TrashedCopy(
            entry: Int64(try integer(0, "entry_id", of: named)), deletedAt: try date(1, "deleted_at", of: named),
            osUser: try text(2, "os_user", of: named), role: try optionalText(3, "db_role", of: named),
            command: try text(4, "command", of: named), uuid: try uuid(5, "uuid", of: named), user: try keptUser(6, of: named),
            dateModified: try date(8, "date_modified", of: named), size: try integer(9, "size", of: named))
    }
}
