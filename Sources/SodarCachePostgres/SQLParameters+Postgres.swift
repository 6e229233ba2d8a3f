import Foundation
import PostgresDriver
import StoreKernel

/// A statement's parameters as PostgreSQL's `$1`, `$2`, ...
extension SQLParameters where Value == PGValue {
    /// Binds a sort key's value with the cast its column compares by.
    mutating func bindKey(_ value: ItemSort.KeyValue) -> String {
        switch value {
        case .text(let text): bind(.text(text))
        case .date(let date): "to_timestamp(\(bind(PGValue(date.timeIntervalSince1970)))::float8)"
        case .integer(let number): "\(bind(PGValue(number)))::bigint"
        case .uuid(let uuid): "\(bind(PGValue(uuid)))::uuid"
        }
    }
}
