import Foundation
import TestSupport
import Testing

/// `sodarcache metrics` and `synccache --metrics-file`, read back by Prometheus' own parsers.
@Suite struct MetricsCommandTests {
    /// An app name with every character a label value escapes but the line feed (config app
    /// names have no whitespace).
    static let oddApp = #"odd"app\name"#

    @Test func metricsAreValidPrometheusTextWithEveryAppsFigures() throws {
        let cli = try CLI(extraConfig: """
            [apps."odd\\"app\\\\name"]
            expect = ["x"]

            """)
        defer { cli.cleanUp() }
        let liver = try cli.run(["project", "add", "Liver"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try cli.run(["set", Self.oddApp, "x", "-p", liver, "--data", #"{"a": 1}"#]).status == 0)
        try cli.run(["set", "samplesheets", "rows", "-p", liver, "--data", "{}"])
        try cli.run(["set", "samplesheets", "site", "--data", "[1, 2]"])
        _ = try Faults.sqlite(cli.db, "UPDATE cache_item SET date_modified = 1700000000.5 WHERE name = 'site'")
        try cli.run(["project", "add", "Kidney"])

        let result = try cli.run(["metrics"])
        #expect(result.status == 0, "\(result.stderr)")
        let (families, samples) = try PrometheusParsers.parse(result.stdout)
        #expect(try PrometheusParsers.promtool(result.stdout).isEmpty)
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        #expect(families["sodarcache_items"] == "gauge")
        #expect(value("sodarcache_items", ["app": "samplesheets"]) == 2)
        // The label value read back is the app's name, quotes and backslash included.
        #expect(value("sodarcache_items", ["app": Self.oddApp]) == 1)
        #expect(value("sodarcache_bytes", ["app": "samplesheets"]) == 8)
        #expect(value("sodarcache_oldest_item_timestamp_seconds", ["app": "samplesheets"]) == 1_700_000_000.5)
        #expect((value("sodarcache_newest_item_timestamp_seconds", ["app": "samplesheets"]) ?? 0) > 1_700_000_000.5)
        #expect(value("sodarcache_store_items") == 3)
        #expect(value("sodarcache_store_totals_estimated") == 0)
        #expect(value("sodarcache_projects", ["type": "project"]) == 2)
        // The doctor's counts: one cleared payload; Kidney lacks the odd app's expected item.
        #expect(value("sodarcache_doctor_findings", ["check": "cleared", "severity": "warning"]) == 1)
        #expect(value("sodarcache_doctor_findings", ["check": "missing", "severity": "critical"]) == 1)
        #expect(value("sodarcache_doctor_status") == 2)
        #expect(value("sodarcache_doctor_stale_threshold_seconds") == 2_592_000)
        // No sync history is kept yet: no sync families.
        #expect(!families.keys.contains { $0.hasPrefix("sodarcache_sync") })

        // Without the doctor: no counts, the rest the same.
        let cheap = try cli.run(["metrics", "--no-doctor"])
        let (cheapFamilies, _) = try PrometheusParsers.parse(cheap.stdout)
        #expect(cheapFamilies["sodarcache_doctor_findings"] == nil && cheapFamilies["sodarcache_items"] == "gauge")

        // --output: written whole, readable by node_exporter, no temporary file left beside it.
        let textfile = cli.dir.appendingPathComponent("textfile")
        try FileManager.default.createDirectory(at: textfile, withIntermediateDirectories: true)
        let prom = textfile.appendingPathComponent("sodarcache.prom").path
        #expect(try cli.run(["metrics", "--output", prom]).status == 0)
        #expect(try PrometheusParsers.parse(String(contentsOfFile: prom, encoding: .utf8)).samples.count == samples.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: textfile.path) == ["sodarcache.prom"])
        #expect((try FileManager.default.attributesOfItem(atPath: prom)[.posixPermissions] as? Int) == 0o644)
        let nowhere = try cli.run(["metrics", "--output", cli.dir.path + "/no/such/dir/x.prom"])
        #expect(nowhere.status == 64 && nowhere.stderr.contains("no directory") && nowhere.stdout.isEmpty)
    }

    @Test func synccacheWritesEachAppsOutcomeAtomicallyHoweverTheRunEnds() throws {
        let cli = try CLI(apps: ["samplesheets"])
        defer { cli.cleanUp() }
        try Data(try SyncCommandTests.config(scripts: cli.dir).utf8).append(toFile: cli.config)
        try cli.run(["project", "add", "Liver"])
        try cli.run(["project", "add", "Kidney"])
        let textfile = cli.dir.appendingPathComponent("textfile")
        try FileManager.default.createDirectory(at: textfile, withIntermediateDirectories: true)
        let prom = textfile.appendingPathComponent("sync.prom").path

        let before = Date().timeIntervalSince1970
        let sync = try cli.run(["synccache", "--metrics-file", prom])
        #expect(sync.status == 1, "\(sync.stderr)")
        let text = try String(contentsOfFile: prom, encoding: .utf8)
        let (families, samples) = try PrometheusParsers.parse(text)
        #expect(try PrometheusParsers.promtool(text).isEmpty)
        func value(_ name: String, _ app: String? = nil) -> Double? {
            samples.first { $0.name == name && $0.labels == (app.map { ["app": $0] } ?? [:]) }?.value
        }
        #expect(value("sodarcache_sync_run_success", "alpha") == 1)
        #expect(value("sodarcache_sync_run_success", "broken") == 0)
        #expect(value("sodarcache_sync_run_failures", "broken") == 2)
        #expect(value("sodarcache_sync_run_failures", "alpha") == 0)
        #expect(value("sodarcache_sync_run_units", "alpha") == 2)
        #expect(value("sodarcache_sync_run_items_written", "alpha") == 2)
        #expect((value("sodarcache_sync_last_success_timestamp_seconds", "alpha") ?? 0) >= before.rounded(.down))
        // A failed app has no last success in this file until the store keeps a sync history.
        #expect(value("sodarcache_sync_last_success_timestamp_seconds", "broken") == nil)
        #expect((value("sodarcache_sync_run_timestamp_seconds", "broken") ?? 0) >= before.rounded(.down))
        #expect((value("sodarcache_sync_run_duration_seconds", "alpha") ?? -1) >= 0)
        #expect(value("sodarcache_sync_run_cancelled") == 0)
        #expect(families["sodarcache_sync_run_success"] == "gauge")
        #expect(try FileManager.default.contentsOfDirectory(atPath: textfile.path) == ["sync.prom"])

        // One app: the file is replaced by that run's outcome.
        #expect(try cli.run(["synccache", "-a", "alpha", "--metrics-file", prom]).status == 0)
        let second = try PrometheusParsers.parse(String(contentsOfFile: prom, encoding: .utf8)).samples
        #expect(Set(second.compactMap { $0.labels["app"] }) == ["alpha"])

        // A file that cannot be written is refused before anything runs.
        try FileManager.default.removeItem(atPath: prom)
        let refused = try cli.run(["synccache", "--metrics-file", textfile.path])
        #expect(refused.status == 64 && refused.stderr.contains("it is a directory"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("Synchronizing"))
    }
}
