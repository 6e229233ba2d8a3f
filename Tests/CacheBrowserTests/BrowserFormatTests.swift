import Foundation
import Testing
@testable import CacheBrowser
import JSONKit

/// Times and sizes for the columns, including values only a corrupt store would hold.
@Suite struct BrowserFormatTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func agesReadLikeAListShowsThem() {
        #expect(BrowserFormat.age(of: now.addingTimeInterval(-5), now: now) == "5s ago")
        #expect(BrowserFormat.age(of: now.addingTimeInterval(-180), now: now) == "3m ago")
        #expect(BrowserFormat.age(of: now.addingTimeInterval(-3 * 86400), now: now) == "3d ago")
        #expect(BrowserFormat.age(of: now.addingTimeInterval(60), now: now) == "now")
    }

    @Test func corruptDatesAndDurationsDoNotCrash() {
        #expect(BrowserFormat.age(of: Date(timeIntervalSince1970: -1e300), now: now) == "ages ago")
        #expect(BrowserFormat.age(of: Date(timeIntervalSince1970: 1e300), now: now) == "now")
        #expect(BrowserFormat.age(of: Date(timeIntervalSince1970: .nan), now: now) == "now")
        #expect(BrowserFormat.duration(.infinity) == "0s")
        #expect(BrowserFormat.duration(1e300) == BrowserFormat.duration(1e12))
        #expect(BrowserFormat.elapsed(-3) == "0:00")
        #expect(!BrowserFormat.exactTime(Date(timeIntervalSince1970: 1e300), timeZone: TimeZone(identifier: "UTC")!).isEmpty)
        #expect(!BrowserFormat.exactTime(Date(timeIntervalSince1970: -1e300), timeZone: TimeZone(identifier: "UTC")!).isEmpty)
    }
}

/// Item names share long prefixes (`irods/rows/<uuid>`): a name too long for its column keeps
/// its start and its end.
@Suite struct MiddleCutTests {
    @Test func longNamesKeepTheirEnds() {
        let name = "irods/shortcuts/assay/1f12ab34-0000-4000-8000-00000000d2a1"
        let cut = name.middleCut(to: 20)
        #expect(cut == "irods/short…0000d2a1")
        #expect(Display.width(cut) == 20)
        #expect("short".middleCut(to: 8) == "short   ")
    }

    @Test func wideAndControlCharactersStayAligned() {
        let cut = "患者サンプル/肝転移/\u{1B}[31m/end".middleCut(to: 15)
        #expect(Display.width(cut) == 15)
        #expect(!cut.contains("\u{1B}"))
        #expect(cut.hasSuffix("/end"))
    }

    @Test func compactSizesCountsAgesAndBarsFitTheirColumns() {
        #expect(BrowserFormat.shortSize(0) == "0B")
        #expect(BrowserFormat.shortSize(999) == "999B")
        #expect(BrowserFormat.shortSize(1000) == "1.0K")
        #expect(BrowserFormat.shortSize(1536) == "1.5K")
        #expect(BrowserFormat.shortSize(1_023_000) == "999K")
        #expect(BrowserFormat.shortSize(1_023_900) == "1.0M")
        #expect(BrowserFormat.shortSize(6_300_000) == "6.0M")
        #expect(BrowserFormat.shortSize(Int.max) == "8192P")
        #expect(BrowserFormat.shortCount(999) == "999")
        #expect(BrowserFormat.shortCount(1_234) == "1.2k")
        #expect(BrowserFormat.shortCount(12_345) == "12k")
        #expect(BrowserFormat.shortCount(1_000_001) == "1.0M")
        for value in [0, 5, 999, 1000, 9_949, 9_950, 99_999, 999_499, 999_500, 10_000_000, 123_456_789_012] {
            #expect(BrowserFormat.shortSize(value).count <= 5, "\(value)")
            #expect(BrowserFormat.shortCount(value).count <= 5, "\(value)")
        }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(BrowserFormat.shortAge(of: now.addingTimeInterval(-3 * 86400), now: now) == "3d")
        #expect(BrowserFormat.shortAge(of: now.addingTimeInterval(-1e13), now: now) == "ages")
        #expect(BrowserFormat.bar(0, width: 6) == "      ")
        #expect(BrowserFormat.bar(1e-9, width: 6) == "▏     ")
        #expect(BrowserFormat.bar(0.5, width: 6) == "███   ")
        #expect(BrowserFormat.bar(1, width: 6) == "██████")
        #expect(BrowserFormat.bar(7, width: 6) == "██████")
        #expect(BrowserFormat.bar(.nan, width: 6) == "")
        #expect(BrowserFormat.bar(0.5, width: 0) == "")
    }
}
