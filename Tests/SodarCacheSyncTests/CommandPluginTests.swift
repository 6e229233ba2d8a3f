import Foundation
import SodarCache
import Testing

@testable import SodarCacheSync

@Suite("Command apps")
struct CommandPluginTests {
    let project = Project(title: "Cancer", path: "/data/cancer")

    func plugin(_ command: [String], item: String? = nil, timeout: TimeInterval = 20, maxOutput: Int = 1 << 20) throws -> CommandPlugin {
        let declaration = AppDeclaration(name: "site", command: command, item: item, timeout: timeout, maxOutput: maxOutput)
        return try #require(CommandPlugin(declaration))
    }

    @Test("one payload lands as the declared item, bytes and key order kept")
    func singleItem() throws {
        let dir = try TempDir()
        let script = try dir.script("ok", #"printf '{"z": 1, "a": [2, 3.50]}'"#)
        let store = MemoryStore(projects: [project])
        try plugin([script], item: "irods/stats").updateCache(name: nil, project: project, user: nil, cache: store)
        let item = try #require(try store.getCacheItem(appName: "site", name: "irods/stats", project: project.uuid))
        #expect(String(decoding: item.data, as: UTF8.self) == #"{"z": 1, "a": [2, 3.50]}"#)
        #expect(store.transactionCount == 1)
    }

    @Test("an object of items is split into one item per key, in one transaction")
    func objectOfItems() throws {
        let dir = try TempDir()
        let script = try dir.script("ok", #"printf '{"b/one": {"x": "}"}, "a\\u00e9": [1,{"y":null}] , "c": "s"}'"#)
        let store = MemoryStore(projects: [project])
        try plugin([script]).updateCache(name: nil, project: project, user: User(username: "admin"), cache: store)
        #expect(store.transactions.count == 1)
        #expect(store.transactions.first?.map(\.name) == ["b/one", "aé", "c"])
        #expect(store.transactions.first?.map { String(decoding: $0.data, as: UTF8.self) } == [#"{"x": "}"}"#, #"[1,{"y":null}]"#, #""s""#])
        #expect(store.transactions.first?.first?.user?.username == "admin")
    }

    @Test("limiting to one item name writes only that item")
    func oneItemName() throws {
        let dir = try TempDir()
        let script = try dir.script("ok", #"printf '{"a": 1, "b": 2}'"#)
        let store = MemoryStore(projects: [project])
        try plugin([script]).updateCache(name: "b", project: project, user: nil, cache: store)
        #expect(store.allItems.map(\.name) == ["b"])
    }

    @Test("a non-zero exit fails with the command, status and first stderr lines; nothing written")
    func nonZeroExit() throws {
        let dir = try TempDir()
        let script = try dir.script("fail", "echo 'irods: connection refused' >&2; echo 'retry later' >&2; printf '{}'; exit 3")
        let store = MemoryStore(projects: [project])
        let error = try #require(throws: SyncError.self) {
            try plugin([script, "--project", "{project_uuid}"]).updateCache(name: nil, project: project, user: nil, cache: store)
        }
        #expect(error.exitStatus == 3)
        #expect(error.stderrLines == ["irods: connection refused", "retry later"])
        #expect(error.description.contains(script))
        #expect(error.description.contains(project.uuid.sodarString))
        #expect(error.description.contains("exited with status 3"))
        #expect(store.transactionCount == 0)
    }

    @Test("a timeout kills the command and the child it started")
    func timeoutKillsChildren() throws {
        let dir = try TempDir()
        let pidFile = dir.path + "/child.pid"
        let script = try dir.script("slow", "sleep 60 & echo $! > \(pidFile); wait")
        let store = MemoryStore(projects: [project])
        let start = Date()
        let error = try #require(throws: SyncError.self) {
            try plugin([script], timeout: 3).updateCache(name: nil, project: project, user: nil, cache: store)
        }
        #expect(Date().timeIntervalSince(start) < 10)
        guard case .commandTimedOut = error else {
            Issue.record("expected a timeout, got \(error)")
            return
        }
        let childPID = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(processIsGone(childPID))
        #expect(store.transactionCount == 0)
    }

    @Test("garbage output is refused and nothing is written")
    func garbage() throws {
        let dir = try TempDir()
        let script = try dir.script("garbage", "echo 'Traceback (most recent call last):'")
        let store = MemoryStore(projects: [project])
        let error = try #require(throws: SyncError.self) {
            try plugin([script], item: "x").updateCache(name: nil, project: project, user: nil, cache: store)
        }
        guard case .commandInvalidOutput = error else {
            Issue.record("expected invalid output, got \(error)")
            return
        }
        #expect(store.transactionCount == 0)
    }

