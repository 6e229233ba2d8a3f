import SodarCachePostgres
import SodarCacheSQLite
import StoreKernel

extension StoreFactory {
    /// Which engine keeps an open store's payloads, named as a user knows it.
    ///
    /// Payloads two stores of one engine hold are spelled alike (SQLite and sodarcache's
    /// PostgreSQL schema keep the bytes as written; SODAR's `jsonb` respells keys' order,
    /// whitespace and numbers the same way on every site), so `sodarcache diff` compares
    /// numbers by text within one engine and by value across two.
    public enum Engine: String, Sendable, Equatable {
        case sqlite = "SQLite"
        /// sodarcache's own schema on PostgreSQL.
        case postgres = "PostgreSQL"
        /// A SODAR site's tables: payloads are `jsonb`.
        case sodarSite = "PostgreSQL (SODAR's jsonb)"
        /// A store that is neither (the memory engine of tests).
        case other = "another engine"
    }

    /// The engine of a store this factory (or a test) opened.
    public static func engine(of store: any StoreEngine) -> Engine {
        if store is SQLiteCacheStore { return .sqlite }
        if let postgres = store as? PostgresCacheStore { return postgres.layout == .sodar ? .sodarSite : .postgres }
        return .other
    }
}
