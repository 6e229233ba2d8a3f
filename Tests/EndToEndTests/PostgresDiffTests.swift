import Foundation
import Testing

/// `sodarcache diff --in-db` between a SQLite store and a SODAR site's database, whose jsonb
/// reorders keys and respells numbers.
@Suite(.enabled(if: TestDatabase.available)) struct PostgresDiffTests {
    @Test func aSQLiteStoreAgainstASODARSiteComparesNumbersByValue() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        let liver = TestDatabase.liver
        let payload = #"{"z": [1, 2], "n": 1e2, "s": "caf\u00e9"}"#
        #expect(try CLI.run(["set", "samplesheets", "study", "-p", liver, "--db", db.uri, "--config", cli.config], stdin: Data(payload.utf8)).status == 0)
        #expect(try cli.run(["project", "add", "Liver", "--uuid", liver]).status == 0)
        #expect(try cli.run(["set", "samplesheets", "study", "-p", liver, "--data", payload]).status == 0)
        // jsonb holds {"n": 100, "s": "café", "z": [1, 2]}: the same values.
        let same = try cli.run(["diff", "samplesheets", "study", "-p", liver, "--in-db", db.uri])
        #expect(same.status == 0 && same.stdout.isEmpty, "\(same.stdout) \(same.stderr)")
        let byText = try cli.run(["diff", "samplesheets", "study", "-p", liver, "--in-db", db.uri, "--numbers", "text"])
        #expect(byText.status == 1)
        #expect(byText.stdout.contains("~ .n: 1e2 -> 100\n"), "\(byText.stdout)")

        #expect(try CLI.run(["set", "samplesheets", "study", "-p", liver, "--db", db.uri, "--config", cli.config],
                            stdin: Data(#"{"z": [1, 1.5, 2], "n": 100, "s": "café"}"#.utf8)).status == 0)
        let changed = try cli.run(["diff", "samplesheets", "study", "-p", liver, "--in-db", db.uri])
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("+ .z[1]: 1.5\n"), "\(changed.stdout)")
        #expect(changed.stdout.contains("+++ samplesheets study in project \(liver) (Liver) in "))
        #expect(changed.stdout.hasSuffix("1 change (0 changed, 1 added, 0 removed); numbers compared by value (SQLite against PostgreSQL (SODAR's jsonb))\n"))
        let json = try cli.run(["diff", "samplesheets", "study", "-p", liver, "--in-db", db.uri, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect((object["new"] as? [String: Any])?["engine"] as? String == "PostgreSQL (SODAR's jsonb)")
        #expect(object["numbers"] as? String == "value")

        // The other way round: the SODAR site is the item, the SQLite store the other side.
        let reverse = try CLI.run(["diff", "samplesheets", "study", "-p", liver, "--in-db", cli.db, "--db", db.uri, "--config", cli.config])
        #expect(reverse.status == 1)
        #expect(reverse.stdout.contains("- .z[1]: 1.5\n"), "\(reverse.stdout)")
    }
}
