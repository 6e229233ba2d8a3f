import Foundation
import GRDB
import StoreKernel

/// A statement's parameters as SQLite's `?`, each bound in the order it stands in the text.
extension SQLParameters where Value == (any DatabaseValueConvertible)? {
    /// The values bound, as GRDB takes them.
    var arguments: StatementArguments { StatementArguments(values) }

    /// Binds a sort key's value as the item table keeps it (a time as epoch seconds).
    mutating func bindKey(_ value: ItemSort.KeyValue) -> String {
        switch value {
        case .text(let text): bind(text)
        case .date(let date): bind(date.timeIntervalSince1970)
        case .integer(let number): bind(number)
        case .uuid(let uuid): bind(uuid)
        }
    }
}
