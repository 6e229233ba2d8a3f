import CLibpq
import Foundation

/// A parameter of a statement, sent in text format.
public enum PGValue: Sendable {
    case text(String)
    /// UTF-8 text without NUL bytes (a validated JSON payload), sent without a String copy.
    case bytes(Data)
    case null

    public init(_ string: String?) { self = string.map { .text($0) } ?? .null }
    /// A UUID in lower case, as PostgreSQL prints one.
    public init(_ uuid: UUID?) { self = uuid.map { .text($0.uuidString.lowercased()) } ?? .null }
    public init(_ int: Int?) { self = int.map { .text(String($0)) } ?? .null }
    public init(_ double: Double?) { self = double.map { .text(String($0)) } ?? .null }
}

/// How connections reach the server.
public enum PGRoute: String, Sendable {
    /// Straight to the server: one server session per connection, so session settings and
    /// named prepared statements last.
    case direct
    /// Through a pooler in transaction mode (PgBouncer): each transaction may run on another
    /// server session, so nothing may outlive a transaction.
    case pooled
}

/// How a transaction reads.
public enum PGTransactionMode: Sendable {
    /// Each statement sees what committed before it started; may write.
    case readCommitted
    /// Every statement sees one snapshot, taken at the first; writes nothing.
    case readOnlySnapshot

    var sql: String {
        switch self {
        case .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .readOnlySnapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
        }
    }
}

/// What a connection is opened with.
public struct PGConnectSpec: Sendable {
    /// libpq keywords and values, the URI's own included; never `options` (PgBouncer refuses it).
    public var parameters: [(String, String)]
    /// Server settings applied after connecting, in order (the user's first, sodarcache's last,
    /// so that its own always hold).
    public var settings: [(String, String)]
    /// Nil: told apart on the first connection (`PQbackendPID` against `pg_backend_pid()`).
    public var route: PGRoute?

    public init(parameters: [(String, String)], settings: [(String, String)], route: PGRoute?) {
        self.parameters = parameters
        self.settings = settings
        self.route = route
    }
}

/// One libpq connection, used by one thread at a time, always with bound parameters.
///
/// On a direct route, statements are prepared once per connection and the settings are set once
/// for the session. On a pooled route no state outlives a transaction: statements are unnamed
/// (another client's `EXECUTE s0` could run ours), and a statement outside a transaction is sent
/// in one pipeline with its settings (`set_config(..., true)`), all in one implicit transaction.
public final class PGConnection {
    private var connection: OpaquePointer?
    /// SQL text -> prepared statement name, for this session (direct route only).
    private var prepared: [String: String] = [:]
    /// Whether a statement failed because the connection is gone.
    public private(set) var isBroken = false
    public let route: PGRoute
    /// Settings each pooled transaction carries (on a direct route they were set once).
    private var settings: [(String, String)]
    /// Inside `transaction(_:_:)`: statements run as they come.
    private var inTransaction = false

