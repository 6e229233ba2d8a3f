import Foundation

/// A failure reported by libpq or the server, with the server's SQLSTATE when there is one.
public struct PGError: Error, CustomStringConvertible, Sendable {
    /// Five-character SQLSTATE (`42501`), or nil for client-side failures.
    var sqlState: String?
    /// The primary message, one line.
    public var message: String
    /// The connection is gone (server restart, network): the statement did not complete, and
    /// a transaction in progress was rolled back by the server.
    var connectionLost: Bool

    public var description: String { message }

    /// libpq's messages may span lines ("connection to server ... failed: FATAL: ..."): one
    /// line, without the severity prefixes.
    static func oneLine(_ raw: String) -> String {
        let lines = raw.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var text = lines.joined(separator: "; ")
        for prefix in ["FATAL:  ", "ERROR:  ", "FATAL: ", "ERROR: "] {
            text = text.replacingOccurrences(of: prefix, with: "")
        }
        return text
    }

    // The SQLSTATEs told apart below.
    static let insufficientPrivilege = "42501"
    static let lockNotAvailable = "55P03"
    static let deadlock = "40P01"
    static let serializationFailure = "40001"
    static let diskFull = "53100"
    static let readOnlyTransaction = "25006"

    /// Whether the code means "another writer holds what we need".
    public var isBusy: Bool { sqlState == Self.lockNotAvailable || sqlState == Self.deadlock || sqlState == Self.serializationFailure }
    /// Whether the code means the role may not write (or read) this.
    public var isPermission: Bool { sqlState == Self.insufficientPrivilege || sqlState == Self.readOnlyTransaction }
    /// Whether the server's disk is full.
    public var isDiskFull: Bool { sqlState == Self.diskFull }
    /// Class 08 (connection exception) and 57P0x (server shutting down, crash recovery).
    var isConnectionClass: Bool {
        guard let state = sqlState else { return connectionLost }
        return state.hasPrefix("08") || state.hasPrefix("57P")
    }
    /// Whether the connection is gone or going (lost, or a server shutting down): the statement
    /// did not complete, and another connection may succeed.
    public var isConnectionFailure: Bool { connectionLost || isConnectionClass }
}
