import Foundation

/// SODAR's `get_backend_api()`: finds an enabled backend by name, or nothing.
///
/// App code asks for `"sodar_cache"` and keeps working when the cache is not enabled.
public struct BackendLookup: Sendable {
    /// The name SODAR registers the cache backend under.
    public static let cacheBackendName = "sodar_cache"

    private let cache: (any CacheBackend)?

    /// - Parameter cache: the cache backend, or nil when the cache is disabled.
    public init(cache: (any CacheBackend)?) {
        self.cache = cache
    }

    /// The backend called `name`, or nil when no such backend is enabled.
    public func backendAPI(_ name: String) -> (any CacheBackend)? {
        name == Self.cacheBackendName ? cache : nil
    }
}
