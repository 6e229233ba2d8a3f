import Foundation
import GRDB
import SodarCache
import StoreKernel

/// Reading a row's columns as what they must be: GRDB's subscripts stop the process on a
/// value they cannot convert (a 2-byte UUID, text in a number column), and SQLite keeps
/// whatever it is given. These throw `CorruptRow` instead, which `guarded` names the store in.
extension Row {
    func uuid(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> UUID {
        try required(index, column, "UUID", of: row, UUID.fromDatabaseValue)
    }

    func optionalUUID(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> UUID? {
        try optional(index, column, "UUID", of: row, UUID.fromDatabaseValue)
    }

    func text(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> String {
        try required(index, column, "text", of: row, Self.exactText)
    }

    func optionalText(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> String? {
        try optional(index, column, "text", of: row, Self.exactText)
    }

    /// Text only: GRDB's `String` would also take a blob's bytes.
    private static func exactText(_ value: DatabaseValue) -> String? {
        if case .string(let text) = value.storage { return text }
        return nil
    }

    /// The column as `T`; nil for NULL; a `CorruptRow` for a value that is not a `kind`.
    private func optional<T>(
        _ index: Int, _ column: String, _ kind: String, of row: () -> CorruptRow, _ convert: (DatabaseValue) -> T?
    ) throws -> T? {
        let value: DatabaseValue = self[index]
        if value.isNull { return nil }
        guard let converted = convert(value) else { throw CorruptRow(row: row().row, reason: "a malformed \(kind) in \(column)") }
        return converted
    }

    private func required<T>(
        _ index: Int, _ column: String, _ kind: String, of row: () -> CorruptRow, _ convert: (DatabaseValue) -> T?
    ) throws -> T {
        guard let value = try optional(index, column, kind, of: row, convert) else {
            throw CorruptRow(row: row().row, reason: "no \(kind) in \(column)")
        }
        return value
    }

    func date(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> Date {
        try CorruptRow.checkedDate(Double.fromDatabaseValue(self[index]), column: column, row: row())
    }

    func integer(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> Int {
        guard let value = Int.fromDatabaseValue(self[index]) else {
            throw CorruptRow(row: row().row, reason: "a value that is not a whole number in \(column)")
        }
        return value
    }

    func payload(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> Data {
        guard let data = Data.fromDatabaseValue(self[index]) else {
            throw CorruptRow(row: row().row, reason: "no payload in \(column)")
        }
        return data
    }

    /// Who wrote a kept copy: `user_name` at `index`, `user_uuid` after it (no name: no user; a
    /// malformed UUID reads as none: the copy is still worth showing).
    func keptUser(_ index: Int, of row: @autoclosure () -> CorruptRow) throws -> User? {
        try optionalText(index, "user_name", of: row()).map { name in
            User(username: name, uuid: try? optionalUUID(index + 1, "user_uuid", of: row()))
        }
    }

    /// An item summary from the columns `uuid, app_name, name, user_name, date_modified, size`
    /// from `offset`; `project` is the project the query read (nil: site-wide), or with
    /// `projectColumn` the column that holds it.
    func itemSummary(project: UUID?, projectColumn: Int? = nil, offset: Int = 0) throws -> ItemSummary {
        let named = itemName(app: offset + 1, name: offset + 2)
        return ItemSummary(
            uuid: try uuid(offset, "uuid", of: named),
            project: try projectColumn.map { try optionalUUID($0, "project uuid", of: named) } ?? project,
            appName: try text(offset + 1, "app_name", of: named), name: try text(offset + 2, "name", of: named),
            user: try optionalText(offset + 3, "user_name", of: named), dateModified: try date(offset + 4, "date_modified", of: named),
            size: try integer(offset + 5, "size", of: named))
    }

    /// An item from the columns `uuid, project uuid, app_name, name, user_name, user_uuid,
    /// date_modified, data`; `project` when the query knows it (its column is then not read).
    func cacheItem(project known: UUID?? = nil) throws -> CacheItem {
        let named = itemName(app: 2, name: 3)
        let userName = try optionalText(4, "user_name", of: named)
        let userUUID = try optionalUUID(5, "user_uuid", of: named)
        return CacheItem(
            uuid: try uuid(0, "uuid", of: named), project: try known ?? optionalUUID(1, "project uuid", of: named),
            appName: try text(2, "app_name", of: named), name: try text(3, "name", of: named),
            user: userName.map { User(username: $0, uuid: userUUID) },
            data: try payload(7, "data", of: named), dateModified: try date(6, "date_modified", of: named))
    }

    /// A kept version from the columns `id, uuid, project uuid, app_name, name, user_name,
    /// user_uuid, date_modified, replaced_at, size`, and its payload after them when `withData`.
    func itemVersion(withData: Bool) throws -> ItemVersion {
        let named = itemName(app: 3, name: 4)
        return ItemVersion(
            rev: self[0], uuid: try uuid(1, "uuid", of: named), project: try optionalUUID(2, "project uuid", of: named),
            appName: try text(3, "app_name", of: named), name: try text(4, "name", of: named), user: try keptUser(5, of: named),
            dateModified: try date(7, "date_modified", of: named), replacedAt: try date(8, "replaced_at", of: named),
            size: try integer(9, "size", of: named), data: withData ? try payload(10, "data", of: named) : nil)
    }

    /// The row as an item, for messages: its app and name where they are text.
    func itemName(app: Int, name: Int) -> CorruptRow {
        let appValue: DatabaseValue = self[app], nameValue: DatabaseValue = self[name]
        return CorruptRow.item(
            app: String.fromDatabaseValue(appValue), name: String.fromDatabaseValue(nameValue), reason: "")
    }
}
