import Foundation

/// The server settings of libpq's `options` (from the URI's `options=` or `PGOPTIONS`), read by
/// sodarcache itself: they are applied after connecting with `set_config`, because nothing may
/// go in the startup packet's `options` (PgBouncer refuses it).
public enum PGOptions {
    /// `-c name=value`, `-cname=value` and `--name=value`, separated by spaces; a backslash
    /// keeps the next character (a space in a value).
    /// - Throws: `PGError` (no SQLSTATE) naming `source` and the token that is not a setting.
    public static func settings(_ text: String, source: String) throws(PGError) -> [(String, String)] {
        var tokens: [String] = []
        var current = ""
        var escaped = false
        var inToken = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
                inToken = true
            } else if character == " " || character == "\t" || character == "\n" {
                if inToken { tokens.append(current) }
                current = ""
                inToken = false
            } else {
                current.append(character)
                inToken = true
            }
        }
        if escaped { current.append("\\") }
        if inToken { tokens.append(current) }

        var settings: [(String, String)] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let assignment: String
            if token == "-c" {
                guard index + 1 < tokens.count else {
                    throw invalid("\(source): -c without a setting after it")
                }
                assignment = tokens[index + 1]
                index += 2
            } else if token.hasPrefix("-c") {
                assignment = String(token.dropFirst(2))
                index += 1
            } else if token.hasPrefix("--") {
                assignment = String(token.dropFirst(2))
                index += 1
            } else {
                throw invalid("\(source): \(Self.shown(token)) is not a setting (give -c name=value)")
            }
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw invalid("\(source): \(Self.shown(assignment)) is not name=value")
            }
            // PostgreSQL reads --work-mem=4MB as work_mem.
            let name = assignment[..<equals].replacingOccurrences(of: "-", with: "_")
            settings.append((name, String(assignment[assignment.index(after: equals)...])))
        }
        return settings
    }

    private static func invalid(_ message: String) -> PGError {
        PGError(sqlState: nil, message: message, connectionLost: false)
    }

    private static func shown(_ token: String) -> String {
        "\"" + (token.count > 60 ? String(token.prefix(60)) + "…" : token) + "\""
    }

    /// `PGOPTIONS` as the process started with it. It is taken out of the environment the first
    /// time this is read, so that libpq does not send it in the startup packet; read it once
    /// while the process is still single-threaded (the command line does, first thing).
    public static let environment: String? = {
        guard let value = getenv("PGOPTIONS") else { return nil }
        let text = String(cString: value)
        unsetenv("PGOPTIONS")
        return text
    }()
}
