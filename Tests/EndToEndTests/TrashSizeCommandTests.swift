import Foundation
import Testing

/// A delete larger than the trash keeps (`[trash] max_size`) cannot be undone: every command
/// that deletes says so, with both sizes, before it asks or deletes; without a terminal it needs
/// `--yes`, and with `--yes` it says so once.
@Suite struct TrashSizeCommandTests {
    /// A store whose trash keeps 100 bytes, with a 120-byte item `big` and a small one.
    static func store() throws -> CLI {
        let cli = try CLI(apps: ["samplesheets"], extraConfig: "[trash]\nmax_size = \"100B\"\n")
        try cli.run(["set", "samplesheets", "big", "--data", "[\"" + String(repeating: "x", count: 116) + "\"]"])
        try cli.run(["set", "samplesheets", "small", "--data", "[1]"])
        return cli
    }

    static let warning = "This delete of 120 bytes is larger than the trash keeps ([trash] max_size 100 bytes): it cannot be undone"

    static func occurrences(_ text: String, _ part: String) -> Int { text.components(separatedBy: part).count - 1 }

    @Test func deleteSaysItCannotBeUndoneAndNeedsYesWithoutATerminal() throws {
        let cli = try Self.store()
        defer { cli.cleanUp() }
        let refused = try cli.run(["delete", "samplesheets", "big"])
        #expect(refused.status == 64)
        #expect(
            refused.stderr
                == "Error: `delete`: \(Self.warning); give --yes to delete for good (or --no-trash); nothing was deleted\n")
        #expect(try cli.run(["get", "samplesheets", "big"]).status == 0)

        let forced = try cli.run(["--yes", "delete", "samplesheets", "big"])
        #expect(forced.status == 0)
        #expect(forced.stderr == Self.warning + "; deleting for good (--yes)\n")
        #expect(try cli.run(["get", "samplesheets", "big"]).status != 0)
        #expect(try cli.run(["trash"]).stderr == "The trash is empty\n")

        // One that fits is kept, and says how to take it back, as before.
        let small = try cli.run(["delete", "samplesheets", "small"])
        #expect(small.status == 0 && !small.stderr.contains("cannot be undone"))
        #expect(small.stderr.contains("Kept in the trash until"))
        // The forced delete kept no copy only for the trim to purge it: entry ids are never
        // reused (AUTOINCREMENT), and the small delete's entry is the store's first.
        #expect(small.stderr.contains("`sodarcache trash restore 1`"), "\(small.stderr)")
    }

    @Test func deletecacheAndProjectDeleteSayItToo() throws {
        let cli = try Self.store()
        defer { cli.cleanUp() }
        let refused = try cli.run(["deletecache", "-a", "samplesheets"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("`deletecache`: This delete of 123 bytes is larger than the trash keeps ([trash] max_size 100 bytes)"))
        #expect(try cli.run(["ls"]).stdout.split(separator: "\n").count == 2)
        // A dry run deletes nothing: nothing to warn of.
        #expect(try cli.run(["deletecache", "-a", "samplesheets", "--dry-run"]).status == 0)
        let forced = try cli.run(["--yes", "deletecache", "-a", "samplesheets"])
        #expect(forced.status == 0)
        #expect(Self.occurrences(forced.stderr, "cannot be undone") == 1)
        #expect(try cli.run(["ls"]).stdout.isEmpty)

        let project = try cli.run(["project", "add", "Liver"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["set", "samplesheets", "big", "-p", project, "--data", "[\"" + String(repeating: "x", count: 116) + "\"]"])
        let withItems = try cli.run(["project", "delete", project, "--with-items"])
        #expect(withItems.status == 64)
        #expect(withItems.stderr.contains("`project delete`: \(Self.warning)"))
        #expect(try cli.run(["project", "delete", project, "--with-items", "--yes"]).status == 0)
        #expect(try cli.run(["project", "list"]).stdout.isEmpty)
    }

    @Test func noTrashDeletesForGoodWithoutTheWarning() throws {
        let cli = try Self.store()
        defer { cli.cleanUp() }
        let deleted = try cli.run(["--no-trash", "delete", "samplesheets", "big"])
        #expect(deleted.status == 0)
        #expect(deleted.stderr.isEmpty)
    }

    @Test(.enabled(if: Tmux.available, "needs tmux")) func onATerminalItSaysSoBeforeItAsks() throws {
        let cli = try Self.store()
        defer { cli.cleanUp() }
        let command = "delete samplesheets big --db '\(cli.db)' --config '\(cli.config)'"
        let tmux = try Tmux(binary: command, environment: "XDG_DATA_HOME='\(CLI.dataHome)'")
        let screen = try tmux.waitFor(text: "Delete for good? [y/N]")
        // (The terminal wraps the line.)
        #expect(screen.replacingOccurrences(of: "\n", with: "").contains("max_size 100 bytes): it cannot be undone"), "\(screen)")
        try tmux.send("n")
        try tmux.send("Enter")
        try tmux.waitFor(text: "EXITED:1")
        #expect(try tmux.capture().contains("Nothing was deleted"))
        #expect(try cli.run(["get", "samplesheets", "big"]).status == 0)

        let yes = try Tmux(binary: command, environment: "XDG_DATA_HOME='\(CLI.dataHome)'")
        try yes.waitFor(text: "Delete for good? [y/N]")
        try yes.send("y")
        try yes.send("Enter")
        try yes.waitFor(text: "EXITED:0")
        #expect(try cli.run(["get", "samplesheets", "big"]).status != 0)
    }
}
