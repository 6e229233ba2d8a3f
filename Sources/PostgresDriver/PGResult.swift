import CLibpq
import Foundation

/// One statement's result rows, in libpq's text format. Freed with the object.
public final class PGResult {
    private let result: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int

    init(_ result: OpaquePointer) {
        self.result = result
        rowCount = Int(PQntuples(result))
        columnCount = Int(PQnfields(result))
    }

    deinit { PQclear(result) }

    /// Rows changed by an INSERT, UPDATE or DELETE.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    public func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    public func string(_ row: Int, _ column: Int) -> String? {
        if isNull(row, column) { return nil }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let value = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
        return value.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    public func data(_ row: Int, _ column: Int) -> Data? {
        if isNull(row, column) { return nil }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let value = PQgetvalue(result, Int32(row), Int32(column)) else { return nil }
        return Data(bytes: value, count: length)
    }

    /// An integer column read from libpq's buffer, digits and an optional sign as PostgreSQL
    /// prints them (no String made: a scan of 1M items reads several per row).
    public func int(_ row: Int, _ column: Int) -> Int? {
        if isNull(row, column) { return nil }
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard length > 0, length <= 20, let value = PQgetvalue(result, Int32(row), Int32(column)) else {
            return string(row, column).flatMap { Int($0) }
        }
        let negative = value[0] == CChar(UInt8(ascii: "-"))
        var total = 0
        for offset in (negative ? 1 : 0)..<length {
            let digit = Int(UInt8(bitPattern: value[offset])) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            let (times, overflowA) = total.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            total = sum
        }
        return negative && length == 1 ? nil : total
    }

    public func double(_ row: Int, _ column: Int) -> Double? { string(row, column).flatMap { Double($0) } }

    public func bool(_ row: Int, _ column: Int) -> Bool? { string(row, column).map { $0 == "t" } }

    /// A `uuid` column's text (`8-4-4-4-12` hex digits) read from libpq's buffer: Foundation's
    /// `UUID(uuidString:)` goes through `sscanf`, a visible part of reading 10,000 projects.
    public func uuid(_ row: Int, _ column: Int) -> UUID? {
        if isNull(row, column) { return nil }
        guard PQgetlength(result, Int32(row), Int32(column)) == 36, let value = PQgetvalue(result, Int32(row), Int32(column))
        else { return string(row, column).flatMap { UUID(uuidString: $0) } }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = Self.nibbles.withUnsafeBufferPointer { nibbles in
            withUnsafeMutableBytes(of: &bytes) { out -> Bool in
                var offset = 0
                for index in 0..<16 {
                    if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                        guard value[offset] == CChar(UInt8(ascii: "-")) else { return false }
                        offset += 1
                    }
                    let high = nibbles[Int(UInt8(bitPattern: value[offset]))]
                    let low = nibbles[Int(UInt8(bitPattern: value[offset + 1]))]
                    guard high < 16, low < 16 else { return false }
                    out[index] = high << 4 | low
                    offset += 2
                }
                return true
            }
        }
        return parsed ? UUID(uuid: bytes) : nil
    }

    /// Each byte's value as a hex digit, 255 for bytes that are none.
    private static let nibbles: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 48...57: return UInt8(byte - 48)
        case 97...102: return UInt8(byte - 87)
        case 65...70: return UInt8(byte - 55)
        default: return 255
        }
    }

    /// An epoch-seconds column (`extract(epoch from ...)`) as a date.
    public func date(_ row: Int, _ column: Int) -> Date? { double(row, column).map { Date(timeIntervalSince1970: $0) } }
}
