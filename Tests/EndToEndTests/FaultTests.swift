import Foundation
import TestSupport
import Testing

/// Issue 11's faults through the real binary: a full disk, files that are not stores, a
/// folder SQLite cannot make its side files in, a browser killed in the middle of a delete.
@Suite(.serialized) struct FaultTests {
    // MARK: - Disk full

    /// A command app printing one payload of about 400 kB (too large for what is left).
    static func bigApp(_ cli: CLI) throws -> String {
        let script = cli.dir.appendingPathComponent("big.sh")
        try Data("#!/bin/sh\nprintf '{\"x\": \"'\nhead -c 400000 /dev/zero | tr '\\000' a\nprintf '\"}'\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return "[apps.big]\ntitle = \"Big\"\ncommand = [\"\(script.path)\"]\nitem = \"big/out\"\nscope = \"site\"\n"
    }

    @Test func aFullDiskFailsWithOneLineAndTheStoreStaysWhole() throws {
        guard let disk = try SmallDisk(kilobytes: 1024) else { return }
        defer { disk.unmount() }
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        try Data(("[apps.samplesheets]\ntitle = \"S\"\n\n" + Self.bigApp(cli)).utf8).write(to: URL(fileURLWithPath: cli.config))
        let db = disk.path + "/cache.sqlite3"
        func run(_ args: [String], stdin: String? = nil) throws -> CLI.Result {
            try CLI.run(args + ["--db", db, "--config", cli.config], stdin: stdin.map { Data($0.utf8) })
        }
        func expectFailure(_ result: CLI.Result, _ what: String, lines: Int? = 1) {
            #expect(result.status != 0, "\(what) succeeded on a full disk")
            #expect(result.stderr.contains("disk is full"), "\(what): \(result.stderr)")
            if let lines { #expect(Faults.lines(result.stderr).count == lines, "\(what): \(result.stderr)") }
        }
        for index in 1...3 {
            #expect(try run(["set", "samplesheets", "item/\(index)", "--data", "{\"n\": \(index)}"]).status == 0)
        }

        // Not a block left: every command that needs the store says so in one line.
        try disk.fill()
        expectFailure(try run(["set", "samplesheets", "item/4", "--data", "{\"n\": 4}"]), "set")
        expectFailure(try run(["delete", "samplesheets", "item/1"]), "delete")
        expectFailure(try run(["deletecache", "-a", "samplesheets"]), "deletecache")
        let fullSync = try run(["synccache", "-a", "big"])
        expectFailure(fullSync, "synccache", lines: nil)
        #expect(fullSync.stderr.split(separator: "\n").filter { $0.contains("disk is full") }.count == 1, "\(fullSync.stderr)")

        // Room for a small write, not for a large one: it fails part-way and is rolled back.
        try disk.free(kilobytes: 160)
        expectFailure(try run(["set", "samplesheets", "big"], stdin: "{\"x\": \"" + String(repeating: "a", count: 400_000) + "\"}"), "set of 400 kB")
        let sync = try run(["synccache", "-a", "big"])
        // The sync logs the app's failure, then its summary: the cause is in the failure line.
        expectFailure(sync, "synccache of 400 kB", lines: nil)
        #expect(sync.stderr.split(separator: "\n").filter { $0.contains("disk is full") }.count == 1, "\(sync.stderr)")

        try disk.removeFiller()
        #expect(try Faults.sqlite(db, "PRAGMA integrity_check") == "ok")
        let names = try run(["ls", "--site", "--json"]).stdout
        for index in 1...3 { #expect(names.contains("\"item/\(index)\"")) }
        #expect(!names.contains("item/4") && !names.contains("\"big\"") && !names.contains("big/out"), "\(names)")
        #expect(try run(["get", "samplesheets", "item/1", "--compact"]).stdout.trimmingCharacters(in: .newlines) == "{\"n\": 1}")
        // And with room again, writes work.
        #expect(try run(["set", "samplesheets", "item/4", "--data", "{\"n\": 4}"]).status == 0)
    }

    @Test(.enabled(if: Tmux.available)) func theBrowserShowsAFullDiskAndKeepsWorking() throws {
        guard let disk = try SmallDisk(kilobytes: 1024) else { return }
        defer { disk.unmount() }
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = disk.path + "/cache.sqlite3"
        for name in ["alpha", "beta", "gamma"] {
            #expect(try CLI.run(["set", "samplesheets", name, "--data", "{\"name\": \"\(name)\"}", "--db", db, "--config", cli.config]).status == 0)
        }
        let tmux = try Tmux(command: "LANG=C.UTF-8 '\(CLI.binary)' --db '\(db)' --config '\(cli.config)'", cols: 100, rows: 30)
        _ = try tmux.waitFor(text: "(site-wide)")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "samplesheets")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "gamma")
        try disk.fill()
        try tmux.send("d")
        _ = try tmux.waitFor(text: "Delete 1 item?")
        try tmux.send("y")
        let screen = try tmux.waitFor(text: "disk is full")
        #expect(tmux.isRunning, "\(screen)")
        // It still reads: the next item opens.
        try tmux.send("j")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "\"name\": \"beta\"")
        try tmux.send("Escape")
        try tmux.send("q")
        try tmux.waitFor("the browser to exit") { _ in !tmux.isRunning }
        try disk.removeFiller()
        #expect(try Faults.sqlite(db, "PRAGMA integrity_check") == "ok")
        #expect(try Faults.sqlite(db, "SELECT count(*) FROM cache_item") == "3")
    }

