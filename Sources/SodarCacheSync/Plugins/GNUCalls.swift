import CGNUShim
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// glibc calls Swift's Glibc module hides behind `_GNU_SOURCE`, through a small C shim that
/// defines it (Sources/CGNUShim).
enum GNUCalls {
    /// `posix_spawn_file_actions_addclosefrom_np`: the child closes every descriptor from
    /// `lowest` up, so it inherits none this process opened without close-on-exec.
    static func addClosefrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        _ = sodarcache_spawn_addclosefrom(&actions, lowest)
    }

    /// A pipe whose both ends are close-on-exec (`pipe2`); errno on failure.
    static func cloexecPipe(_ fds: inout [Int32]) -> Bool {
        fds.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count >= 2 else { return -1 }
            return sodarcache_cloexec_pipe(base)
        } == 0
    }

    /// `posix_spawn_file_actions_addchdir_np`.
    static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Int32 {
        path.withCString { sodarcache_spawn_addchdir(&actions, $0) }
    }
}
