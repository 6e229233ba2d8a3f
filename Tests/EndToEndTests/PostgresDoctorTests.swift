import Foundation
import TestSupport
import Testing

/// `doctor` and `metrics` on a SODAR site's tables: the ages are creation times and say so,
/// site-wide items stored twice are critical, and no payload is read for the metrics' bytes.
@Suite(.enabled(if: TestDatabase.available)) struct PostgresDoctorTests {
    func run(_ cli: CLI, _ db: TestDatabase, _ args: [String]) throws -> CLI.Result {
        try CLI.run(args + ["--db", db.uri, "--config", cli.config])
    }

    @Test func siteWideItemsStoredTwiceAreCriticalOnASODARSite() throws {
        let cli = try CLI()
        defer { cli.cleanUp() }
        let db = try TestDatabase(sodar: true)
        try db.sql(
            """
            INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id) VALUES
                ('samplesheets', 'site/x', now(), gen_random_uuid(), '{"n": 1}', NULL),
                ('samplesheets', 'site/x', now(), gen_random_uuid(), '{"n": 2}', NULL),
                ('samplesheets', 'rows', now() - interval '90 days', gen_random_uuid(), '[1]', 2)
            """)
        let result = try run(cli, db, ["doctor"])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("DOCTOR CRITICAL - stale 1, duplicates 2 (critical) |"))
        #expect(result.stdout.contains("stale: created more than 30d ago"))
        #expect(result.stdout.contains("Ages are creation times"))
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("critical  duplicates  (site-wide)") && $0.hasSuffix("site/x stored 2 times") })
        let json = try #require(try JSONSerialization.jsonObject(with: try run(cli, db, ["doctor", "--json"]).stdoutData) as? [String: Any])
        #expect(json["age"] as? String == "creation")

        // Metrics: per-app counts and ages, no per-app bytes (SODAR's tables keep no sizes),
        // the store's total instead.
        let metrics = try run(cli, db, ["metrics"])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        let (families, samples) = try PrometheusParsers.parse(metrics.stdout)
        #expect(try PrometheusParsers.promtool(metrics.stdout).isEmpty)
        #expect(families["sodarcache_bytes"] == nil)
        #expect(samples.first { $0.name == "sodarcache_items" && $0.labels == ["app": "samplesheets"] }?.value == 3)
        #expect(samples.first { $0.name == "sodarcache_store_bytes" }.map { $0.value > 0 } == true)
        #expect(samples.first { $0.name == "sodarcache_doctor_findings" && $0.labels["check"] == "duplicates" }?.value == 2)
        #expect(metrics.stdout.contains("# HELP sodarcache_oldest_item_timestamp_seconds Time of each app's oldest item, unix seconds: its creation"))
    }
}