    // MARK: - Files that are not stores

    enum NotAStore: String, CaseIterable, Sendable {
        case garbage, truncated, directory, unreadable, newerSchema
    }

    /// Makes the bad "store" at `path`; returns false when it cannot be made here.
    static func make(_ kind: NotAStore, at path: String, cli: CLI) throws -> Bool {
        switch kind {
        case .garbage:
            var generator = SystemRandomNumberGenerator()
            try Data((0..<16384).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        case .truncated, .newerSchema, .unreadable:
            for index in 0..<40 {
                let data = "{\"n\": \(index), \"pad\": \"\(String(repeating: "x", count: 1500))\"}"
                #expect(try CLI.run(["set", "samplesheets", "i\(index)", "--data", data, "--db", path, "--config", cli.config]).status == 0)
            }
            if kind == .truncated {
                // Mid-way through the third page.
                let whole = try Data(contentsOf: URL(fileURLWithPath: path))
                try whole.prefix(2 * 4096 + 1234).write(to: URL(fileURLWithPath: path))
            } else if kind == .newerSchema {
                _ = try Faults.sqlite(path, "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
            } else {
                try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
            }
        case .directory:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
        return true
    }

    /// A new folder `store` in the test's directory, and the path of a store file in it.
    static func storeFolder(_ cli: CLI, permissions: Int? = nil) throws -> (folder: String, path: String) {
        let folder = cli.dir.appendingPathComponent("store").path
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: false, attributes: permissions.map { [.posixPermissions: $0] })
        return (folder, folder + "/cache.sqlite3")
    }

    /// What is in the folder: names and, for files, their bytes.
    static func snapshot(_ dir: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name != "config.toml" {
            var isDir: ObjCBool = false
            let path = dir + "/" + name
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            // Root reads an unreadable file anyway; the test compares it as root.
            // A file this user may not read (the unreadable case, run by a user other than root)
            // is compared by its size and permissions.
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let unreadable = Data("<unreadable: \(attributes[.size] ?? 0) bytes, \(attributes[.posixPermissions] ?? 0)>".utf8)
            result[name] = isDir.boolValue
                ? Data("<dir:\((try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? [])>".utf8)
                : (access(path, R_OK) == 0 ? try Data(contentsOf: URL(fileURLWithPath: path)) : unreadable)
        }
        return result
    }

    @Test(arguments: NotAStore.allCases)
    func aFileThatIsNotAStoreIsRefusedAndLeftAlone(kind: NotAStore) throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let (folder, path) = try Self.storeFolder(cli, permissions: 0o777)
        guard try Self.make(kind, at: path, cli: cli) else { return }
        let before = try Self.snapshot(folder)
        let commands: [[String]] = [
            ["ls"], ["get", "samplesheets", "i1"], ["set", "samplesheets", "z", "--data", "{}"], ["delete", "samplesheets", "i1"],
            ["deletecache"], ["synccache"], ["vacuum"], ["project", "add", "P"], ["browse"],
        ]
        for command in commands {
            let args = command + ["--db", path, "--config", cli.config]
            let result: CLI.Result
            if kind == .unreadable {
                guard let asOther = try Faults.runAsOtherUser(args) else { return }
                result = asOther
            } else {
                result = try CLI.run(args)
            }
            let shown = "\(kind) \(command.joined(separator: " "))"
            #expect(result.status != 0, "\(shown) succeeded")
            #expect(Faults.lines(result.stderr).count == 1, "\(shown): \(result.stderr)")
            // The browser checks the store before the terminal (here, pipes): the store's
            // error, not "not a terminal".
            #expect(result.stderr.contains(path) || result.stderr.contains("newer"), "\(shown): \(result.stderr)")
            #expect(!result.stderr.lowercased().contains("terminal"), "\(shown): \(result.stderr)")
            let after = try Self.snapshot(folder)
            #expect(after == before, "\(shown) changed the folder: \(after.keys.sorted())")
        }
    }

    // MARK: - A folder SQLite cannot write in

    /// `browse` never upgrades a store: an older schema is refused in one line before its
    /// writable open, and the folder stays byte for byte as it was.
    @Test func browseRefusesAnOlderStoreAndChangesNothing() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let (folder, path) = try Self.storeFolder(cli)
        #expect(try CLI.run(["set", "samplesheets", "a", "--data", "{}", "--db", path, "--config", cli.config]).status == 0)
        // As an older build left it: its last migration not yet applied.
        _ = try Faults.sqlite(path, "DELETE FROM grdb_migrations WHERE identifier = 'v9'")
        let before = try Self.snapshot(folder)
        let browse = try CLI.run(["browse", "--db", path, "--config", cli.config])
        #expect(browse.status != 0)
        #expect(Faults.lines(browse.stderr).count == 1 && browse.stderr.contains("sodarcache migrate"), "\(browse.stderr)")
        #expect(try Self.snapshot(folder) == before)
    }

