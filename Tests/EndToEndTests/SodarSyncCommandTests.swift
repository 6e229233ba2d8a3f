import Foundation
import Testing

/// `synccache` with SODAR's own sync as a command app: a fake `manage.py synccache` that writes
/// items through `sodarcache set` and prints SODAR Core's exact lines to stderr, exiting 0
/// whatever happened, as SODAR's does.
@Suite(.serialized) struct SodarSyncCommandTests {
    /// The fake: `mode` (a file beside it) picks the case; every call is logged to `calls`.
    static func setUp(_ cli: CLI) throws -> (mode: URL, calls: URL) {
        let mode = cli.dir.appendingPathComponent("mode")
        let calls = cli.dir.appendingPathComponent("calls")
        let script = cli.dir.appendingPathComponent("manage.py")
        try Data("""
            #!/bin/sh
            echo "$*" >> '\(calls.path)'
            # Writes as SODAR's plugins would: two items for each project it syncs.
            write() {
                "$SODARCACHE_BIN" set samplesheets "status/$1" --data "{\\"run\\": \\"$(date +%s%N)\\"}" -p "$1" >/dev/null
                "$SODARCACHE_BIN" set samplesheets "counts/$1" --data "{\\"run\\": \\"$(date +%s%N)\\"}" -p "$1" >/dev/null
            }
            echo 'Synchronizing cache for all projects' >&2
            case "$(cat '\(mode.path)')" in
            failing)
                write "$PROJECT"
                echo 'Update failed for plugin "landingzones": "No zone found"' >&2
                echo 'Update failed for plugin "irodsinfo": "iRODS connection refused"' >&2
                echo 'Cache synchronization finished with errors (see logs)' >&2 ;;
            ok)
                write "$PROJECT"
                echo 'Cache synchronization OK' >&2 ;;
            silent)
                write "$PROJECT" ;;
            esac
            exit 0

            """.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return (mode, calls)
    }

    func config(_ cli: CLI, project: String) -> String {
        let script = cli.dir.appendingPathComponent("manage.py").path
        return """
            [apps.samplesheets]
            [apps.sodar]
            title = "SODAR's own sync"
            command = ["\(script)", "synccache", "-p", "{project_uuid}"]
            site_command = ["\(script)", "synccache"]
            writes_cache = true
            env = { SODARCACHE_BIN = "\(CLI.binary)", SODARCACHE_DB = "\(cli.db)", SODARCACHE_CONFIG = "\(cli.config)", PROJECT = "\(project)" }

            """
    }

    @Test func failedPluginsFailTheUnitOKSucceedsNoClosingLineIsUnknown() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let (mode, calls) = try Self.setUp(cli)
        let project = try cli.run(["project", "add", "Cancer"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["project", "add", "Other"])
        try Data(config(cli, project: project).utf8).write(to: URL(fileURLWithPath: cli.config))

        try Data("failing".utf8).write(to: mode)
        let failing = try cli.run(["synccache", "-p", project])
        #expect(failing.status == 1, "\(failing.stderr)")
        #expect(failing.stderr.contains(#"Update failed for plugin "sodar""#))
        #expect(failing.stderr.contains("exited with status 0 but reported 3 failure(s): landingzones: No zone found; irodsinfo: iRODS connection refused"))
        #expect(failing.stderr.contains("Cache synchronization finished with errors (see logs)"))

        try Data("ok".utf8).write(to: mode)
        let ok = try cli.run(["synccache", "-p", project])
        #expect(ok.status == 0, "\(ok.stderr)")
        // Two items rewritten by the command itself: counted, not "0 written".
        #expect(ok.stderr.contains("Items written: 2"), "\(ok.stderr)")
        #expect(ok.stderr.contains("Cache synchronization OK"))

        try Data("silent".utf8).write(to: mode)
        let silent = try cli.run(["synccache", "-p", project])
        #expect(silent.status == 3, "\(silent.stderr)")
        #expect(silent.stderr.contains("without printing \"Cache synchronization OK\": outcome unknown"))

        // A plain synccache runs the site command once, not the command once per project.
        try Data("ok".utf8).write(to: mode)
        try Data().write(to: calls)
        let whole = try cli.run(["synccache"])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(try String(contentsOf: calls, encoding: .utf8) == "synccache\n")
    }
}

/// `kill -9` of sodarcache while a command app runs: its supervisor kills the command's whole
/// process group, a grandchild too, long before the command's timeout.
@Suite(.serialized) struct SyncSupervisorTests {
    @Test func killNineOfSodarcacheLeavesNothingOfTheCommandsGroup() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let pids = cli.dir.appendingPathComponent("pids").path
        try Data("""
            [apps.slow]
            title = "Sleeps long, with a grandchild in its group"
            command = ["/bin/sh", "-c", "sleep 300 & echo $$ $! > \(pids).new; mv \(pids).new \(pids); sleep 300; printf '{}'"]
            item = "slow"
            timeout = 600

            """.utf8).write(to: URL(fileURLWithPath: cli.config))
        try cli.run(["project", "add", "P"])

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["synccache", "--db", cli.db, "--config", cli.config]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let started = try #require(SyncInterruptTests.await(seconds: 30) { try? String(contentsOfFile: pids, encoding: .utf8) }
            .map { $0.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) } }, "the command never started")
        try #require(started.count == 2)
        let group = try #require(Self.processGroup(of: started[0]))
        // The grandchild is in the command's group, and sodarcache is not.
        #expect(Self.processGroup(of: started[1]) == group)
        #expect(Self.processGroup(of: process.processIdentifier) != group)
        #expect(Self.members(of: group).count >= 3, "supervisor, sh and its sleeps")

        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let left = SyncInterruptTests.await(seconds: 5) { Self.members(of: group).isEmpty ? [] : nil } ?? Self.members(of: group)
        #expect(left.isEmpty, "still running in group \(group): \(left)")
    }

    /// The process group of a running process (field 5 of /proc/PID/stat), nil once it is gone.
    static func processGroup(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state, ppid, pgrp.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, fields[0] != "Z" else { return nil }
        return Int32(fields[2])
    }

    /// Every process still running (zombies aside) in the group.
    static func members(of group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { processGroup(of: $0) == group }
    }
}
