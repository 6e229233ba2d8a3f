import Foundation
import TestSupport

/// Runs the built `sodarcache` binary against a store in a fresh temporary directory.
struct CLI {
    let dir: URL
    var db: String { dir.appendingPathComponent("cache.sqlite3").path }
    var config: String { dir.appendingPathComponent("config.toml").path }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutData: Data
    }

    /// A new temporary directory with a config registering `apps`.
    init(apps: [String] = ["samplesheets", "samplesheets.assayapps.cytof", "otherapp"], extraConfig: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var text = ""
        for app in apps { text += "[apps.\"\(app)\"]\ntitle = \"\(app) title\"\n\n" }
        try Data((text + extraConfig).utf8).write(to: URL(fileURLWithPath: config))
    }

    /// The binary built by `swift build`/`swift test`.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SODARCACHE_BIN"] { return path }
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for dir in candidates {
            let path = dir.appendingPathComponent("sodarcache").path
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue { return path }
        }
        return root.appendingPathComponent(".build/debug/sodarcache").path
    }

    /// Runs `sodarcache args... --db DB --config CONFIG` (unless `global` is false).
    @discardableResult
    func run(_ args: [String], stdin: String? = nil, global: Bool = true, env: [String: String] = [:]) throws -> Result {
        try Self.run(
            (global ? args + ["--db", db, "--config", config] : args),
            stdin: stdin.map { Data($0.utf8) }, env: env)
    }

    /// Runs the binary with `args`, or with `shell`, `/bin/sh` with `args` (for redirections).
    static func run(_ args: [String], stdin: Data? = nil, env: [String: String] = [:], cwd: String? = nil, shell: Bool = false) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        // What a run keeps beside a store (a SODAR site's local store) never lands in the home
        // of whoever runs the tests.
        environment["XDG_DATA_HOME"] = dataHome
        for (key, value) in env { environment[key] = value }
        let output = try runProcess(shell ? "/bin/sh" : binary, args, environment: environment, cwd: cwd, stdin: stdin)
        return Result(
            status: output.status, stdout: String(decoding: output.stdout, as: UTF8.self),
            stderr: String(decoding: output.stderr, as: UTF8.self), stdoutData: output.stdout)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dir) }

    /// The tests' `$XDG_DATA_HOME`: one folder per test process.
    static let dataHome: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-e2e-data-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
}
