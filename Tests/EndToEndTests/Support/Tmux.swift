import Foundation
import TestSupport

/// Drives the real binary in a detached tmux session: keys in with `send-keys`, the screen
/// polled with `capture-pane -p` until the expected text appears or time runs out.
final class Tmux {
    let name: String
    let socket: String

    /// Starts `command` in a new session of `cols` x `rows` on a private tmux server.
    init(command: String, cols: Int = 100, rows: Int = 30) throws {
        name = "sc\(UInt32.random(in: 0...UInt32.max))"
        socket = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(name)").path
        // The first command starts the tmux server, which would inherit (and hold open) any
        // output pipe: start it with no pipes at all.
        // (The tests' own $XDG_DATA_HOME, as for every run of the binary.)
        try tmux(
            ["new-session", "-d", "-s", name, "-x", "\(cols)", "-y", "\(rows)", "-e", "XDG_DATA_HOME=\(CLI.dataHome)", command],
            capture: false)
    }

    /// Starts the binary with `arguments` (shell words, quoted by the caller) after
    /// `environment`; when it ends, the pane shows `EXITED:<status>` for 30 s, to be read.
    convenience init(binary arguments: String, environment: String = "LANG=C.UTF-8", cols: Int = 100, rows: Int = 30) throws {
        try self.init(command: "\(environment) '\(CLI.binary)' \(arguments); echo EXITED:$?; sleep 30", cols: cols, rows: rows)
    }

    deinit {
        _ = try? tmux(["kill-server"], capture: false)
        // A killed server leaves its socket file behind (a thousand in /tmp after a day of runs).
        try? FileManager.default.removeItem(atPath: socket)
        try? FileManager.default.removeItem(atPath: socket + ".out")
    }

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
        var screen = ""
        let shown = poll(timeout: timeout) { () -> String? in
            screen = (try? capture()) ?? ""
            return predicate(screen) ? screen : nil
        }
        if let shown { return shown }
        throw TmuxError.timeout(what, screen)
    }

    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 10) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Presses q and waits for the pane to show `EXITED:0` (the command says its status, as
    /// `init(binary:)`'s does).
    func quit() throws {
        try send("q")
        try waitFor(text: "EXITED:0")
    }

    /// Goes down the browser's levels: waits for `top` in the project tree and moves to the
    /// row below it, then for each text presses Enter and waits for it; returns the first screen.
    @discardableResult
    func descend(from top: String, through texts: String...) throws -> String {
        let first = try waitFor(text: top)
        try send("Down")
        for text in texts {
            try send("Enter")
            try waitFor(text: text)
        }
        return first
    }

    /// A tmux format evaluated for the session's pane (`#{mouse_any_flag}`).
    func format(_ text: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, text]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sets an option of this test's own tmux server (`set-option -s`), e.g. `set-clipboard on`.
    func setServerOption(_ name: String, _ value: String) throws {
        try tmux(["set-option", "-s", name, value], capture: false)
    }

    /// The newest paste buffer, byte for byte (`save-buffer -`), or nil when there is none.
    func pasteBuffer() -> String? {
        try? tmux(["save-buffer", "-"])
    }

    /// Adds a paste buffer holding `text`.
    func setPasteBuffer(_ text: String) throws {
        try tmux(["set-buffer", "--", text], capture: false)
    }

    /// The process id of the session's program (the shell, unless the command `exec`s).
    func panePID() throws -> Int32 {
        let text = try tmux(["list-panes", "-t", name, "-F", "#{pane_pid}"])
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw TmuxError.timeout("a pane pid", text) }
        return pid
    }

    /// Whether the session's program is still running.
    var isRunning: Bool {
        ((try? tmux(["list-panes", "-t", name, "-F", "#{pane_dead}"])) ?? "1").trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }

    /// Runs tmux with posix_spawn and waitpid, its output going to a file, never to a pipe:
    /// the command that starts the server would hand it the pipe, which then never reaches
    /// end-of-file, and Foundation's `Process` can miss the exit of a client whose server
    /// daemonised.
    @discardableResult
    private func tmux(_ args: [String], capture: Bool = true) throws -> String {
        let outPath = socket + ".out"
        let argv = ["/usr/bin/tmux", "-S", socket] + args
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C.UTF-8"
        env["TERM"] = "xterm-256color"
        env.removeValue(forKey: "TMUX")
        let envp = env.map { "\($0.key)=\($0.value)" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner may block signals; the browser must get SIGINT/SIGTERM as usual.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = envp.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv) == 0 else {
            throw TmuxError.failed(args.joined(separator: " "))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else { throw TmuxError.failed(args.joined(separator: " ")) }
        guard capture else { return "" }
        defer { unlink(outPath) }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
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
