import Foundation

/// A PostgreSQL connection URI, and the form of it that may be shown: without a password.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The URI as given (may hold a password: never print it).
    let uri: String

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isURI(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init?(_ text: String) {
        guard Self.isURI(text) else { return nil }
        uri = text
    }

    /// The URI with any password removed (`user:secret@` and `password=` parameters).
    public var description: String { Self.redact(uri) }

    /// `message` with the URI and its password taken out: libpq quotes a malformed URI, or the
    /// token it could not read, in its errors.
    public func scrub(_ message: String) -> String {
        var text = message.replacingOccurrences(of: uri, with: description)
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return text
    }

    /// The password as written in the URI (and percent-decoded), from the user info and from
    /// `password=` parameters.
    var secrets: [String] {
        var found: [String] = []
        guard let scheme = uri.range(of: "://") else { return [] }
        let rest = uri[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            found.append(String(authority[authority.index(after: colon)..<at]))
        }
        if let query = rest.firstIndex(of: "?") {
            for parameter in rest[rest.index(after: query)...].split(separator: "&") where parameter.lowercased().hasPrefix("password=") {
                found.append(String(parameter.dropFirst("password=".count)))
            }
        }
        found += found.compactMap { $0.removingPercentEncoding }
        // Longest first, so that a decoded form inside the raw one is not left half replaced.
        return Array(Set(found)).sorted { $0.count > $1.count }
    }

    static func redact(_ uri: String) -> String {
        guard let scheme = uri.range(of: "://") else { return uri }
        var rest = String(uri[scheme.upperBound...])
        let head = String(uri[..<scheme.upperBound])
        // user:password@host -> user@host (the authority ends at the first / ? or #).
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                rest = String(rest[..<colon]) + String(rest[at...])
            }
        }
        // ?password=...&  -> dropped.
        if let query = rest.firstIndex(of: "?") {
            let base = rest[..<query]
            let parameters = rest[rest.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false)
                .filter { !$0.lowercased().hasPrefix("password=") }
            rest = parameters.isEmpty ? String(base) : String(base) + "?" + parameters.joined(separator: "&")
        }
        return head + rest
    }
}
