import Foundation
import TestSupport
import Testing

/// `synccache` end to end: command apps from the config, failures, exit status, interruption.
@Suite(.serialized) struct SyncCommandTests {
    /// A config with one working command app, one failing one, and one plain app.
    static func config(scripts dir: URL) throws -> String {
        let good = dir.appendingPathComponent("good.sh")
        try Data("#!/bin/sh\nprintf '{\"argc\": %d, \"length\": %d}' \"$#\" \"${#1}\"\n".utf8).write(to: good)
        let bad = dir.appendingPathComponent("bad.sh")
        try Data("#!/bin/sh\necho 'irods: connection refused' >&2\nexit 3\n".utf8).write(to: bad)
        for file in [good, bad] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        return """
            [apps.alpha]
            title = "Alpha"
            command = ["\(good.path)", "{project_title}"]
            item = "status"

            [apps.broken]
            title = "Broken"
            command = ["\(bad.path)"]
            item = "status"

            """
    }

    @Test func commandAppsWriteAndFailuresAreReported() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        try Data(try Self.config(scripts: cli.dir).utf8).append(toFile: cli.config)
        let title = "Weird \"title\"; $(rm -rf /) `x`"
        let project = try cli.run(["project", "add", title]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let sync = try cli.run(["synccache"])
        #expect(sync.status != 0)
        #expect(sync.stderr.contains("Synchronizing cache for all projects"))
        #expect(sync.stderr.contains("Update failed for plugin \"broken\""))
        #expect(sync.stderr.contains("exit"))
        #expect(sync.stderr.contains("irods: connection refused"))
        #expect(sync.stderr.contains("Cache synchronization finished with errors (see logs)"))

        // The working plugin still ran, and the title reached it as one argument.
        let get = try cli.run(["get", "alpha", "status", "-p", project, "--compact"])
        #expect(get.status == 0)
        #expect(get.stdout == "{\"argc\": 1, \"length\": \(title.utf8.count)}\n")
        #expect(try cli.run(["get", "broken", "status", "-p", project]).status != 0)

        let limited = try cli.run(["synccache", "-p", project, "-a", "alpha"])
        #expect(limited.status == 0, "\(limited.stderr)")
        #expect(limited.stderr.contains("Limiting sync to project \"\(title)\" (\(project))"))
        #expect(limited.stderr.contains("Cache synchronization OK"))

        let unknown = try cli.run(["synccache", "-p", "e9701604-4ccc-426c-a67c-864c15aff6e2"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("Project not found with UUID=e9701604-4ccc-426c-a67c-864c15aff6e2"))
        let malformed = try cli.run(["synccache", "-p", "nope"])
        #expect(malformed.stderr.contains("Not a valid UUID: nope"))
    }

    /// The audit trail is read by others (`sodarcache log`, the browser's `L`): a failure is
    /// recorded by its kind, never by the command's arguments (a `--db` URI with a password)
    /// or its stderr (which may echo them).
    @Test func theAuditTrailRecordsAFailureWithoutTheCommandsArgumentsOrOutput() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let stats = cli.dir.appendingPathComponent("stats.sh")
        try Data("#!/bin/sh\necho \"cannot reach $2 (leaky tool)\" >&2\nexit 2\n".utf8).write(to: stats)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stats.path)
        let slow = cli.dir.appendingPathComponent("slow.sh")
        try Data("#!/bin/sh\necho \"waiting for $2 (leaky tool)\" >&2\nsleep 30\n".utf8).write(to: slow)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: slow.path)
        try Data("""
            [apps.stats]
            title = "Stats"
            command = ["\(stats.path)", "--db", "postgresql://svc:S3cret@db/x", "{project_uuid}"]
            item = "stats"

            [apps.slow]
            title = "Slow"
            command = ["\(slow.path)", "--db", "postgresql://svc:S3cret@db/x"]
            item = "slow"
            timeout = 1

            """.utf8).write(to: URL(fileURLWithPath: cli.config))
        // A config holding a password is refused unless only its owner may read it.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: cli.config)
        let project = try cli.run(["project", "add", "P"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let sync = try cli.run(["synccache"])
        #expect(sync.status == 1, "\(sync.stderr)")
        // Its log lines keep the command and its stderr, the password hidden in both.
        #expect(!sync.stderr.contains("S3cret"), "\(sync.stderr)")
        #expect(sync.stderr.contains("--db postgresql://svc:***@db/x"), "\(sync.stderr)")
        #expect(sync.stderr.contains("cannot reach postgresql://svc:***@db/x (leaky tool)"), "\(sync.stderr)")

        let log = try cli.run(["log", "--json"])
        #expect(log.status == 0)
        #expect(!log.stdout.contains("S3cret") && !log.stdout.contains("leaky tool"), "\(log.stdout)")
        #expect(!log.stdout.contains("--db"), "\(log.stdout)")
        // What identifies the failure stays: the app, the project and what went wrong.
        #expect(log.stdout.contains(#""what": "app stats in project \#(project)", "outcome": "failed: command exited with status 2""#), "\(log.stdout)")
        #expect(log.stdout.contains(#""outcome": "failed: command timed out after 1 s and was killed""#), "\(log.stdout)")
        #expect(!(try cli.run(["log"]).stdout.contains("S3cret")))
    }

    @Test func configErrorsNameFileLineAndKey() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        try Data("[apps.x]\ntitle = \"X\"\ntimeout = \"soon\"\n".utf8).write(to: URL(fileURLWithPath: cli.config))
        let result = try cli.run(["apps"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("config.toml:3"))
        #expect(result.stderr.contains("timeout"))
    }

    @Test func projectImportIsAllOrNothing() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let good = cli.dir.appendingPathComponent("projects.json")
        try Data("""
            [{"sodar_uuid": "11111111-1111-4111-8111-111111111111", "title": "Cat", "type": "CATEGORY", "parent": null, "description": "", "roles": {}},
             {"sodar_uuid": "22222222-2222-4222-8222-222222222222", "title": "Proj", "type": "PROJECT", "parent": "11111111-1111-4111-8111-111111111111", "description": "d"}]
            """.utf8).write(to: good)
        let imported = try cli.run(["project", "import", good.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try cli.run(["project", "list"]).stdout.contains("Cat / Proj"))

        let bad = cli.dir.appendingPathComponent("bad.json")
        try Data("""
            [{"sodar_uuid": "33333333-3333-4333-8333-333333333333", "title": "New", "type": "PROJECT", "parent": null},
             {"sodar_uuid": "44444444-4444-4444-8444-444444444444", "type": "PROJECT"}]
            """.utf8).write(to: bad)
        let failed = try cli.run(["project", "import", bad.path])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("record 2"))
        #expect(!(try cli.run(["project", "list"]).stdout.contains("New")))

        let orphan = cli.dir.appendingPathComponent("orphan.json")
        try Data("""
            [{"sodar_uuid": "55555555-5555-4555-8555-555555555555", "title": "Fine", "type": "PROJECT", "parent": null},
             {"sodar_uuid": "66666666-6666-4666-8666-666666666666", "title": "Lost", "type": "PROJECT",
              "parent": "77777777-7777-4777-8777-777777777777"}]
            """.utf8).write(to: orphan)
        let lost = try cli.run(["project", "import", orphan.path])
        #expect(lost.status != 0)
        #expect(lost.stderr.contains("record 2") && lost.stderr.contains("77777777-7777-4777-8777-777777777777"))
        #expect(!(try cli.run(["project", "list"]).stdout.contains("Fine")))
    }
}

