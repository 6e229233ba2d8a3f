import Foundation
import PostgresDriver
import StoreKernel

// MARK: - Columns a row must have (`CorruptRow` otherwise: never a made-up value)

extension PGResult {
    func requiredUUID(_ row: Int, _ column: Int, _ name: String, of named: @autoclosure () -> CorruptRow) throws -> UUID {
        guard let uuid = uuid(row, column) else { throw CorruptRow(row: named().row, reason: "no valid UUID in \(name)") }
        return uuid
    }

    func requiredString(_ row: Int, _ column: Int, _ name: String, of named: @autoclosure () -> CorruptRow) throws -> String {
        guard let text = string(row, column) else { throw CorruptRow(row: named().row, reason: "no value in \(name)") }
        return text
    }

    func requiredInt(_ row: Int, _ column: Int, _ name: String, of named: @autoclosure () -> CorruptRow) throws -> Int {
        guard let value = int(row, column) else { throw CorruptRow(row: named().row, reason: "no whole number in \(name)") }
        return value
    }
}
