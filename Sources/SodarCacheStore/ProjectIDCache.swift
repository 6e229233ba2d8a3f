import Foundation

/// Project UUID -> row id, shared by all threads using one store.
///
/// Only found projects are cached: projects are never deleted, so an entry never goes
/// stale, while a miss always asks the database (another process may have added it).
final class ProjectIDCache: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [UUID: Int64] = [:]

    func id(for uuid: UUID) -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        return ids[uuid]
    }

    func store(_ id: Int64, for uuid: UUID) {
        lock.lock()
        defer { lock.unlock() }
        ids[uuid] = id
    }
}