extension Data {
    func append(toFile path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: self)
    }
}

/// Ctrl-C during `synccache`: running commands die, finished work stays, the exit says so.
@Suite(.serialized) struct SyncInterruptTests {
    @Test func interruptKeepsFinishedWorkAndKillsCommands() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        let marker = cli.dir.appendingPathComponent("child-survived").path
        let childPID = cli.dir.appendingPathComponent("child-pid").path
        try Data("""
            [apps.aaa]
            title = "Fast"
            command = ["/bin/sh", "-c", "printf '{\\"ok\\": 1}'"]
            item = "fast"

            [apps.slow]
            title = "Slow, with a child that would outlive it"
            command = ["/bin/sh", "-c", "sh -c 'echo $$ > \(childPID).new; mv \(childPID).new \(childPID); sleep 4; touch \(marker)' & sleep 30; printf '{}'"]
            item = "slow"

            """.utf8).write(to: URL(fileURLWithPath: cli.config))
        for index in 1...3 { try cli.run(["project", "add", "P\(index)"]) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["synccache", "--jobs", "1", "--db", cli.db, "--config", cli.config]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until the slow command's child runs (the fast app has finished by then: --jobs 1,
        // name order).
        let pid = try #require(Self.await(seconds: 30) { try? String(contentsOfFile: childPID, encoding: .utf8) }
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }, "the slow command's child never started")
        process.interrupt()
        let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(output.contains("Cache synchronization cancelled"))
        #expect(output.contains("not done"))
        #expect(try cli.run(["ls", "-a", "aaa"]).stdout.split(separator: "\n").count == 3)
        #expect(try cli.run(["ls", "-a", "slow"]).stdout.isEmpty)
        // The slow command's whole process group was killed, its child too: it is gone long
        // before it would have written the marker (4 s), and did not write it.
        let gone = Self.await(seconds: 10) { Self.isGone(pid) ? true : nil } ?? false
        #expect(gone, "the child \(pid) outlived the cancel")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// Polls `value` every 20 ms until it is not nil or `seconds` pass.
    static func await<T>(seconds: Double, _ value: () -> T?) -> T? {
        poll(timeout: seconds, every: 0.02, value)
    }

    /// The process has exited (a zombie nobody reaped counts: it runs no more).
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // "pid (comm) S ...": the state follows the command name's closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }
}

