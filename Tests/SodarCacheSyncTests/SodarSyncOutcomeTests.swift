import Foundation
import Logging
import SodarCache
import SodarCacheMemory
import Testing

@testable import SodarCacheSync

/// A fake `manage.py synccache`: SODAR Core's exact lines on stderr (its logger's default), exit 0
/// whatever happened. `$1` picks the case.
private let fakeSynccache = #"""
    case "$1" in
    failing)
        echo 'Synchronizing cache for all projects' >&2
        echo 'Update failed for plugin "samplesheets": "iRODS connection refused"' >&2
        echo 'Update failed for plugin "landingzones": "No zone found"' >&2
        echo 'Cache synchronization finished with errors (see logs)' >&2 ;;
    ok)
        echo 'Synchronizing cache for all projects' >&2
        echo 'Cache synchronization OK' >&2 ;;
    silent)
        echo 'Synchronizing cache for all projects' >&2 ;;
    esac
    exit 0
    """#

@Suite("SODAR's own sync, judged by its lines")
struct SodarSyncOutcomeTests {
    let project = Project(title: "Cancer", path: "/data/cancer")

    func plugin(_ command: [String], lines: OutcomeLines? = nil, siteCommand: [String]? = nil) throws -> CommandPlugin {
        var declaration = AppDeclaration(name: "sodar", command: command, timeout: 20)
        declaration.writesCache = true
        declaration.outcomeLines = lines
        declaration.siteCommand = siteCommand
        return try #require(CommandPlugin(declaration))
    }

    @Test("a failing plugin fails the unit, naming each plugin and its message, exit status 0")
    func failingPlugin() throws {
        let dir = try TempDir()
        let script = try dir.script("manage.py", fakeSynccache)
        let store = MemoryStore(projects: [project])
        let error = #expect(throws: SyncError.self) {
            try plugin([script, "failing"]).updateCache(name: nil, project: project, user: nil, cache: store)
        }
        #expect(error == .commandReportedFailure(
            command: [script, "failing"],
            failures: ["samplesheets: iRODS connection refused", "landingzones: No zone found", "Cache synchronization finished with errors (see logs)"],
            count: 3,
            lines: [
                #"Update failed for plugin "samplesheets": "iRODS connection refused""#,
                #"Update failed for plugin "landingzones": "No zone found""#,
                "Cache synchronization finished with errors (see logs)",
            ]))
        let failure = SyncFailure(try #require(error))
        #expect(failure.exitStatus == 0)
        #expect(!failure.outcomeUnknown)
        #expect(failure.message.contains("reported 3 failure(s): samplesheets: iRODS connection refused; landingzones: No zone found"))
    }

    @Test("SODAR's closing OK line is success")
    func ok() throws {
        let dir = try TempDir()
        let script = try dir.script("manage.py", fakeSynccache)
        try plugin([script, "ok"]).updateCache(name: nil, project: project, user: nil, cache: MemoryStore(projects: [project]))
    }

    @Test("no closing line: the outcome is unknown, and said so")
    func unknown() throws {
        let dir = try TempDir()
        let script = try dir.script("manage.py", fakeSynccache)
        let error = #expect(throws: SyncError.self) {
            try plugin([script, "silent"]).updateCache(name: nil, project: project, user: nil, cache: MemoryStore(projects: [project]))
        }
        #expect(error?.outcomeUnknown == true)
        #expect(error?.description.contains("without printing \"Cache synchronization OK\": outcome unknown") == true)
        #expect(error?.stderrLines == ["Synchronizing cache for all projects"])
    }

    @Test("lines through a logger's format, on stdout, an exception over several lines")
    func loggerFormat() throws {
        var scanner = try CommandOutputScanner(.sodar)
        let text = """
            2026-01-02 10:00:00,123 ERROR sodarcache.management.commands.synccache: Update failed for plugin "samplesheets": "line one
            line two"
            2026-01-02 10:00:01,000 INFO sodarcache.management.commands.synccache: Cache synchronization finished with errors (see logs)

            """
        // Fed a byte at a time: lines do not depend on how the pipe cut the output.
        for byte in Data(text.utf8) { scanner.feed([byte], from: .stdout) }
        scanner.finish()
        #expect(scanner.verdict == .failed)
        #expect(scanner.failures.first?.part == "samplesheets")
        #expect(scanner.failures.first?.message == "line one")
        #expect(scanner.failureCount == 2)

        var ok = try CommandOutputScanner(.sodar)
        ok.feed(Data("INFO synccache: Cache synchronization OK\r\n".utf8), from: .stderr)
        ok.finish()
        #expect(ok.verdict == .succeeded)
    }

    @Test("declared lines: a failure pattern with groups, a success line; a long line is judged on its start")
    func declaredLines() throws {
        let lines = OutcomeLines(failurePattern: #"^FAILED (?<part>\w+): (?<message>.*)$"#, successLine: "all done")
        var scanner = try CommandOutputScanner(lines)
        scanner.feed(Data("FAILED irods: timeout\n".utf8), from: .stderr)
        scanner.feed(Data(("x" + String(repeating: "y", count: 20_000) + "all done\n").utf8), from: .stdout)
        scanner.finish()
        #expect(scanner.failures.map(\.part) == ["irods"])
        #expect(scanner.failures.map(\.message) == ["timeout"])
        // The success line sat past the line limit: not seen.
        #expect(!scanner.sawSuccessLine)

        var quiet = try CommandOutputScanner(OutcomeLines(failurePattern: "^ERROR"))
        quiet.feed(Data("nothing to report\n".utf8), from: .stdout)
        quiet.finish()
        #expect(quiet.verdict == .succeeded)
    }

    @Test("failure_pattern, success_line and site_command are validated with one-line errors naming the value")
    func configValidation() throws {
        func error(_ keys: String) -> String? {
            do {
                _ = try SodarConfig.parse(
                    "[apps.sodar]\ncommand = [\"/srv/manage.py\", \"synccache\", \"-p\", \"{project_uuid}\"]\n" + keys, file: "c.toml")
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(error("writes_cache = true\nfailure_pattern = \"Update failed (\"\n")?.hasPrefix(
            "c.toml:4: apps.sodar.failure_pattern: expected a regular expression, got \"Update failed (\"") == true)
        #expect(error("writes_cache = true\nfailure_pattern = \"ERROR|\"\n")
            == "c.toml:4: apps.sodar.failure_pattern: \"ERROR|\" matches an empty line, so every run would fail")
        #expect(error("writes_cache = true\nsuccess_line = \"  \"\n")?.contains("apps.sodar.success_line: expected the text") == true)
        #expect(error("failure_pattern = \"ERROR\"\n") == "c.toml:3: apps.sodar.failure_pattern: only meaningful with writes_cache = true")
        #expect(error("writes_cache = true\nsite_command = [\"/srv/manage.py\", \"synccache\", \"-p\", \"{project_uuid}\"]\n")
            == "c.toml:4: apps.sodar.site_command: {project_uuid} has no value in a whole-site run (it runs once, for no project)")
        for key in ["failure_pattern", "success_line", "site_command"] {
            #expect(error("writes_cache = true\n\(key) = 3\n")?.contains("apps.sodar.\(key): expected") == true)
        }
        for text in (0..<3).map({ _ in String(Array("(?<x>[]*+?{})|\\".shuffled())) }) {
            // Whatever the pattern, an error or a config: never a crash.
            _ = error("writes_cache = true\nfailure_pattern = '\(text)'\n")
        }

        let config = try SodarConfig.parse(
            """
            [apps.sodar]
            command = ["/srv/manage.py", "synccache", "-p", "{project_uuid}"]
            site_command = ["/srv/manage.py", "synccache"]
            writes_cache = true
            success_line = "done"
            """, file: "c.toml")
        let app = try #require(config.apps.first)
        #expect(app.siteCommand == ["/srv/manage.py", "synccache"])
        #expect(app.effectiveOutcomeLines == OutcomeLines(successLine: "done"))
        let plain = try SodarConfig.parse("[apps.sodar]\ncommand = [\"x\"]\nwrites_cache = true\n", file: "c.toml")
        #expect(plain.apps.first?.effectiveOutcomeLines == .sodar)
    }
}

@Suite("The sync engine and SODAR's own sync")
struct SodarSyncEngineTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func sodarPlugin(_ dir: TempDir, mode: String, log: String) throws -> CommandPlugin {
        let script = try dir.script("manage.py", "echo \"$*\" >> \(log)\n" + fakeSynccache.replacingOccurrences(of: "case \"$1\"", with: "case \"$MODE\""))
        var declaration = AppDeclaration(
            name: "sodar", command: [script, "synccache", "-p", "{project_uuid}"], timeout: 20, env: ["MODE": mode])
        declaration.writesCache = true
        declaration.siteCommand = [script, "synccache"]
        return try #require(CommandPlugin(declaration))
    }

    @Test("a whole-site sync runs the site command once; a project's sync runs the command for it")
    func siteCommandOnce() throws {
        let dir = try TempDir()
        let log = dir.path + "/calls"
        let projects = (1...3).map { Project(title: "P\($0)") }
        let store = MemoryStore(projects: projects)
        let engine = SyncEngine(store: store, plugins: [try sodarPlugin(dir, mode: "ok", log: log)], jobs: 2, logger: logger)
        let whole = try engine.run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(whole.total == 1 && whole.succeeded == 1)
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "synccache\n")

        let one = try engine.run(SyncRequest(project: projects[1].uuid), cancel: SyncCancellation()) { _ in }
        #expect(one.total == 1 && one.succeeded == 1)
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "synccache\nsynccache -p \(projects[1].uuid.sodarString)\n")
    }

    @Test("the summary tells failed plugins and an unknown outcome apart")
    func summaries() throws {
        let dir = try TempDir()
        let store = MemoryStore(projects: [Project(title: "P")])
        let failing = SyncEngine(
            store: store, plugins: [try sodarPlugin(dir, mode: "failing", log: dir.path + "/calls")], logger: logger)
        let failed = try failing.run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(failed.failed == 1 && failed.unknown == 0)
        #expect(failed.failures.first?.failure.stderrLines.first == #"Update failed for plugin "samplesheets": "iRODS connection refused""#)

        let silent = SyncEngine(
            store: store, plugins: [try sodarPlugin(dir, mode: "silent", log: dir.path + "/calls")], logger: logger)
        let unknown = try silent.run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(unknown.failed == 1 && unknown.unknown == 1)
        #expect(unknown.counts == "0 of 1 done, 1 failed (1 with outcome unknown), 0 not done")
    }

    @Test("an engine that may not start cache-writing commands fails their units without starting them")
    func notAllowed() throws {
        let dir = try TempDir()
        let log = dir.path + "/calls"
        let store = MemoryStore(projects: [Project(title: "P")])
        let engine = SyncEngine(
            store: store, plugins: [try sodarPlugin(dir, mode: "ok", log: log)], logger: logger,
            mayStartCacheWritingCommands: false)
        let summary = try engine.run(SyncRequest(), cancel: SyncCancellation()) { _ in }
        #expect(summary.failed == 1)
        #expect(summary.failures.first?.failure.message.contains("this session may not write") == true)
        #expect(!FileManager.default.fileExists(atPath: log))
    }
}
