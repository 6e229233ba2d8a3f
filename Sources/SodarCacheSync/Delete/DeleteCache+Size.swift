import Foundation
import SodarCache
import StoreKernel

extension DeleteCache {
    /// The payload bytes a request would delete (as a dry run would find the items now): what
    /// the trash must hold to keep the delete.
    /// - Parameters: as `run`, after `check`.
    public static func bytes(
        _ request: DeleteCacheRequest, store: any CacheMaintenance & ProjectDirectory, registeredApps: [String]
    ) throws -> Int64 {
        let filter = request.filter(registeredApps: registeredApps)
        if request.subtree, let uuid = request.project, let category = try store.project(uuid: uuid), category.type == .category {
            return try subtreeItems(of: category, filter: filter, store: store).items.reduce(0) { $0 + Int64($1.size) }
        }
        var total: Int64 = 0
        try store.forEachItemPage(matching: filter, pageSize: 1000) { page in
            total += page.reduce(0) { $0 + Int64($1.size) }
        }
        return total
    }
}