/// SIGKILL in the middle of `synccache`: the store stays sound and no project is half-written.
@Suite(.serialized) struct SyncKillTests {
    @Test func killedMidRunLeavesNoHalfProject() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        // Each run prints 40 items at once, after a short pause.
        let script = cli.dir.appendingPathComponent("many.sh")
        var body = "#!/bin/sh\nsleep 0.5\nprintf '{'\n"
        for index in 0..<40 {
            body += "printf '\"item/\(index)\": {\"n\": \(index), \"pad\": \"\(String(repeating: "x", count: 200))\"}\(index < 39 ? ", " : "")'\n"
        }
        body += "printf '}'\n"
        try Data(body.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try Data("[apps.many]\ntitle = \"Many items\"\ncommand = [\"\(script.path)\"]\n".utf8)
            .write(to: URL(fileURLWithPath: cli.config))
        // 1,000 projects, imported in one go.
        let list = cli.dir.appendingPathComponent("projects.json")
        let records = (1...1000).map { index in
            #"{"sodar_uuid": "\#(UUID().uuidString.lowercased())", "title": "P\#(index)", "type": "PROJECT", "parent": null}"#
        }
        try Data(("[" + records.joined(separator: ",\n") + "]").utf8).write(to: list)
        #expect(try cli.run(["project", "import", list.path]).status == 0)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["synccache", "--jobs", "4", "--db", cli.db, "--config", cli.config]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Kill it once some projects have landed and others have not.
        try waitUntil(timeout: 30) { try cli.run(["ls", "-a", "many"]).stdout.split(separator: "\n").count >= 400 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        check.arguments = [cli.db, "PRAGMA integrity_check"]
        let out = Pipe()
        check.standardOutput = out
        try check.run()
        let verdict = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(verdict.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")

        let listing = try cli.run(["ls", "-a", "many", "--json"]).stdout
        var perProject: [String: Int] = [:]
        for line in listing.split(separator: "\n") where line.contains("\"project\": \"") {
            let project = line.components(separatedBy: "\"project\": \"")[1].prefix(36)
            perProject[String(project), default: 0] += 1
        }
        #expect(!perProject.isEmpty)
        #expect(perProject.count < 1000, "the run was killed before it finished")
        for (project, count) in perProject {
            #expect(count == 40, "project \(project) has \(count) of 40 items")
        }
    }
}
