import Foundation
import SodarCache

/// Project UUID -> an engine's row id for it, kept between calls, with the rules every engine
/// follows: a handful of projects are looked up one by one (a launch asks for one or two), after
/// `singleLookups` misses the engine reads them all at once (a sync or a listing goes through
/// them all), and what was read is dropped when the project table changed under another
/// writer (SODAR may re-create a project with the same UUID and a new row id).
public final class ProjectIDCache: Sendable {
    struct State {
        var ids: [UUID: Int64] = [:]
        var loadedAll = false
        var misses = 0
        var checked: (token: Int, fingerprint: String)?
    }

    private let state = Locked(State())
    /// Projects looked up one by one before every project's id is read at once.
    public static let singleLookups = 8

    public init() {}

    public func id(_ uuid: UUID) -> Int64? { state.withLock { $0.ids[uuid] } }

    public func remember(_ uuid: UUID, _ id: Int64) { state.withLock { $0.ids[uuid] = id } }

    /// Keeps ids read together (a tree page's rows, or every project: `all`).
    public func remember(_ ids: [UUID: Int64], all: Bool = false) {
        state.withLock { state in
            state.ids.merge(ids) { old, _ in old }
            if all { state.loadedAll = true }
        }
    }

    public func forget(_ uuid: UUID) { state.withLock { $0.ids[uuid] = nil } }

    /// Counts a lookup the cache could not answer.
    /// - Returns: whether the engine should now read every project's id in one statement.
    public func missed() -> Bool {
        state.withLock { state in
            state.misses += 1
            return state.misses > Self.singleLookups && !state.loadedAll
        }
    }

    /// Checks the kept ids once per change token against the project table's `fingerprint`
    /// (read only then) and drops them all when it moved (the first check too: ids read before
    /// it may already be stale).
    /// - Returns: whether they were dropped.
    @discardableResult
    public func check(token: Int, fingerprint: () throws -> String) rethrows -> Bool {
        guard state.withLock({ $0.checked?.token }) != token else { return false }
        let current = try fingerprint()
        let previous = state.withLock { state in
            defer { state.checked = (token, current) }
            return state.checked?.fingerprint
        }
        if previous == current { return false }
        forgetAll()
        return true
    }

    public func forgetAll() {
        state.withLock { state in
            state.ids = [:]
            state.loadedAll = false
            state.misses = 0
        }
    }
}
