import Foundation
import SodarCache

extension MemoryStore: CacheMaintenance {
    private func matches(_ item: CacheItem, _ filter: CacheFilter) -> Bool {
        switch filter.scope {
        case .all: break
        case .site: if item.project != nil { return false }
        case .project(let uuid): if item.project != uuid { return false }
        }
        if let app = filter.appName, item.appName != app { return false }
        if let older = filter.olderThan, item.dateModified >= older { return false }
        if let registered = filter.appNotIn, registered.contains(item.appName) { return false }
        return true
    }

    func items(matching filter: CacheFilter, after: ItemSummary?, limit: Int) throws -> [ItemSummary] {
        let all = allItems.filter { matches($0, filter) }.sorted { ($0.appName, $0.name) < ($1.appName, $1.name) }
        return all.prefix(limit).map {
            ItemSummary(uuid: $0.uuid, project: $0.project, appName: $0.appName, name: $0.name, user: $0.user?.username,
                        dateModified: $0.dateModified, size: $0.size)
        }
    }

    func forEachItemPage(
        matching filter: CacheFilter, pageSize: Int, _ body: ([ItemSummary]) throws -> Void
    ) throws {
        // One copy under the lock is this store's snapshot.
        let all = try items(matching: filter, after: nil, limit: Int.max)
        var start = 0
        while start < all.count {
            let end = min(start + max(1, pageSize), all.count)
            try body(Array(all[start..<end]))
            start = end
        }
    }

    func countItems(matching filter: CacheFilter) throws -> [String: Int] {
        Dictionary(grouping: allItems.filter { matches($0, filter) }, by: \.appName).mapValues(\.count)
    }

    @discardableResult
    func deleteItems(matching filter: CacheFilter) throws -> Int {
        var count = 0
        for item in allItems where matches(item, filter) {
            try deleteCacheItem(appName: item.appName, name: item.name, project: item.project)
            count += 1
        }
        return count
    }

    @discardableResult
    func deleteItems(uuids: [UUID]) throws -> Int {
        var count = 0
        for item in allItems where uuids.contains(item.uuid) {
            try deleteCacheItem(appName: item.appName, name: item.name, project: item.project)
            count += 1
        }
        return count
    }
}
