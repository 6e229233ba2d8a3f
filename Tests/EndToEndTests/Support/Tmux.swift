import Foundation

/// Drives the real binary in a detached tmux session, as DESIGN.md's end-to-end tests do.
final class Tmux {
    let name: String
    let socket: String

    /// Starts `command` in a new session of `cols` x `rows` on a private tmux server.
    init(command: String, cols: Int = 100, rows: Int = 30) throws {
        name = "sc\(UInt32.random(in: 0...UInt32.max))"
        socket = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(name)").path
        try tmux(["new-session", "-d", "-s", name, "-x", "\(cols)", "-y", "\(rows)", command])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Sends tmux key names (`Enter`, `Down`, `q`, `C-c`) or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// The visible screen as text (`escapes`: with colour escape sequences).
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-t", name, "-p"] + (escapes ? ["-e"] : []))
    }

    /// Polls the screen until `predicate` holds, or throws with the last screen after `timeout`.
    @discardableResult
    func waitFor(
        _ what: String, timeout: TimeInterval = 10, _ predicate: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = (try? capture()) ?? ""
            if predicate(screen) { return screen }
            usleep(50_000)
        }
        throw TmuxError.timeout(what, screen)
    }

    func waitFor(text: String, timeout: TimeInterval = 10) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Whether the session's program is still running.
    var isRunning: Bool {
        ((try? tmux(["list-panes", "-t", name, "-F", "#{pane_dead}"])) ?? "1").trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }

    @discardableResult
    private func tmux(_ args: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = ["-S", socket] + args
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["TERM"] = "xterm-256color"
        env.removeValue(forKey: "TMUX")
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TmuxError.failed(args.joined(separator: " ")) }
        return String(decoding: data, as: UTF8.self)
    }
}

enum TmuxError: Error, CustomStringConvertible {
    case timeout(String, String)
    case failed(String)

    var description: String {
        switch self {
        case .timeout(let what, let screen): return "timed out waiting for \(what); screen was:\n\(screen)"
        case .failed(let command): return "tmux \(command) failed"
        }
    }
}
