import CLibpq
import Foundation

/// A PostgreSQL connection URI, read by libpq's own parser (`PQconninfoParse`), and the form of
/// it that may be shown: rebuilt from the parsed parameters without the password, never cut out
/// of the text (a password may hold `# ? / @ %`, and a key may be percent-encoded).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The URI as given (may hold a password: never print it).
    let uri: String
    /// The parameters libpq reads from the URI, in its order, with values decoded; empty when the
    /// URI is malformed.
    let parameters: [Parameter]
    /// Why libpq refused the URI, with anything it quoted from the URI taken out; nil when it parsed.
    public let malformed: String?
    /// The URI without its password.
    public let description: String

    /// One keyword and its value.
    struct Parameter: Sendable, Hashable {
        var keyword: String
        var value: String
    }

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isURI(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init?(_ text: String) {
        guard Self.isURI(text) else { return nil }
        uri = text
        switch Self.parse(text) {
        case .success(let parsed):
            parameters = parsed
            malformed = nil
            description = Self.display(parsed)
        case .failure(let reason):
            parameters = []
            malformed = reason.reason
            description = "postgresql://(a URI libpq cannot read)"
        }
    }

    /// The libpq keywords and values to connect with: all the URI's but `options`, whose server
    /// settings are applied after connecting (`PGOptions`), as PgBouncer refuses them.
    public var connectParameters: [(String, String)] {
        parameters.filter { $0.keyword != "options" }.map { ($0.keyword, $0.value) }
    }

    /// The value of `keyword` as libpq reads it from the URI.
    public func value(_ keyword: String) -> String? {
        parameters.last(where: { $0.keyword == keyword })?.value
    }

    /// The password as libpq reads it (decoded), if the URI holds one.
    var password: String? { value("password").flatMap { $0.isEmpty ? nil : $0 } }

    /// The password as libpq reads it, for checks that it never shows (tests, the fuzz target).
    public var parsedPassword: String? { password }

    /// The shown form this URI would have with another password: the fuzz target's check that
    /// the shown form does not depend on the password at all.
    public func description(withPassword replacement: String) -> String {
        guard malformed == nil else { return description }
        return Self.display(parameters.map { $0.keyword == "password" ? Parameter(keyword: "password", value: replacement) : $0 })
    }

    /// Every parsed value but the password's, for the same checks.
    public var otherValues: [String] { parameters.filter { $0.keyword != "password" }.map(\.value) }

    /// `message` with the URI and its password taken out: libpq may quote the URI, or a token of
    /// it, in its errors.
    public func scrub(_ message: String) -> String {
        var text = message.replacingOccurrences(of: uri, with: description)
        for secret in secrets where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return text
    }

    /// The password in every form it may take in a message: decoded, and as written in the URI
    /// (each run of the URI whose percent-decoding is the password).
    var secrets: [String] {
        guard let password else { return [] }
        var found: Set<String> = [password]
        // The URI percent-decoded byte by byte, each decoded byte with the raw range it came from.
        let raw = Array(uri.utf8)
        var decoded: [UInt8] = []
        var ranges: [Range<Int>] = []
        decoded.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "%"), index + 2 < raw.count,
               let high = Self.hexValue(raw[index + 1]), let low = Self.hexValue(raw[index + 2])
            {
                decoded.append(high << 4 | low)
                ranges.append(index..<index + 3)
                index += 3
            } else {
                decoded.append(raw[index])
                ranges.append(index..<index + 1)
                index += 1
            }
        }
        let needle = Array(password.utf8)
        if !needle.isEmpty && needle.count <= decoded.count {
            for start in 0...(decoded.count - needle.count) where decoded[start] == needle[0] {
                guard decoded[start..<start + needle.count].elementsEqual(needle) else { continue }
                let written = raw[ranges[start].lowerBound..<ranges[start + needle.count - 1].upperBound]
                if let text = String(bytes: written, encoding: .utf8) { found.insert(text) }
            }
        }
        // Longest first, so that a decoded form inside the written one is not left half replaced.
        return found.sorted { $0.count > $1.count }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    // MARK: - Parsing

    private static func parse(_ text: String) -> Result<[Parameter], ParseFailure> {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &error) else {
            let raw = error.map { String(cString: $0) } ?? "out of memory"
            if let error { PQfreemem(error) }
            return .failure(ParseFailure(reason: unquoted(PGError.oneLine(raw))))
        }
        defer { PQconninfoFree(options) }
        var parameters: [Parameter] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                parameters.append(Parameter(keyword: String(cString: keyword), value: String(cString: value)))
            }
            option = option.advanced(by: 1)
        }
        return .success(parameters)
    }

    private struct ParseFailure: Error {
        var reason: String
    }

    /// libpq's parse errors quote the token they could not read, which may be part of a
    /// password: the quoted text goes.
    static func unquoted(_ message: String) -> String {
        var result = ""
        var inQuote = false
        for character in message {
            if character == "\"" {
                if !inQuote { result += "\"…\"" }
                inQuote.toggle()
            } else if !inQuote {
                result.append(character)
            }
        }
        return result
    }

    /// `postgresql://user@host:port/dbname?key=value`, from the parsed parameters; the password
    /// and anything named like a secret are left out.
    private static func display(_ parameters: [Parameter]) -> String {
        var values: [String: String] = [:]
        var order: [String] = []
        for parameter in parameters {
            if values[parameter.keyword] == nil { order.append(parameter.keyword) }
            values[parameter.keyword] = parameter.value
        }
        let hidden: Set<String> = ["password", "sslpassword"]
        var text = "postgresql://"
        if let user = values["user"] { text += encode(user) + "@" }
        let host = values["host"] ?? ""
        let socketHost = host.hasPrefix("/") || host.contains(",")
        // An IPv6 address in brackets keeps its colons; nothing of a value is shown unencoded.
        if !socketHost { text += host.contains(":") ? "[" + encode(host, keeping: ":") + "]" : encode(host) }
        if let port = values["port"], !socketHost { text += ":" + encode(port) }
        text += "/" + encode(values["dbname"] ?? "")
        let rest = order.filter { keyword in
            !hidden.contains(keyword) && keyword != "user" && keyword != "dbname"
                && ((keyword != "host" && keyword != "port") || socketHost)
        }
        if !rest.isEmpty {
            text += "?" + rest.map { "\($0)=\(encode(values[$0] ?? ""))" }.joined(separator: "&")
        }
        return text
    }

    /// ASCII letters and digits and a few marks: everything else is percent-encoded, so that the
    /// shown form holds no control, bidi or look-alike character from the URI.
    private static let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/,")

    /// A value as the shown form writes it (percent-encoded where it would be ambiguous).
    public static func shown(_ value: String) -> String { encode(value) }

    private static func encode(_ value: String, keeping extra: String = "") -> String {
        let allowed = extra.isEmpty ? plain : plain.union(CharacterSet(charactersIn: extra))
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
