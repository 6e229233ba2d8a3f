import Foundation
import GRDB
import SodarCache
import StoreKernel

/// GRDB's rows as the kernel reads them (`StoredRow`): GRDB's subscripts stop the process on a
/// value they cannot convert (a 2-byte UUID, text in a number column), and SQLite keeps
/// whatever it is given, so every column is read as a `DatabaseValue` and converted here; the
/// kernel throws `CorruptRow` for what does not convert, which `guarded` names the store in.
extension Row: StoredRow {
    /// Asked of SQLite without extracting the value (a payload is not copied to be tested).
    public func isNull(at column: Int) -> Bool { hasNull(atIndex: column) }

    /// Text only: GRDB's `String` would also take a blob's bytes.
    public func text(at column: Int) -> String? {
        if case .string(let text) = (self[column] as DatabaseValue).storage { return text }
        return nil
    }

    public func uuid(at column: Int) -> UUID? { UUID.fromDatabaseValue(self[column]) }
    public func integer(at column: Int) -> Int? { Int.fromDatabaseValue(self[column]) }
    public func seconds(at column: Int) -> Double? { Double.fromDatabaseValue(self[column]) }
    public func payload(at column: Int) -> Data? { Data.fromDatabaseValue(self[column]) }

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
}
