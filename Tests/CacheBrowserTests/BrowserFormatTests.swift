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
}
