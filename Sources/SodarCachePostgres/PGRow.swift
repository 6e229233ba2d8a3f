import Foundation
import PostgresDriver
import StoreKernel

/// One row of a result as the kernel reads it (`StoredRow`), in libpq's text format.
struct PGRow: StoredRow {
    let result: PGResult
    let index: Int

    func isNull(at column: Int) -> Bool { result.isNull(index, column) }
    func text(at column: Int) -> String? { result.string(index, column) }
    func uuid(at column: Int) -> UUID? { result.uuid(index, column) }
    func integer(at column: Int) -> Int? { result.int(index, column) }
    func seconds(at column: Int) -> Double? { result.double(index, column) }
    func payload(at column: Int) -> Data? { result.data(index, column) }
}

extension PGResult {
    /// Row `index`, read as what its columns must be.
    func row(_ index: Int) -> PGRow { PGRow(result: self, index: index) }

    /// Every row, in order, decoded by `body`.
    func rows<T>(_ body: (PGRow) throws -> T) rethrows -> [T] {
        try (0..<rowCount).map { try body(row($0)) }
    }
}
