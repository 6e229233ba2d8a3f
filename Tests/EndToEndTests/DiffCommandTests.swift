import Foundation
import Testing

/// `sodarcache diff` through the real binary, over SQLite stores made with `sodarcache set`.
@Suite(.serialized) struct DiffCommandTests {
    func uuid(_ result: CLI.Result) -> String { result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    func oneLine(_ result: CLI.Result) -> Bool {
        result.stderr.split(separator: "\n").filter { !$0.isEmpty }.count == 1
    }

    /// Two projects with `samplesheets study` in each, and a site-wide one.
    func twoProjects(_ cli: CLI, a: String, b: String, site: String? = nil) throws -> (String, String) {
        let p1 = uuid(try cli.run(["project", "add", "Liver Cohort"]))
        let p2 = uuid(try cli.run(["project", "add", "Kidney Cohort"]))
        #expect(try cli.run(["set", "samplesheets", "study", "-p", p1, "--data", a]).status == 0)
        #expect(try cli.run(["set", "samplesheets", "study", "-p", p2, "--data", b]).status == 0)
        if let site { #expect(try cli.run(["set", "samplesheets", "study", "--data", site]).status == 0) }
        return (p1, p2)
    }

    @Test func changesOneLineEachAndExitOneLikeDiff() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let a = #"{"title": "Liver", "rows": [{"id": 1, "name": "s1"}, {"id": 2, "name": "s2"}, {"id": 3, "name": "s3"}], "gone": 1}"#
        let b = #"{"rows": [{"id": 1, "name": "s1"}, {"id": 9, "name": "new"}, {"name": "s2", "id": 2}, {"id": 3, "name": "s3!"}], "title": "Liver", "added": [true]}"#
        let (p1, p2) = try twoProjects(cli, a: a, b: b)
        let result = try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-project", p2])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == """
            --- samplesheets study in project \(p1) (Liver Cohort)
            +++ samplesheets study in project \(p2) (Kidney Cohort)
            + .rows[1]: {"id":9,"name":"new"}
            ~ .rows[3].name: "s3" -> "s3!"
            - .gone: 1
            + .added: [true]
            4 changes (1 changed, 2 added, 1 removed); numbers compared by text

            """)
        // Piped output has no colours.
        #expect(!result.stdout.contains("\u{1b}"))

        // The same item: equal, silent, status 0.
        let same = try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-project", p1])
        #expect(same.status == 0 && same.stdout.isEmpty && same.stderr.isEmpty, "\(same.stderr)")
    }

    @Test func siteWideItemAndJSON() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let (p1, _) = try twoProjects(cli, a: #"{"n": 1.0, "s": "a\u00e9"}"#, b: "{}", site: #"{"s": "aé", "n": 1}"#)
        let text = try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-project", "site"])
        #expect(text.status == 1)
        // One engine: numbers by text; the string's escape is not a change.
        #expect(text.stdout.contains("~ .n: 1.0 -> 1\n"))
        #expect(text.stdout.contains("+++ samplesheets study (site-wide)\n"))
        #expect(!text.stdout.contains(".s"))
        #expect(try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-project", "site", "--numbers", "value"]).status == 0)

        let json = try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-project", "site", "--json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(object["equal"] as? Bool == false)
        #expect(object["numbers"] as? String == "text")
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect(changes.first?["kind"] as? String == "changed")
        #expect(changes.first?["path"] as? String == ".n")
        #expect((changes.first?["components"] as? [Any])?.first as? String == "n")
        #expect((changes.first?["old"] as? NSNumber)?.doubleValue == 1)
        let new = try #require(object["new"] as? [String: Any])
        #expect(new["engine"] as? String == "SQLite")

        let equal = try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-project", p1, "--json"])
        #expect(equal.status == 0)
        #expect(equal.stdout.contains("\"equal\": true") && equal.stdout.contains("\"changes\": []"))
    }

    @Test func anotherStoreOpenedReadOnly() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let other = cli.dir.appendingPathComponent("other.sqlite3").path
        let p1 = uuid(try cli.run(["project", "add", "Liver Cohort"]))
        #expect(try cli.run(["set", "samplesheets", "study", "-p", p1, "--data", "[1, 2, 3]"]).status == 0)
        // The project of the same UUID in the other store, with the item one element longer.
        #expect(try CLI.run(["project", "add", "Liver Cohort", "--uuid", p1, "--db", other, "--config", cli.config]).status == 0)
        #expect(try CLI.run(["set", "samplesheets", "study", "-p", p1, "--data", "[1, 2, 2.5, 3]", "--db", other, "--config", cli.config]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: other))
        let result = try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-db", other])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("+++ samplesheets study in project \(p1) (Liver Cohort) in \(other)\n"))
        #expect(result.stdout.contains("+ .[2]: 2.5\n"))
        #expect(result.stdout.contains("1 change (0 changed, 1 added, 0 removed)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == before)

        // Missing on the other side: trouble, status 2, one line naming it.
        let missing = try cli.run(["diff", "samplesheets", "nothing", "-p", p1, "--in-db", other])
        #expect(missing.status == 2)
        let site = try cli.run(["diff", "samplesheets", "study", "--in-db", other])
        #expect(site.status == 2)
        #expect(site.stderr.contains("No cached item \"samplesheets:study\" (site-wide)"), "\(site.stderr)")
        let gone = cli.dir.appendingPathComponent("gone.sqlite3").path
        let noStore = try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-db", gone])
        #expect(noStore.status == 2 && oneLine(noStore), "\(noStore.stderr)")
        #expect(noStore.stderr.contains(gone))
        #expect(!FileManager.default.fileExists(atPath: gone))
    }

    @Test func troubleExitsTwoAndUsageMistakes64() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let (p1, p2) = try twoProjects(cli, a: "{}", b: "{}")
        let absent = "0b8e8b8e-0000-4000-8000-000000000000"
        for args in [["diff", "samplesheets", "nothing", "-p", p1, "--in-project", p2],
                     ["diff", "samplesheets", "study", "-p", p1, "--in-project", absent],
                     ["diff", "samplesheets", "study", "-p", absent, "--in-project", p2],
                     ["diff", "samplesheets", "study", "-p", p1, "--in-project", "site"]] {
            let result = try cli.run(args)
            #expect(result.status == 2, "\(args): \(result.stderr)")
            #expect(oneLine(result) && result.stdout.isEmpty, "\(args): \(result.stderr)")
        }
        for args in [["diff", "samplesheets", "study", "-p", p1],
                     ["diff", "samplesheets", "study", "-p", p1, "--in-project", p2, "--in-db", cli.db],
                     ["diff", "samplesheets", "study", "-p", p1, "--in-project", "not-a-uuid"],
                     ["diff", "samplesheets", "study", "-p", p1, "--in-project", p2, "--numbers", "roughly"]] {
            let result = try cli.run(args)
            #expect(result.status == 64, "\(args): \(result.stderr)")
            #expect(oneLine(result), "\(args): \(result.stderr)")
        }
        #expect(try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-project", "not-a-uuid"]).stderr.contains("not-a-uuid"))
    }

    @Test func storeTextIsEscapedAndColoursOnlyOnATerminal() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let a = #"{"k\u001b]2;x\u0007": "red \u009b31m", "plain": "The quick brown fox jumps over the lazy dog, again and again"}"#
        let b = #"{"k\u001b]2;x\u0007": "red \u009b32m", "plain": "The quick brown cat jumps over the lazy dog, again and again"}"#
        let (p1, p2) = try twoProjects(cli, a: a, b: b)
        let piped = try cli.run(["diff", "samplesheets", "study", "-p", p1, "--in-project", p2])
        #expect(piped.status == 1)
        #expect(!piped.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) })
        #expect(piped.stdout.contains(#"~ .["k\u001b]2;x\u0007"]: "red \u009b31m" -> "red \u009b32m""#), "\(piped.stdout)")
        // A long string shows its changed part with some context.
        #expect(piped.stdout.contains(#"~ .plain: "The quick brown fox jumps over the lazy dog…" -> "The quick brown cat jumps over the lazy dog…""#), "\(piped.stdout)")

        // On a terminal (script(1) gives it one): colours, unless NO_COLOR.
        let command = "\(CLI.binary) diff samplesheets study -p \(p1) --in-project \(p2) --db \(cli.db) --config \(cli.config)"
        let underScript = ["-c", "script -qec '\(command)' /dev/null"]
        let tty = try CLI.run(underScript, env: ["NO_COLOR": ""], shell: true)
        #expect(tty.stdout.contains("\u{1b}[31mfox\u{1b}[0m") && tty.stdout.contains("\u{1b}[32mcat\u{1b}[0m"), "\(tty.stdout.debugDescription)")
        #expect(tty.stdout.contains(#""red \u009b3"#) && !tty.stdout.unicodeScalars.contains("\u{9b}"))
        let plain = try CLI.run(underScript, env: ["NO_COLOR": "1"], shell: true)
        #expect(plain.stdout.contains("brown fox jumps") && !plain.stdout.contains("\u{1b}["), "\(plain.stdout.debugDescription)")
    }
}