    @Test("output that is JSON but not an object of items is refused")
    func notAnObject() throws {
        let dir = try TempDir()
        let script = try dir.script("array", "printf '[1, 2]'")
        let error = try #require(throws: SyncError.self) {
            try plugin([script]).updateCache(name: nil, project: project, user: nil, cache: MemoryStore(projects: [project]))
        }
        #expect(error.description.contains("expected a JSON object"))
    }

    @Test("output above max_output kills the command and fails")
    func hugeOutput() throws {
        let dir = try TempDir()
        let script = try dir.script("huge", "printf '\"'; head -c 5000000 /dev/zero | tr '\\\\0' a; printf '\"'")
        let store = MemoryStore(projects: [project])
        let error = try #require(throws: SyncError.self) {
            try plugin([script], item: "x", maxOutput: 100_000).updateCache(name: nil, project: project, user: nil, cache: store)
        }
        guard case .commandOutputTooLarge(_, let limit, _) = error else {
            Issue.record("expected oversize, got \(error)")
            return
        }
        #expect(limit == 100_000)
        #expect(store.transactionCount == 0)
    }

    @Test("a title full of shell metacharacters reaches the command as one argument")
    func metacharacters() throws {
        let dir = try TempDir()
        let marker = dir.path + "/pwned"
        let argsFile = dir.path + "/args"
        let title = #"a "b" 'c' $(touch \#(marker)); `touch \#(marker)` & | > < * ~ \ {app_name}"#
        let script = try dir.script("args", #"printf '%s\n' "$#" > "\#(argsFile)"; printf '%s' "$1" >> "\#(argsFile)"; printf '{}'"#)
        let odd = Project(title: title)
        try plugin([script, "{project_title}"], item: "x").updateCache(name: nil, project: odd, user: nil, cache: MemoryStore(projects: [odd]))
        let recorded = try String(contentsOfFile: argsFile, encoding: .utf8)
        #expect(recorded == "1\n" + title)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("a missing executable fails with a message naming it")
    func missingExecutable() throws {
        let error = try #require(throws: SyncError.self) {
            try plugin(["/nonexistent/bin/stats"]).updateCache(name: nil, project: project, user: nil, cache: MemoryStore(projects: [project]))
        }
        #expect(error.description.contains("/nonexistent/bin/stats"))
    }

    @Test("env and cwd reach the command")
    func envAndCwd() throws {
        let dir = try TempDir()
        let script = try dir.script("env", #"printf '{"dir": "%s", "token": "%s"}' "$(pwd)" "$SITE_TOKEN""#)
        let declaration = AppDeclaration(name: "site", command: [script], item: "x", cwd: dir.path, env: ["SITE_TOKEN": "t0k"])
        let store = MemoryStore(projects: [project])
        try #require(CommandPlugin(declaration)).updateCache(name: nil, project: project, user: nil, cache: store)
        let data = try #require(try store.getCacheItem(appName: "site", name: "x", project: project.uuid)).data
        #expect(String(decoding: data, as: UTF8.self) == #"{"dir": "\#(dir.path)", "token": "t0k"}"#)
    }

    @Test("placeholders are substituted once: a title naming another placeholder stays as written")
    func placeholders() throws {
        let plugin = try plugin(["x", "{project_uuid}", "--title={project_title}", "{project_path}", "{app_name}", "{item_name}", "{other}"])
        let project = Project(title: "{project_uuid}", path: "/p")
        #expect(plugin.arguments(project: project, itemName: "n") == [
            "x", project.uuid.sodarString, "--title={project_uuid}", "/p", "site", "n", "{other}",
        ])
    }

    @Test("without a cache backend the plugin does nothing and does not fail")
    func noBackend() throws {
        try plugin(["/nonexistent"]).updateCache(name: nil, project: project, user: nil, cache: nil)
    }
}

