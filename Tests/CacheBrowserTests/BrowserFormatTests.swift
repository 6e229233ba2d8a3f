import Foundation
import Testing
@testable import CacheBrowser

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
