import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits for a key on stdin or a wake-up from another thread, whichever comes first.
///
/// The browser's effects finish on background queues; waking the key wait when one posts its
/// result draws it at once instead of after the input timeout.
final class InputWaiter: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    /// Nil when no pipe can be made (the caller then falls back to a plain timed key wait).
    init?() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        readEnd = fds[0]
        writeEnd = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Wakes `wait`; safe from any thread. A full pipe already means "wake up".
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Blocks until stdin is readable, `wake()` was called (since the last wait), a signal
    /// interrupts, or `milliseconds` pass.
    func wait(milliseconds: Int32) {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&fds, 2, milliseconds)
        if fds[1].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(readEnd, &buffer, buffer.count) > 0 {}
        }
    }
}