    @Test func aReadOnlyFolderReadsAndRefusesWritesInOneLine() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let (folder, path) = try Self.storeFolder(cli)
        for name in ["a", "b"] {
            #expect(try CLI.run(["set", "samplesheets", name, "--data", "{\"v\": \"\(name)\"}", "--db", path, "--config", cli.config]).status == 0)
        }
        if Faults.isRoot {
            // As "nobody", owning the store but not able to write in its folder.
            for item in [cli.dir.path, cli.config] { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: item) }
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: cli.config)
            for item in [folder, path] { try FileManager.default.setAttributes([.ownerAccountID: 65534, .groupOwnerAccountID: 65534], ofItemAtPath: item) }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
        let before = try Self.snapshot(folder)
        func run(_ args: [String]) throws -> CLI.Result? { try Faults.runAsOtherUser(args + ["--db", path, "--config", cli.config]) }

        guard let get = try run(["get", "samplesheets", "b", "--compact"]) else { return }
        #expect(get.status == 0 && get.stdout.trimmingCharacters(in: .newlines) == "{\"v\": \"b\"}", "\(get.stderr)")
        let list = try #require(try run(["ls", "--json"]))
        #expect(list.status == 0 && list.stdout.contains("\"a\"") && list.stdout.contains("\"b\""), "\(list.stderr)")
        for command in [["set", "samplesheets", "c", "--data", "{}"], ["delete", "samplesheets", "a"], ["deletecache"], ["vacuum"]] {
            let result = try #require(try run(command))
            #expect(result.status != 0, "\(command) succeeded")
            #expect(Faults.lines(result.stderr).count == 1 && result.stderr.contains("is not writable"), "\(command): \(result.stderr)")
        }
        #expect(try Self.snapshot(folder) == before)
    }

    // MARK: - SIGKILL in the middle of a delete

    @Test(.enabled(if: Tmux.available)) func killingTheBrowserMidDeleteOfTenThousandMarkedItemsKeepsAllOrNone() throws {
        let cli = try CLI(apps: [])
        defer { cli.cleanUp() }
        // 10,000 site-wide items, written by one sync of a command app.
        let payload = cli.dir.appendingPathComponent("many.json")
        let members = (0..<10_000).map { String(format: "\"item/%05d\": {\"n\": %d}", $0, $0) }
        try Data(("{" + members.joined(separator: ", ") + "}").utf8).write(to: payload)
        try Data("[apps.many]\ntitle = \"Many\"\ncommand = [\"/bin/cat\", \"\(payload.path)\"]\nscope = \"site\"\n".utf8)
            .write(to: URL(fileURLWithPath: cli.config))
        #expect(try cli.run(["synccache"]).status == 0)
        #expect(try Faults.sqlite(cli.db, "SELECT count(*) FROM cache_item") == "10000")

        let tmux = try Tmux(command: "exec '\(CLI.binary)' --db '\(cli.db)' --config '\(cli.config)'", cols: 100, rows: 30)
        _ = try tmux.waitFor(text: "(site-wide)")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "many")
        try tmux.send("Enter")
        _ = try tmux.waitFor(text: "item/00000")
        // Space marks the item and moves down: 10,000 of them mark every item.
        try tmux.send("-N", "10000", "Space")
        // 10,000 keys through tmux: 11 s alone, past 120 s once under a full parallel run.
        _ = try tmux.waitFor(text: "10000 marked", timeout: 300)
        let pid = pid_t(try tmux.panePID())
        try tmux.send("d")
        _ = try tmux.waitFor(text: "Delete 10,000 marked items?")
        let wal = cli.db + "-wal"
        let walBefore = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        try tmux.send("y")
        // Kill it as the delete's pages reach the write-ahead log (or after 5 s regardless).
        waitUntil(timeout: 5, every: 0.0002) {
            ((try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) != walBefore
        }
        kill(pid, SIGKILL)
        try tmux.waitFor("the browser to die") { _ in !tmux.isRunning }

        #expect(try Faults.sqlite(cli.db, "PRAGMA integrity_check") == "ok")
        let count = try Faults.sqlite(cli.db, "SELECT count(*) FROM cache_item")
        print("SIGKILL mid-delete of 10,000 marked items: \(count) left")
        #expect(count == "0" || count == "10000", "a half-done delete: \(count) items left")
    }
}
