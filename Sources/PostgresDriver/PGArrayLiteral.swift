import Foundation

/// A one-dimensional array parameter in PostgreSQL's text format (`{"a","b",NULL}`), built as
/// bytes: a batch of writes goes to the server as one array per column, for `unnest`.
public struct PGArrayLiteral {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var empty = true

    public init(reservingCapacity capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends an element quoted (`"` and `\` escaped), or NULL.
    public mutating func append<Bytes: Sequence>(quoted element: Bytes?) where Bytes.Element == UInt8 {
        separate()
        guard let element else {
            bytes += "NULL".utf8
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in element {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends text quoted, or NULL.
    public mutating func append(_ text: String?) {
        append(quoted: text?.utf8)
    }

    /// Appends a number, or NULL.
    public mutating func append(_ number: Int?) {
        separate()
        bytes += (number.map(String.init) ?? "NULL").utf8
    }

    /// Appends a number as Swift prints it (every digit kept).
    public mutating func append(_ number: Double) {
        separate()
        bytes += String(number).utf8
    }

    /// Appends a UUID in lower case, or NULL.
    public mutating func append(_ uuid: UUID?) {
        separate()
        bytes += (uuid.map { $0.uuidString.lowercased() } ?? "NULL").utf8
    }

    /// The parameter (text format, no NUL bytes: payloads are validated JSON text).
    public var value: PGValue {
        .bytes(Data(bytes + [UInt8(ascii: "}")]))
    }

    private mutating func separate() {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
    }
}

extension PGValue {
    /// An array of integers, for `= ANY($1::bigint[])` or `unnest`.
    public static func array(_ values: some Sequence<Int>) -> PGValue {
        var literal = PGArrayLiteral()
        for value in values { literal.append(value) }
        return literal.value
    }

    /// An array of text, each element quoted.
    public static func array(_ values: some Sequence<String>) -> PGValue {
        var literal = PGArrayLiteral()
        for value in values { literal.append(value) }
        return literal.value
    }

    /// An array of UUIDs, for `= ANY($1::uuid[])`.
    public static func array(_ values: some Sequence<UUID>) -> PGValue {
        var literal = PGArrayLiteral(reservingCapacity: 37 * values.underestimatedCount + 2)
        for value in values { literal.append(value) }
        return literal.value
    }
}
