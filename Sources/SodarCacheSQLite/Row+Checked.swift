import Foundation
import GRDB
import StoreKernel

/// Reading a row's columns as what they must be: GRDB's subscripts stop the process on a
/// value they cannot convert (a 2-byte UUID, text in a number column), and SQLite keeps
/// whatever it is given. These throw `CorruptRow` instead, which `guarded` names the store in.
extension Row {
    func uuid(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> UUID {
        guard let uuid = try optionalUUID(index, column, of: row()) else {
            throw CorruptRow(row: row().row, reason: "no UUID in \(column)")
        }
        return uuid
    }

    func optionalUUID(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> UUID? {
        let value: DatabaseValue = self[index]
        if value.isNull { return nil }
        guard let uuid = UUID.fromDatabaseValue(value) else {
            throw CorruptRow(row: row().row, reason: "a malformed UUID in \(column)")
        }
        return uuid
    }

    func text(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> String {
        guard let text = try optionalText(index, column, of: row()) else {
            throw CorruptRow(row: row().row, reason: "no text in \(column)")
        }
        return text
    }

    func optionalText(_ index: Int, _ column: String, of row: @autoclosure () -> CorruptRow) throws -> String? {
        let value: DatabaseValue = self[index]
        if value.isNull { return nil }
        guard case .string(let text) = value.storage else {
            throw CorruptRow(row: row().row, reason: "a value that is not text in \(column)")
        }
        return text
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

    /// The row as an item, for messages: its app and name where they are text.
    func itemName(app: Int, name: Int) -> CorruptRow {
        let appValue: DatabaseValue = self[app], nameValue: DatabaseValue = self[name]
        return CorruptRow.item(
            app: String.fromDatabaseValue(appValue), name: String.fromDatabaseValue(nameValue), reason: "")
    }
}