/// Whether a process no longer runs (gone, or a zombie waiting for its reaper).
func processIsGone(_ pid: Int32) -> Bool {
    for _ in 0..<50 {
        if kill(pid, 0) != 0 { return true }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z"
        {
            return true
        }
        usleep(50_000)
    }
    return false
}

@Suite("Command apps that write the cache themselves")
struct SelfWritingCommandTests {
    let project = Project(title: "Cancer", path: "/data/cancer")

    func plugin(_ command: [String]) throws -> CommandPlugin {
        var declaration = AppDeclaration(name: "sodar", command: command, timeout: 20)
        declaration.writesCache = true
        return try #require(CommandPlugin(declaration))
    }

    @Test("its stdout is not read as items; exit 0 with SODAR's closing line is success")
    func stdoutIgnored() throws {
        let dir = try TempDir()
        let script = try dir.script("ok", #"echo "Synchronizing cache for project $1 (not JSON)"; echo 'Cache synchronization OK'"#)
        let store = MemoryStore(projects: [project])
        try plugin([script, "{project_uuid}"]).updateCache(name: nil, project: project, user: nil, cache: store)
        #expect(store.transactionCount == 0)
        #expect(store.allItems.isEmpty)
    }

    @Test("a failure shows its exit status and stderr")
    func failureShowsStderr() throws {
        let dir = try TempDir()
        let script = try dir.script("bad", "echo 'plugin samplesheets failed: irods down' >&2; exit 3")
        let error = #expect(throws: SyncError.self) {
            try plugin([script]).updateCache(name: nil, project: project, user: nil, cache: MemoryStore(projects: [project]))
        }
        #expect(error?.description.contains("3") == true)
        #expect(error?.description.contains("irods down") == true)
    }

    @Test("the config declares it with writes_cache, and refuses it with item")
    func config() throws {
        let config = try SodarConfig.parse(
            """
            [apps.sodar]
            command = ["/srv/sodar/manage.py", "synccache", "-p", "{project_uuid}"]
            writes_cache = true
            """, file: "c.toml")
        #expect(config.apps.first?.writesCache == true)
        let error = #expect(throws: SyncError.self) {
            try SodarConfig.parse("[apps.sodar]\ncommand = [\"x\"]\nwrites_cache = true\nitem = \"a\"\n", file: "c.toml")
        }
        #expect(error?.description.contains("c.toml:4") == true)
    }

    @Test("project paths come from the config where the store has none")
    func projectPaths() throws {
        let config = try SodarConfig.parse(
            """
            [project_paths]
            template = "/sodarZone/projects/{project_uuid_prefix}/{project_uuid}"
            "11111111-2222-4333-8444-555555555555" = "/data/special"
            [postgres]
            user_table = "accounts_user"
            """, file: "c.toml")
        let plain = Project(title: "P")
        let resolved = config.projectPaths.resolve(plain)
        let uuid = plain.uuid.sodarString
        #expect(resolved.path == "/sodarZone/projects/\(uuid.prefix(2))/\(uuid)")
        let special = Project(uuid: UUID(uuidString: "11111111-2222-4333-8444-555555555555")!, title: "S")
        #expect(config.projectPaths.resolve(special).path == "/data/special")
        #expect(config.projectPaths.resolve(Project(title: "Own", path: "/own")).path == "/own")
        #expect(config.postgres.userTable == "accounts_user")
        #expect(throws: SyncError.self) { try SodarConfig.parse("[project_paths]\ntemplate = \"/x/{project_name}\"\n", file: "c.toml") }
        #expect(throws: SyncError.self) { try SodarConfig.parse("[postgres]\nuser_table = \"users; drop\"\n", file: "c.toml") }
    }
}
