import Foundation
import Testing

/// `history`, `get --rev` and `diff --rev` on a SODAR site: the versions sodarcache replaced
/// there, kept in the host's local store, with a note that SODAR's other writers are not seen.
@Suite(.enabled(if: TestDatabase.available)) struct SiteHistoryCommandTests {
    static let note = "Note: a SODAR site's history holds the versions sodarcache replaced itself"

    @Test func historyGetRevAndDiffRevWorkOnASODARSiteAndSayWhatTheyCannotSee() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let liver = TestDatabase.liver
        func run(_ arguments: [String], _ payload: String? = nil) throws -> CLI.Result {
            try CLI.run(arguments + ["--db", db.uri, "--config", cli.config], stdin: payload.map { Data($0.utf8) })
        }
        for payload in [#"{"a": 1}"#, #"{"a": 1}"#, #"{"a": 2}"#] {
            #expect(try run(["set", "samplesheets", "study", "-p", liver], payload).status == 0)
        }
        let history = try run(["history", "samplesheets", "study", "-p", liver])
        #expect(history.status == 0, "\(history.stderr)")
        let lines = history.stdout.split(separator: "\n")
        // The identical rewrite kept nothing: the current item and one revision.
        #expect(lines.count == 3, "\(history.stdout)")
        #expect(lines[1].hasPrefix("current\t"))
        let rev = try #require(lines[2].split(separator: "\t").first.map(String.init))
        #expect(history.stderr.components(separatedBy: Self.note).count == 2, "\(history.stderr)")

        let old = try run(["get", "samplesheets", "study", "-p", liver, "--rev", rev, "--compact"])
        #expect(old.stdout == #"{"a": 1}"# + "\n", "\(old.stdout) \(old.stderr)")
        #expect(old.stderr.contains(Self.note))
        let diff = try run(["diff", "samplesheets", "study", "-p", liver, "--rev", rev])
        #expect(diff.status == 1, "\(diff.stdout) \(diff.stderr)")
        #expect(diff.stdout.contains("~ .a: 1 -> 2\n"), "\(diff.stdout)")
        #expect(diff.stderr.components(separatedBy: Self.note).count == 2)

        // A delete keeps the item's last version: the history outlives the item.
        #expect(try run(["delete", "samplesheets", "study", "-p", liver]).status == 0)
        let after = try run(["history", "samplesheets", "study", "-p", liver])
        #expect(after.status == 0)
        #expect(after.stdout.split(separator: "\n").count == 3, "\(after.stdout)")
        #expect(!after.stdout.contains("current"))
    }
}