    /// Connects and applies `spec.settings`.
    /// - Throws: `PGError` with `connectionLost` for a failed connection; a setting the server
    ///   refuses after connecting is named in the error.
    public init(_ spec: PGConnectSpec) throws(PGError) {
        let keys = spec.parameters.map(\.0)
        let values = spec.parameters.map(\.1)
        connection = Self.withCStrings(keys) { keyPointers in
            Self.withCStrings(values) { valuePointers in
                PQconnectdbParams(keyPointers, valuePointers, 0)
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
        settings = spec.settings
        if let route = spec.route {
            self.route = route
        } else {
            // Through PgBouncer, libpq's backend PID is PgBouncer's own key for this client.
            let server = try Self.unnamed(connection, "SELECT pg_backend_pid()", [])
            route = server.int(0, 0).map { Int32($0) == PQbackendPID(connection) } == false ? .pooled : .direct
        }
        // Direct: set once for the session. Pooled: each transaction carries them, but they are
        // tried now, so that a setting the server refuses fails the open, not a later read.
        // All in one statement (one round trip); when the server refuses it, one by one, to name
        // the setting it refused.
        let local = route == .direct ? "false" : "true"
        let calls = spec.settings.indices.map { "set_config($\(2 * $0 + 1), $\(2 * $0 + 2), \(local))" }
        let arguments = spec.settings.flatMap { [PGValue.text($0.0), .text($0.1)] }
        if calls.isEmpty { return }
        do {
            _ = try Self.unnamed(connection, "SELECT " + calls.joined(separator: ", "), arguments)
            return
        } catch where error.connectionLost {
            throw Self.unapplied(spec.settings[0].0, spec.settings[0].1, error)
        } catch {}
        for (name, value) in spec.settings {
            do {
                _ = try Self.unnamed(connection, "SELECT set_config($1, $2, \(local))", [.text(name), .text(value)])
            } catch {
                throw Self.unapplied(name, value, error)
            }
        }
    }

    /// A connection to `uri` with libpq `settings` added, its route told apart (tests, benches).
    public convenience init(uri: String, settings: [(String, String)] = []) throws(PGError) {
        guard let location = PostgresLocation(uri), location.malformed == nil else {
            throw PGError(sqlState: nil, message: "not a PostgreSQL URI", connectionLost: true)
        }
        try self.init(PGConnectSpec(parameters: settings + location.connectParameters, settings: [], route: nil))
    }

    deinit { PQfinish(connection) }

    private static func unapplied(_ name: String, _ value: String, _ error: PGError) -> PGError {
        PGError(
            sqlState: error.sqlState,
            message: "cannot apply the setting \(name)=\(value) after connecting (\(error.message))",
            connectionLost: error.connectionLost)
    }

    /// Adds a setting for this connection's later statements (a background scan's own limits).
    public func apply(_ name: String, _ value: String) throws(PGError) {
        switch route {
        case .direct:
            _ = try query("SELECT set_config($1, $2, false)", [.text(name), .text(value)])
        case .pooled:
            settings.append((name, value))
        }
    }

    /// Runs SQL without parameters (several statements allowed); for DDL, VACUUM and
    /// transaction control. Carries no settings on a pooled route outside a transaction.
    @discardableResult
    public func execute(_ sql: String) throws(PGError) -> PGResult {
        guard let connection else { throw lost("not connected") }
        return try check(PQexec(connection, sql))
    }

    /// Runs one statement with bound parameters.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PGValue] = []) throws(PGError) -> PGResult {
        guard let connection else { throw lost("not connected") }
        switch route {
        case .direct:
            let name: String
            if let known = prepared[sql] {
                name = known
            } else {
                return try prepareAndRun(sql, parameters)
            }
            let result = Self.withParameters(parameters) { values, lengths in
                PQexecPrepared(connection, name, Int32(parameters.count), values, lengths, nil, 0)
            }
            return try check(result)
        case .pooled where inTransaction || settings.isEmpty:
            let result = Self.withParameters(parameters) { values, lengths in
                PQexecParams(connection, sql, Int32(parameters.count), nil, values, lengths, nil, 0)
            }
            return try check(result)
        case .pooled:
            return try pipeline([settingsStatement(), (sql, parameters)])
        }
    }

    /// Runs `statements` in one round trip as one implicit transaction (one Sync; each
    /// statement takes its own snapshot, after the ones before it ran): a lock the first takes
    /// holds for the rest. Outside a transaction only. Returns the last statement's result.
    @discardableResult
    public func pipelined(_ statements: [(String, [PGValue])]) throws(PGError) -> PGResult {
        switch route {
        case .direct:
            // Prepared once, as `query` prepares them: the pipeline then only binds and runs.
            guard let connection else { throw lost("not connected") }
            for (sql, parameters) in statements where prepared[sql] == nil {
                let name = "s\(prepared.count)"
                _ = try check(PQprepare(connection, name, sql, Int32(parameters.count), nil))
                prepared[sql] = name
            }
            return try pipeline(statements, prepared: true)
        case .pooled:
            return try pipeline(settings.isEmpty ? statements : [settingsStatement()] + statements)
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// - Parameter opening: a statement that runs right after BEGIN, in its round trip (a lock
    ///   the transaction takes before its first snapshot).
    public func transaction<T>(
        _ mode: PGTransactionMode = .readCommitted, opening: (String, [PGValue])? = nil, _ body: () throws -> T
    ) throws -> T {
        switch route {
        case .direct:
            if let opening { try pipeline([(mode.sql, []), opening]) } else { try execute(mode.sql) }
        case .pooled:
            // BEGIN and the settings in one round trip; the pooler keeps this server session
            // until COMMIT.
            try pipeline([(mode.sql, []), settingsStatement()] + (opening.map { [$0] } ?? []))
        }
        inTransaction = true
        defer { inTransaction = false }
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

    /// `SELECT set_config($1, $2, true), ...` for every setting: they end with the transaction.
    private func settingsStatement() -> (String, [PGValue]) {
        guard !settings.isEmpty else { return ("SELECT 1", []) }
        let calls = settings.indices.map { "set_config($\(2 * $0 + 1), $\(2 * $0 + 2), true)" }
        return ("SELECT " + calls.joined(separator: ", "), settings.flatMap { [PGValue.text($0.0), .text($0.1)] })
    }

    /// Sends `statements` as unnamed statements in one pipeline ending in one Sync (one round
    /// trip, one implicit transaction unless they open one) and returns the last one's result.
    @discardableResult
    /// - Parameter prepared: each statement's SQL is prepared already (`prepared` names it).
    private func pipeline(_ statements: [(String, [PGValue])], prepared: Bool = false) throws(PGError) -> PGResult {
        guard let connection else { throw lost("not connected") }
        guard PQenterPipelineMode(connection) == 1 else { throw lost(PGError.oneLine(String(cString: PQerrorMessage(connection)))) }
        defer { _ = PQexitPipelineMode(connection) }
        for (sql, parameters) in statements {
            let name = prepared ? self.prepared[sql] : nil
            let sent = Self.withParameters(parameters) { values, lengths in
                if let name { return PQsendQueryPrepared(connection, name, Int32(parameters.count), values, lengths, nil, 0) }
                return PQsendQueryParams(connection, sql, Int32(parameters.count), nil, values, lengths, nil, 0)
            }
            guard sent == 1 else { throw lost(PGError.oneLine(String(cString: PQerrorMessage(connection)))) }
        }
        guard PQpipelineSync(connection) == 1 else { throw lost(PGError.oneLine(String(cString: PQerrorMessage(connection)))) }
        var last: OpaquePointer?
        var failure: PGError?
        // Each statement's results end with a NULL; then comes the Sync's PGRES_PIPELINE_SYNC.
        for _ in statements {
            while let result = PQgetResult(connection) {
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                    if let last { PQclear(last) }
                    last = result
                case PGRES_PIPELINE_ABORTED:
                    PQclear(result)
                default:
                    if failure == nil {
                        do { _ = try check(result) } catch { failure = error }
                    } else {
                        PQclear(result)
                    }
                }
            }
            if PQstatus(connection) != CONNECTION_OK { break }
        }
        if PQstatus(connection) != CONNECTION_OK {
            if let last { PQclear(last) }
            // Gone after a statement's own error too: the pool must not lend it again.
            isBroken = true
            throw failure ?? lost(PGError.oneLine(String(cString: PQerrorMessage(connection))))
        }
        if let sync = PQgetResult(connection) { PQclear(sync) }
        if let failure {
            if let last { PQclear(last) }
            // A pipeline that opened a transaction and then failed leaves it aborted.
            if PQtransactionStatus(connection) == PQTRANS_INERROR { PQclear(PQexec(connection, "ROLLBACK")) }
            throw failure
        }
        guard let last else { throw lost(PGError.oneLine(String(cString: PQerrorMessage(connection)))) }
        return PGResult(last)
    }

    /// A statement's first run on this session: prepared and run in one round trip (Parse,
    /// Bind, Execute, Sync in one pipeline), where preparing first cost a round trip of its own
    /// for every statement a new connection sends. The name is kept once the server took it,
    /// whether or not the run then fails.
    private func prepareAndRun(_ sql: String, _ parameters: [PGValue]) throws(PGError) -> PGResult {
        guard let connection else { throw lost("not connected") }
        let name = "s\(prepared.count)"
        guard PQenterPipelineMode(connection) == 1 else { throw lost(PGError.oneLine(String(cString: PQerrorMessage(connection)))) }
        defer { _ = PQexitPipelineMode(connection) }
        let sent = PQsendPrepare(connection, name, sql, Int32(parameters.count), nil) == 1
            && Self.withParameters(parameters) { values, lengths in
                PQsendQueryPrepared(connection, name, Int32(parameters.count), values, lengths, nil, 0)
            } == 1
            && PQpipelineSync(connection) == 1
        guard sent else { throw lost(PGError.oneLine(String(cString: PQerrorMessage(connection)))) }
        var outcome: Result<PGResult, PGError>?
        // The Parse's results, then the Execute's, each ending with a NULL; then the Sync's.
        for step in 0..<2 {
            while let result = PQgetResult(connection) {
                let status = PQresultStatus(result)
                if step == 0 && status == PGRES_COMMAND_OK {
                    prepared[sql] = name
                    PQclear(result)
                } else if status == PGRES_PIPELINE_ABORTED || outcome != nil {
                    PQclear(result)
                } else {
                    do { outcome = .success(try check(result)) } catch { outcome = .failure(error) }
                }
            }
            if PQstatus(connection) != CONNECTION_OK { break }
        }
        if PQstatus(connection) != CONNECTION_OK {
            // Gone after the statement's own error too: the pool must not lend it again.
            isBroken = true
            if case .failure(let error) = outcome { throw error }
            throw lost(PGError.oneLine(String(cString: PQerrorMessage(connection))))
        }
        if let sync = PQgetResult(connection) { PQclear(sync) }
        guard let outcome else { throw lost(PGError.oneLine(String(cString: PQerrorMessage(connection)))) }
        return try outcome.get()
    }

    /// One unnamed statement, for the checks made while connecting.
    private static func unnamed(_ connection: OpaquePointer, _ sql: String, _ parameters: [PGValue]) throws(PGError) -> PGResult {
        let result = withParameters(parameters) { values, lengths in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, lengths, nil, 0)
        }
        return try checked(connection, result)
    }

    private func lost(_ message: String) -> PGError {
        isBroken = true
        return PGError(sqlState: nil, message: message, connectionLost: true)
    }

    private func check(_ result: OpaquePointer?) throws(PGError) -> PGResult {
        guard let connection else { throw lost("no connection") }
        do {
            return try Self.checked(connection, result)
        } catch {
            if error.isConnectionFailure { isBroken = true }
            throw error
        }
    }

    private static func checked(_ connection: OpaquePointer, _ result: OpaquePointer?) throws(PGError) -> PGResult {
        guard let result else {
            throw PGError(sqlState: nil, message: PGError.oneLine(String(cString: PQerrorMessage(connection))), connectionLost: true)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGResult(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let fallback = String(cString: PQresultErrorMessage(result))
            PQclear(result)
            let gone = PQstatus(connection) != CONNECTION_OK
            throw PGError(sqlState: state, message: PGError.oneLine(primary ?? fallback), connectionLost: gone)
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
