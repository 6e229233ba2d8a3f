import Foundation
import TestSupport

/// A PostgreSQL database of its own for an end-to-end test, on the server `$SODARCACHE_TEST_PG`
/// names (scripts/pg-cluster.sh; .ci/run starts one), made and dropped with `psql`.
final class TestDatabase {
    static let server: String? = {
        let value = ProcessInfo.processInfo.environment["SODARCACHE_TEST_PG"] ?? ""
        return value.isEmpty ? nil : value
    }()
    static var available: Bool {
        if server == nil { print("PostgreSQL end-to-end tests skipped: $SODARCACHE_TEST_PG is not set (.ci/run sets it)") }
        return server != nil
    }

    let name: String
    /// The database's URI.
    let uri: String

    /// A new database; with `sodar`, holding SODAR Core 1.4.5's tables, a category
    /// `Cancer` with a project `Liver` (`liver`), and a user `jdoe`; without it, a sodarcache
    /// store made by `sodarcache init` (unless `empty`).
    init(server: String? = TestDatabase.server, sodar: Bool = false, empty: Bool = false) throws {
        let server = server ?? ""
        name = "sc_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        uri = Self.uri(server, database: name)
        try Self.psql(server, "CREATE DATABASE \(name)")
        if !sodar && !empty {
            let made = try CLI.run(["init", "--db", uri])
            guard made.status == 0 else { throw PSQLError(message: "sodarcache init failed: \(made.stderr)") }
        }
        if sodar {
            let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("StoreContractTests/Support/sodar-core-1.4.5.sql")
            try Self.psql(uri, file: schema.path)
            try Self.psql(uri, """
                INSERT INTO projectroles_project (id, title, type, description, sodar_uuid, parent_id, full_title, has_public_children, archive)
                VALUES (1, 'Cancer', 'CATEGORY', '', '\(Self.category)', NULL, 'Cancer', false, false),
                       (2, 'Liver', 'PROJECT', 'Liver cohort', '\(Self.liver)', 1, 'Cancer / Liver', false, false);
                INSERT INTO users_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined, name, sodar_uuid)
                VALUES ('', false, 'jdoe', '', '', '', false, true, now(), 'J. Doe', gen_random_uuid());
                """)
        }
    }

    static let category = "0c000000-0000-4000-8000-000000000001"
    static let liver = "0c000000-0000-4000-8000-000000000002"

    deinit { _ = try? Self.psql(Self.server ?? "", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

    /// Runs SQL on this database; returns psql's unaligned output.
    @discardableResult
    func sql(_ text: String) throws -> String { try Self.psql(uri, text) }

    static func uri(_ server: String, database: String) -> String {
        guard let scheme = server.range(of: "://") else { return server }
        let rest = server[scheme.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let query = rest.firstIndex(of: "?") ?? rest.endIndex
        return String(server[..<scheme.upperBound]) + rest[..<slash] + "/" + database + rest[query...]
    }

    @discardableResult
    static func psql(_ uri: String, _ sql: String? = nil, file: String? = nil) throws -> String {
        let arguments = [uri, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"] + (sql.map { ["-c", $0] } ?? []) + (file.map { ["-f", $0] } ?? [])
        let result = try runProcess("/usr/bin/psql", arguments)
        guard result.status == 0 else {
            throw PSQLError(message: String(decoding: result.stderr, as: UTF8.self))
        }
        let output = result.stdout
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `psql` on `uri` running `sql` without waiting (a session that holds a lock).
    static func background(_ uri: String, _ sql: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [uri, "-X", "-q", "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    struct PSQLError: Error, CustomStringConvertible { var message: String; var description: String { message } }
}
