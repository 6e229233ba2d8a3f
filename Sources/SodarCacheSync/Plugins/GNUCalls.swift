import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// glibc calls Swift's Glibc module hides behind `_GNU_SOURCE`, looked up once at run time.
enum GNUCalls {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutableRawPointer, UnsafePointer<CChar>) -> Int32

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        return dlsym(handle, name)
    }

    private static let pipe2Function: Pipe2? = symbol("pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addChdirFunction: AddChdir? =
        symbol("posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }

    private typealias AddClosefrom = @convention(c) (UnsafeMutableRawPointer, Int32) -> Int32
    private static let addClosefromFunction: AddClosefrom? =
        symbol("posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddClosefrom.self) }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+): the child closes every
    /// descriptor from `lowest` up, so it inherits none this process opened without
    /// close-on-exec. A no-op where glibc lacks it.
    static func addClosefrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        guard let addClosefromFunction else { return }
        _ = withUnsafeMutablePointer(to: &actions) { addClosefromFunction(UnsafeMutableRawPointer($0), lowest) }
    }

    /// Serializes pipe creation where `pipe2` is missing, so no concurrent spawn inherits a
    /// pipe before it is marked close-on-exec.
    private static let pipeLock = NSLock()

    /// A pipe whose both ends are close-on-exec; errno on failure.
    static func cloexecPipe(_ fds: inout [Int32]) -> Bool {
        if let pipe2Function {
            return fds.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress, buffer.count >= 2 else { return -1 }
                return pipe2Function(base, O_CLOEXEC)
            } == 0
        }
        pipeLock.lock()
        defer { pipeLock.unlock() }
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }


    /// `posix_spawn_file_actions_addchdir_np`.
    static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Int32 {
        guard let addChdirFunction else { return ENOSYS }
        return withUnsafeMutablePointer(to: &actions) { pointer in
            path.withCString { addChdirFunction(UnsafeMutableRawPointer(pointer), $0) }
        }
    }
}
