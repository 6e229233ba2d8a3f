import Foundation
import Testing
import JSONKit

/// Inputs libFuzzer found (`fuzz/run.sh json`), kept as regression tests.
@Suite struct FuzzFindingsTests {
    /// A raw bidi override shows as `\u202e`; search used to scan the source bytes and miss
    /// what the screen shows.
    @Test(arguments: ["e", "202e", "u202", "U202E"])
    func searchFindsTextOfADisplayedEscape(needle: String) throws {
        let document = try JSONDocument(data: Data("[\"\u{202E}\"]".utf8))
        #expect(document.line(1).text == "  \"\\u202e\"")
        #expect(document.search(needle, fromLine: 0, forward: true) == 1)
        #expect(document.search(needle, fromLine: 2, forward: false) == 1)
    }

    @Test func searchStillSkipsLinesWithoutTheNeedle() throws {
        let document = try JSONDocument(data: Data("{\"a\": \"\u{7F}\", \"b\": \"x\"}".utf8))
        #expect(document.search("007f", fromLine: 0, forward: true) == 1)
        #expect(document.search("x", fromLine: 0, forward: true) == 2)
        #expect(document.search("q", fromLine: 0, forward: true) == nil)
    }
}
