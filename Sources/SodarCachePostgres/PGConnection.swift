import CLibpq
import Foundation

/// A parameter of a statement, sent in text format.
enum PGValue: Sendable {
    case text(String)
    /// UTF-8 text without NUL bytes (a validated JSON payload), sent without a String copy.
    case bytes(Data)
    case null

    init(_ string: String?) { self = string.map { .text($0) } ?? .null }
    init(_ uuid: UUID?) { self = uuid.map { .text($0.uuidString.lowercased()) } ?? .null }
    init(_ int: Int?) { self = int.map { .text(String($0)) } ?? .null }
    init(_ double: Double?) { self = double.map { .text(String($0)) } ?? .null }
}

/// One libpq connection, used by one thread at a time. Statements are prepared once per
/// connection and always run with bound parameters.
final class PGConnection {
    private var connection: OpaquePointer?
    /// SQL text -> prepared statement name, for this session.
    private var prepared: [String: String] = [:]
    /// Whether a statement failed because the connection is gone.
    private(set) var isBroken = false

    /// Connects. `settings` are libpq keywords applied before the URI's own (so the URI wins).
    init(uri: String, settings: [(String, String)]) throws(PGError) {
        let keys = settings.map(\.0) + ["dbname"]
        let values = settings.map(\.1) + [uri]
        connection = Self.withCStrings(keys) { keyPointers in
            Self.withCStrings(values) { valuePointers in
                PQconnectdbParams(keyPointers, valuePointers, 1)
            }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            self.connection = nil
            throw PGError(sqlState: nil, message: PGError.oneLine(message), connectionLost: true)
        }
        // Notices (e.g. "relation already exists, skipping") are not for the terminal.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// Runs SQL without parameters (several statements allowed); for session settings and DDL.
    @discardableResult
    func execute(_ sql: String) throws(PGError) -> PGResult {
        guard let connection else { throw lost("not connected") }
        return try check(PQexec(connection, sql))
    }

    /// Runs one statement with bound parameters, prepared on first use.
    @discardableResult
    func query(_ sql: String, _ parameters: [PGValue] = []) throws(PGError) -> PGResult {
        guard let connection else { throw lost("not connected") }
        let name: String
        if let known = prepared[sql] {
            name = known
        } else {
            name = "s\(prepared.count)"
            let result = PQprepare(connection, name, sql, Int32(parameters.count), nil)
            _ = try check(result)
            prepared[sql] = name
        }
        let result = Self.withParameters(parameters) { values, lengths in
            PQexecPrepared(connection, name, Int32(parameters.count), values, lengths, nil, 0)
        }
        return try check(result)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ isolation: String = "READ COMMITTED", _ body: () throws -> T) throws -> T {
        try execute("BEGIN ISOLATION LEVEL \(isolation)")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            if !isBroken { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Private

    private func lost(_ message: String) -> PGError {
        isBroken = true
        return PGError(sqlState: nil, message: message, connectionLost: true)
    }

    private func check(_ result: OpaquePointer?) throws(PGError) -> PGResult {
        guard let result else {
            let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "no connection"
            throw lost(PGError.oneLine(message))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGResult(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let fallback = String(cString: PQresultErrorMessage(result))
            PQclear(result)
            let gone = connection.map { PQstatus($0) != CONNECTION_OK } ?? true
            if gone { isBroken = true }
            let error = PGError(
                sqlState: state, message: PGError.oneLine(primary ?? fallback), connectionLost: gone)
            if error.isConnectionClass { isBroken = true }
            throw error
        }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    private static func withParameters<R>(
        _ parameters: [PGValue], _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        var buffers: [UnsafeMutablePointer<CChar>?] = []
        buffers.reserveCapacity(parameters.count)
        for parameter in parameters {
            switch parameter {
            case .null:
                buffers.append(nil)
            case .text(let text):
                buffers.append(strdup(text))
            case .bytes(let data):
                let buffer = malloc(data.count + 1)!.assumingMemoryBound(to: CChar.self)
                data.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { memcpy(buffer, base, data.count) }
                }
                buffer[data.count] = 0
                buffers.append(buffer)
            }
        }
        defer { buffers.forEach { free($0) } }
        let pointers = buffers.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress, nil) }
    }
}
