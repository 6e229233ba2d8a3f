import Foundation

/// A few connections shared by threads: each is lent to one thread at a time. A connection
/// that broke (server restart, network) is dropped and a fresh one is made on the next use.
public final class PGPool: @unchecked Sendable {
    private let spec: PGConnectSpec
    private let maxConnections: Int
    private let condition = NSCondition()
    private var idle: [PGConnection] = []
    private var open = 0
    /// Connections `warm` is opening: a call waits for one of them rather than open another.
    private var warming = 0

    public init(spec: PGConnectSpec, maxConnections: Int) {
        self.spec = spec
        self.maxConnections = max(1, maxConnections)
    }

    /// A connection of its own, outside the pool (a long snapshot read, the change watcher).
    public func connect() throws(PGError) -> PGConnection {
        try PGConnection(spec)
    }

    /// Opens up to `count` connections in the background, for the first calls to find ready: a
    /// new connection is a server process started and its settings applied (2-4 ms that a
    /// browser's first page waited for, behind the store's opening). One that fails to open
    /// leaves its call to connect, and report why.
    public func warm(_ count: Int) {
        condition.lock()
        let wanted = max(0, min(count, maxConnections - open))
        open += wanted
        warming += wanted
        condition.unlock()
        for _ in 0..<wanted {
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                let connection = try? connect()
                condition.lock()
                warming -= 1
                if let connection { idle.append(connection) } else { open -= 1 }
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Lends a connection to `body`.
    public func with<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try take()
        do {
            let value = try body(connection)
            give(connection)
            return value
        } catch {
            give(connection)
            throw error
        }
    }

    private func take() throws -> PGConnection {
        condition.lock()
        while idle.isEmpty && (open >= maxConnections || warming > 0) { condition.wait() }
        if let connection = idle.popLast() {
            condition.unlock()
            return connection
        }
        open += 1
        condition.unlock()
        do {
            return try connect()
        } catch {
            condition.lock()
            open -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func give(_ connection: PGConnection) {
        condition.lock()
        if connection.isBroken {
            // One lost connection means a server restart or a network fault, which took the
            // idle ones too: drop them all, so that the next call connects afresh.
            open -= 1 + idle.count
            idle.removeAll()
        } else {
            idle.append(connection)
        }
        condition.signal()
        condition.unlock()
    }
}
