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
}
