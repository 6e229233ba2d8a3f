import CGNUShim
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// glibc calls Swift's Glibc module hides behind `_GNU_SOURCE`, through a small C shim that
/// defines it (Sources/CGNUShim).
enum GNUCalls {
    /// A pipe whose both ends are close-on-exec (`pipe2`); errno on failure.
    static func cloexecPipe(_ fds: inout [Int32]) -> Bool {
        fds.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count >= 2 else { return -1 }
            return sodarcache_cloexec_pipe(base)
        } == 0
    }
}
