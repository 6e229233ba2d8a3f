import Foundation
import SodarCache

/// Everything a full store offers: the cache API, browsing, projects and maintenance.
public typealias CacheStore = CacheBackend & CacheBrowsing & ProjectDirectory & CacheMaintenance
