import Foundation
import Testing

/// Commands that only read never wait for the write lock, and the times they print agree.
@Suite struct ReadWhileWritingTests {
    @Test func readingCommandsAnswerAtOnceWhileAnotherProcessHoldsTheWriteLock() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let project = try cli.run(["project", "add", "P"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try cli.run(["set", "samplesheets", "x", "-p", project, "--data", "{\"a\": 1}"]).status == 0)
        let holder = try LockHolder(db: cli.db)
        defer { holder.release() }
        for command in [["ls"], ["ls", "--json"], ["get", "samplesheets", "x", "-p", project],
                        ["update-time", "samplesheets", "x", "-p", project], ["project", "list"], ["apps"]] {
            let started = Date()
            let result = try cli.run(command)
            let elapsed = Date().timeIntervalSince(started)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            // The busy timeout is 5 s: a command that waited for the lock would take that long.
            #expect(elapsed < 3, "\(command) took \(elapsed) s")
        }
        // A write still waits for the lock and then says so in one line.
        let write = try cli.run(["set", "samplesheets", "y", "--data", "{}"])
        #expect(write.status != 0)
        #expect(write.stderr.contains("locked"))
    }

    @Test func updateTimeAndDateModifiedAgreeToTheMicrosecond() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let names = (0..<40).map { "item/\($0)" }
        for name in names {
            #expect(try cli.run(["set", "samplesheets", name, "--data", "[]"]).status == 0)
        }
        let listing = try cli.run(["ls", "--json"])
        let records = try #require(try JSONSerialization.jsonObject(with: listing.stdoutData) as? [[String: Any]])
        let dates = Dictionary(uniqueKeysWithValues: records.map { ($0["name"] as? String ?? "", $0["date_modified"] as? String ?? "") })
        let iso = ISO8601DateFormatter()
        for name in names {
            let time = try cli.run(["update-time", "samplesheets", name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let parts = time.split(separator: ".")
            try #require(parts.count == 2)
            let whole = iso.string(from: Date(timeIntervalSince1970: try #require(Double(parts[0]))))
            let expected = whole.dropLast() + "." + parts[1] + "Z"
            #expect(dates[name] == String(expected), "\(name): update-time \(time), date_modified \(dates[name] ?? "-")")
        }
    }
}
