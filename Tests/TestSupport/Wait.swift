import Foundation

/// The one way a test waits for what another thread, process or server does: asks `value`
/// every `interval` until it gives something or `timeout` passes, then once more.
/// - Returns: the first non-nil answer, or nil when none came in time.
public func poll<T>(timeout: TimeInterval, every interval: TimeInterval = 0.05, _ value: () throws -> T?) rethrows -> T? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let found = try value() { return found }
        usleep(useconds_t(max(0, interval) * 1_000_000))
    }
    return try value()
}

/// `poll` for a condition: whether it held within `timeout`.
@discardableResult
public func waitUntil(timeout: TimeInterval, every interval: TimeInterval = 0.05, _ condition: () throws -> Bool) rethrows -> Bool {
    try poll(timeout: timeout, every: interval) { try condition() ? true : nil } ?? false
}
