import Foundation
import Testing

/// Sync and delete from the real browser in tmux, and live refresh from a second process.
@Suite(.serialized, .enabled(if: ActionTmux.available)) struct BrowserActionTests {
    /// A store with one project ("Alpha") and a command app `check` that writes `status`.
    static func store() throws -> (CLI, String) {
        let cli = try CLI(
            apps: ["samplesheets"],
            extraConfig: """
                [apps.check]
                title = "Check"
                command = ["/bin/sh", "-c", "printf '{\\"checked\\": \\"%s\\"}' \\"$(date +%s%N)\\""]
                item = "status"

                """)
        let project = try cli.run(["project", "add", "Alpha"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (cli, project)
    }

    static func browse(_ cli: CLI) throws -> ActionTmux {
        let tmux = try ActionTmux(command: "\(CLI.binary) --db \(cli.db) --config \(cli.config)", cols: 100, rows: 30)
        _ = try tmux.waitFor(text: "Alpha")
        return tmux
    }

    @Test func sSyncsTheProjectAndTheUpdateTimeChanges() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "check", "status", "-p", project, "--data", "{\"checked\": \"never\"}"]).status == 0)
        let before = try cli.run(["update-time", "check", "status", "-p", project]).stdout
        let tmux = try Self.browse(cli)
        // The item row ages by a second or more before the sync, so "now" after it is news.
        try tmux.waitFor("the item to age", timeout: 15) { $0.range(of: #"status +[0-9]+s ago"#, options: .regularExpression) != nil }
        try tmux.send("s")
        _ = try tmux.waitFor(text: "Synced Alpha:", timeout: 15)
        try tmux.waitFor("the item to show as new", timeout: 5) { $0.range(of: #"status +now"#, options: .regularExpression) != nil }
        let after = try cli.run(["update-time", "check", "status", "-p", project]).stdout
        #expect(Double(after.trimmingCharacters(in: .whitespacesAndNewlines))! > Double(before.trimmingCharacters(in: .whitespacesAndNewlines))!)
        #expect(!(try cli.run(["get", "check", "status", "-p", project]).stdout.contains("never")))
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
    }

    @Test func dThenYDeletesTheItem() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "samplesheets", "doomed", "-p", project, "--data", "{\"a\": 1}"]).status == 0)
        #expect(try cli.run(["set", "samplesheets", "kept", "-p", project, "--data", "{\"b\": 2}"]).status == 0)
        let tmux = try Self.browse(cli)
        try tmux.send("Enter")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "doomed")
        try tmux.send("d")
        _ = try tmux.waitFor(text: "Delete 1 item?")
        try tmux.send("y")
        _ = try tmux.waitFor(text: "Deleted 1 item")
        try tmux.waitFor("the row to go") { screen in
            !screen.split(separator: "\n").dropLast(2).contains { $0.contains("doomed") }
        }
        #expect(try cli.run(["get", "samplesheets", "doomed", "-p", project]).status != 0)
        #expect(try cli.run(["get", "samplesheets", "kept", "-p", project]).status == 0)
        try tmux.send("q")
    }

    @Test func dThenEnterOnTheDefaultNoDeletesNothing() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "samplesheets", "precious", "-p", project, "--data", "{\"a\": 1}"]).status == 0)
        let tmux = try Self.browse(cli)
        try tmux.send("Enter")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "precious")
        try tmux.send("d")
        _ = try tmux.waitFor(text: "Delete 1 item?")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "Nothing deleted")
        #expect(try cli.run(["get", "samplesheets", "precious", "-p", project]).status == 0)
        try tmux.send("q")
    }

    @Test func aSecondProcessWritingShowsUpWithinTwoSeconds() throws {
        let (cli, project) = try Self.store()
        defer { cli.cleanUp() }
        #expect(try cli.run(["set", "samplesheets", "first", "-p", project, "--data", "{\"a\": 1}"]).status == 0)
        let tmux = try Self.browse(cli)
        try tmux.send("Enter")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "first")
        #expect(try cli.run(["set", "samplesheets", "arrived-later", "-p", project, "--data", "{\"b\": 2}"]).status == 0)
        let screen = try tmux.waitFor(text: "arrived-later", timeout: 2)
        // The focus stayed in the items list, on the item it was on.
        #expect(screen.contains("Items"))
        try tmux.send("q")
    }
}

/// A tmux driver for these tests. Unlike `Tmux`, the command that starts the server gets
/// /dev/null as its output: the daemonised server keeps the descriptors it inherits, so a pipe
/// there never reaches end-of-file and the test would wait forever.
final class ActionTmux {
    let name = "sa\(UInt32.random(in: 0...UInt32.max))"
    let socket: String

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    init(command: String, cols: Int, rows: Int) throws {
        socket = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(name)").path
        _ = try tmux(["new-session", "-d", "-s", name, "-x", "\(cols)", "-y", "\(rows)", command], output: false)
    }

    deinit { _ = try? tmux(["kill-server"], output: false) }

    func send(_ keys: String...) throws {
        _ = try tmux(["send-keys", "-t", name] + keys)
    }

    func capture() throws -> String {
        try tmux(["capture-pane", "-t", name, "-p"])
    }

    var isRunning: Bool {
        ((try? tmux(["list-panes", "-t", name, "-F", "#{pane_dead}"])) ?? "1")
            .trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }

    /// Polls the screen until `predicate` holds; throws with the last screen after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 10, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = (try? capture()) ?? ""
            if predicate(screen) { return screen }
            usleep(50_000)
        }
        throw TmuxError.timeout(what, screen)
    }

    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 10) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Runs tmux with posix_spawn and waitpid (Foundation's `Process` can miss the exit of a
    /// client whose server daemonised), its output going to a file, never to a pipe.
    private func tmux(_ args: [String], output: Bool = true) throws -> String {
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
        posix_spawn_file_actions_addopen(&actions, 1, output ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
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
        guard output else { return "" }
        defer { unlink(outPath) }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }
}
