import Foundation
import SodarCache
import StoreKernel
import Testing

@testable import SodarCacheSync

/// The config's `[doctor]` table and the apps' `expect` keys.
@Suite("Config: [doctor] and expect")
struct DoctorConfigTests {
    @Test("[doctor] and expect are read into the doctor's settings")
    func read() throws {
        let text = """
            [doctor]
            stale = "1d12h"
            oversized = "64MB"
            critical = ["orphans", "missing"]
            skip = ["cleared"]

            [apps.irodsbackend]
            expect = ["irods/stats", "irods/zones"]

            [apps."site.news"]
            command = ["news"]
            scope = "site"
            expect = ["news/latest"]

            [apps.samplesheets]
            title = "Sample Sheets"
            """
        let config = try SodarConfig.parse(text, file: "c.toml")
        let settings = config.doctorSettings
        #expect(settings.staleAfter == 36 * 3600)
        #expect(settings.oversizedBytes == 64 * 1024 * 1024)
        #expect(settings.critical == [.orphans, .missing])
        #expect(settings.skipped == [.cleared])
        #expect(settings.expectations == [
            DoctorExpectation(app: "irodsbackend", names: ["irods/stats", "irods/zones"]),
            DoctorExpectation(app: "site.news", names: ["news/latest"], siteWide: true),
        ])
        #expect(settings.severity(of: .orphans) == .critical)
        #expect(settings.severity(of: .stale) == .warning)
        // expect is not a command's key: an app without one registers and expects.
        #expect(PluginRegistry.appNames(config: config).contains("irodsbackend"))
    }

    @Test("without [doctor]: 30 days, 50 MiB, missing and duplicates critical, nothing skipped")
    func defaults() throws {
        let settings = try SodarConfig.parse("[apps.x]\ntitle = \"X\"\n", file: "c.toml").doctorSettings
        #expect(settings.staleAfter == 30 * 86400)
        #expect(settings.oversizedBytes == 50 * 1024 * 1024)
        #expect(settings.critical == [.missing, .duplicates])
        #expect(settings.skipped.isEmpty)
        #expect(settings.expectations.isEmpty)
        #expect(try SodarConfig.parse("[doctor]\ncritical = []\n", file: "c.toml").doctorSettings.critical.isEmpty)
        #expect(try SodarConfig.parse("[doctor]\noversized = 4096\n", file: "c.toml").doctorSettings.oversizedBytes == 4096)
    }

    @Test("a bad value is one line naming the file, the line, the key and the value", arguments: [
        ("[doctor]\nstale = \"6M\"", #"c.toml:2: doctor.stale: expected a duration such as "30d" (units s, m, h, d, w), got "6M""#),
        ("[doctor]\nstale = \"-1d\"", #"c.toml:2: doctor.stale: expected a duration such as "30d" (units s, m, h, d, w), got "-1d""#),
        ("[doctor]\nstale = \"0s\"", #"c.toml:2: doctor.stale: expected a duration such as "30d" (units s, m, h, d, w), got "0s""#),
        ("[doctor]\nstale = 30", "c.toml:2: doctor.stale: expected a duration such as \"30d\" (units s, m, h, d, w), got 30"),
        ("[doctor]\noversized = \"big\"", #"c.toml:2: doctor.oversized: expected a positive size such as "50MB", "1GB" or a byte count, got "big""#),
        ("[doctor]\noversized = 0", #"c.toml:2: doctor.oversized: expected a positive size such as "50MB", "1GB" or a byte count, got 0"#),
        ("[doctor]\ncritical = [\"orphan\"]", #"c.toml:2: doctor.critical: expected one of stale, cleared, oversized, orphans, duplicates, missing, got "orphan""#),
        ("[doctor]\ncritical = \"missing\"", #"c.toml:2: doctor.critical: expected an array of check names (stale, cleared, oversized, orphans, duplicates, missing), got "missing""#),
        ("[doctor]\nskip = [1]", "c.toml:2: doctor.skip: expected one of stale, cleared, oversized, orphans, duplicates, missing, got 1"),
        ("[doctor]\ncritical = [\"stale\"]\nskip = [\"stale\"]", #"c.toml:3: doctor.skip: "stale" is both critical and skipped"#),
        ("[doctor]\nstal = \"1d\"", "c.toml:2: doctor.stal: unknown key (known: critical, oversized, skip, stale)"),
        ("doctor = 1", "c.toml:1: doctor: expected a table, got 1"),
        ("[apps.x]\nexpect = \"irods/stats\"", #"c.toml:2: apps.x.expect: expected an array of item names, got "irods/stats""#),
        ("[apps.x]\nexpect = []", "c.toml:2: apps.x.expect: expected at least one item name (drop the key to expect none)"),
        ("[apps.x]\nexpect = [\"\"]", #"c.toml:2: apps.x.expect: expected an array of non-empty item names, got an element """#),
        ("[apps.x]\nexpect = [\"a\", \"a\"]", #"c.toml:2: apps.x.expect: "a" is named twice"#),
        ("[apps.x]\nexpect = [\"a\\u001b[2J\", 3]", "c.toml:2: apps.x.expect: expected an array of non-empty item names, got an element 3"),
    ])
    func badValues(text: String, message: String) throws {
        let error = try #require(throws: SyncError.self) { try SodarConfig.parse(text, file: "c.toml") }
        #expect(error.description == message)
        #expect(!error.description.contains("\n") && !error.description.contains("\u{1B}"))
    }

    @Test("durations: the command line's rules, shared")
    func durations() {
        #expect(Durations.seconds("90s") == 90)
        #expect(Durations.seconds("1d12h") == 129_600)
        #expect(Durations.seconds("2w") == 1_209_600)
        for bad in ["", "7", "6M", "7D", "-1d", "1y", "d", "1d 2h"] { #expect(Durations.seconds(bad) == nil, "\(bad)") }
    }
}
