import Foundation
import SodarCache

/// A row an engine cannot read as what it must be (a NULL or malformed UUID, a value of the
/// wrong type), thrown by an engine's row reading and turned into `CacheError.corruptRow`
/// with the store's location where the engine maps its errors: every engine reports a bad row
/// the same way, and none makes a value up.
public struct CorruptRow: Error, Sendable {
    /// Which row, as a user can find it: `item "app:name"` or `project <uuid>`, else the row id.
    public var row: String
    /// What is wrong with it: "a malformed UUID in sodar_uuid".
    public var reason: String

    public init(row: String, reason: String) {
        self.row = row
        self.reason = reason
    }

    /// An item row, named by its app and name where those are readable.
    public static func item(app: String?, name: String?, reason: String) -> CorruptRow {
        if let app, let name { return CorruptRow(row: "item \"\(app):\(name)\"", reason: reason) }
        return CorruptRow(row: "an item row", reason: reason)
    }

    public func error(location: String) -> CacheError {
        .corruptRow(location: location, row: row, reason: reason)
    }

    /// A time that is a number of seconds a date can hold (SQLite keeps whatever it is given;
    /// PostgreSQL's `timestamptz` has `infinity`).
    public static func checkedDate(_ seconds: Double?, column: String, row: @autoclosure () -> CorruptRow) throws -> Date {
        guard let seconds, seconds.isFinite, abs(seconds) < 253_402_300_800 else {
            var corrupt = row()
            corrupt.reason = seconds == nil ? "no valid time in \(column)" : "an impossible time in \(column)"
            throw corrupt
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// A project's type as SODAR names it: any other value is no type a project can have.
    public static func projectKind(_ value: String, row: @autoclosure () -> CorruptRow) throws -> Project.Kind {
        guard let kind = Project.Kind(rawValue: value) else {
            var corrupt = row()
            corrupt.reason = "an unknown project type \"\(value)\" in type"
            throw corrupt
        }
        return kind
    }
}
