import Foundation
import TestSupport
import Testing

/// A hot standby (what admins are often given to read): everything reads, and the session may
/// write nothing, whatever the role's grants say.
@Suite(.serialized, .enabled(if: TestDatabase.available)) struct StandbyTests {
    @Test func onAHotStandbyEveryReadWorksAndEveryWriteIsRefusedUpFront() throws {
        let cluster = try PostgresFaultTests.Cluster()
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        let db = try TestDatabase(server: cluster.uri)
        #expect(try CLI.run(["set", "samplesheets", "x", "--data", "{}", "--db", db.uri, "--config", cli.config]).status == 0)
        let standbyDir = cluster.dir + "-standby"
        let server = try PostgresFaultTests.Cluster.run(["standby", cluster.dir, standbyDir]).trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? PostgresFaultTests.Cluster.run(["stop", standbyDir]) }
        let standby = TestDatabase.uri(server, database: db.name)
        // The standby replays the primary: wait for the store to be there.
        var listed = try CLI.run(["ls", "--db", standby, "--config", cli.config])
        try waitUntil(timeout: 20, every: 0.2) {
            listed = try CLI.run(["ls", "--db", standby, "--config", cli.config])
            return listed.status == 0 && listed.stdout.contains("samplesheets")
        }
        #expect(listed.status == 0 && listed.stdout.contains("samplesheets"), "\(listed.stderr)")
        for args in [["set", "samplesheets", "y", "--data", "{}"], ["delete", "samplesheets", "x"], ["deletecache"]] {
            let refused = try CLI.run(args + ["--db", standby, "--config", cli.config])
            #expect(refused.status == 1, "\(args)")
            #expect(refused.stderr.contains("the server is a hot standby"), "\(args): \(refused.stderr)")
        }
    }
}
