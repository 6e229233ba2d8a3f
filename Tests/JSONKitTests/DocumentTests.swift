import Foundation
import Testing
import JSONKit

@Suite struct DocumentTests {
    static let sample = #"""
    {"title":"Study","paths":{"/sodarZone/x":{"file_count":12,"size":1.50},"/b":{}},
     "rows":[[1,2],{"k":[true]},null,[]],"n":0}
    """#

    func document(_ text: String = sample) throws -> JSONDocument {
        try JSONDocument(data: Data(text.utf8))
    }

    @Test func linesEqualThePrettyForm() throws {
        let doc = try document()
        let pretty = String(decoding: try JSON.pretty(Data(Self.sample.utf8)), as: UTF8.self)
        let expected = pretty.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(doc.lineCount == expected.count)
        #expect((0..<doc.lineCount).map { doc.line($0).text } == expected)
    }

    @Test func lineSegmentsCarryHighlightKinds() throws {
        let doc = try document()
        #expect(doc.line(4) == JSONLine(indent: 6, segments: [
            JSONSegment(text: "\"file_count\"", kind: .key),
            JSONSegment(text: ": ", kind: .punctuation),
            JSONSegment(text: "12", kind: .number),
            JSONSegment(text: ",", kind: .punctuation),
        ]))
        #expect(doc.line(5).segments.map(\.text) == ["\"size\"", ": ", "1.50"])
        #expect(doc.line(7).segments == [
            JSONSegment(text: "\"/b\"", kind: .key), JSONSegment(text: ": ", kind: .punctuation),
            JSONSegment(text: "{}", kind: .punctuation),
        ])
        #expect(doc.line(0) == JSONLine(indent: 0, segments: [JSONSegment(text: "{", kind: .punctuation)]))
        #expect(doc.line(999) == JSONLine(indent: 0, segments: []))
    }

    @Test func containersHaveLineRangesChildCountsAndDepth() throws {
        let doc = try document()
        #expect(doc.containers.first == JSONContainer(startLine: 0, endLine: 23, childCount: 4, depth: 0, isArray: false))
        #expect(doc.container(openingAt: 3) == JSONContainer(startLine: 3, endLine: 6, childCount: 2, depth: 2, isArray: false))
        #expect(doc.container(openingAt: 9) == JSONContainer(startLine: 9, endLine: 21, childCount: 4, depth: 1, isArray: true))
        #expect(doc.container(openingAt: 4) == nil)
        #expect(doc.containers.map(\.startLine) == doc.containers.map(\.startLine).sorted())
        // Empty containers are single lines, not containers.
        #expect(!doc.containers.contains { $0.childCount == 0 })
    }

    @Test func pathsAreJqStyle() throws {
        let doc = try document()
        #expect(doc.path(ofLine: 0) == ".")
        #expect(doc.path(ofLine: 1) == ".title")
        #expect(doc.path(ofLine: 4) == #".paths["/sodarZone/x"].file_count"#)
        #expect(doc.path(ofLine: 6) == #".paths["/sodarZone/x"]"#)
        #expect(doc.path(ofLine: 12) == ".rows[0][1]")
        #expect(doc.path(ofLine: 16) == ".rows[1].k[0]")
        #expect(doc.path(ofLine: 19) == ".rows[2]")
        #expect(doc.path(ofLine: 20) == ".rows[3]")
        #expect(doc.path(ofLine: 22) == ".n")
        #expect(doc.path(ofLine: 23) == ".")
        #expect(try document("[1]").path(ofLine: 1) == ".[0]")
        #expect(try document("7").path(ofLine: 0) == ".")
    }

    @Test func searchFindsDisplayedTextIgnoringCaseAndWraps() throws {
        let doc = try document()
        #expect(doc.search("FILE_count", fromLine: 0, forward: true) == 4)
        #expect(doc.search("file_count", fromLine: 4, forward: true) == 4)  // wraps to itself
        #expect(doc.search("true", fromLine: 20, forward: true) == 16)
        #expect(doc.search("\"k\": [", fromLine: 0, forward: true) == 15)  // rendered spacing
        #expect(doc.search("12,", fromLine: 0, forward: true) == 4)
        #expect(doc.search("{}", fromLine: 0, forward: true) == 7)
        #expect(doc.search("[]", fromLine: 0, forward: true) == 20)
        #expect(doc.search("absent", fromLine: 0, forward: true) == nil)
        #expect(doc.search("", fromLine: 0, forward: true) == nil)
    }

    @Test func searchBackwardAndAcrossManyMatches() throws {
        let doc = try document(#"["a","b","a","b","a"]"#)
        #expect(doc.search("a", fromLine: 3, forward: true) == 5)
        #expect(doc.search("a", fromLine: 3, forward: false) == 1)
        #expect(doc.search("\"a\"", fromLine: 1, forward: false) == 5)
        #expect(doc.search("A\",", fromLine: 1, forward: false) == 5 - 2)
    }

    @Test func unsafeScalarsInKeysAndStringsAreEscapedForDisplay() throws {
        let doc = try document("{\"k\\u001b\u{202e}\": \"x\u{7f}\u{85}\u{2066}y\"}")
        #expect(doc.line(1).segments.first == JSONSegment(text: "\"k\\u001b\\u202e\"", kind: .key))
        #expect(doc.line(1).segments.last == JSONSegment(text: "\"x\\u007f\\u0085\\u2066y\"", kind: .string))
        #expect(doc.search("\\u0085", fromLine: 0, forward: true) == 1)
        #expect(doc.path(ofLine: 1) == #".["k\u001b\u202e"]"#)
    }

    @Test func nonASCIINeedlesIgnoreCaseToo() throws {
        let doc = try document(#"["x","Élan","y"]"#)
        #expect(doc.search("élan", fromLine: 0, forward: true) == 2)
        let sizes = try document(#"{"a": "Größe", "b": {"c": "GRÖSSE"}, "d": ["x\u00f6", {}], "e": "x}]"}"#)
        #expect(sizes.search("größe", fromLine: 0, forward: true) == 1)
        #expect(sizes.search("grösse", fromLine: 1, forward: true) == 3)
        #expect(sizes.search("größe", fromLine: 1, forward: true) == 1)  // as `lowercased()`: SS is not ß
        #expect(sizes.search("ö", fromLine: 0, forward: false) == 3)
        #expect(sizes.search("U00F6", fromLine: 0, forward: true) == 6)  // the escape as the source has it
        #expect(sizes.search("{},", fromLine: 0, forward: true) == nil)
        #expect(sizes.search("{}", fromLine: 0, forward: true) == 7)
        #expect(sizes.search("}]", fromLine: 0, forward: true) == 9)  // inside a string, not the brackets
        #expect(sizes.search("größer", fromLine: 0, forward: true) == nil)
    }

    @Test func aCancelledSearchFindsNothing() throws {
        let big = try document("[" + Array(repeating: #""x""#, count: 600_000).joined(separator: ",") + #","y"]"#)
        #expect(big.search("y", fromLine: 0, forward: true) == 600_001)
        #expect(big.search("y", fromLine: 0, forward: true, isCancelled: { true }) == nil)
    }

    @Test func rejectsInvalidInputWithLineAndColumn() {
        #expect(throws: JSONError(line: 2, column: 3, message: "expected a value after ',', found ']' (trailing commas are not allowed)")) {
            _ = try JSONDocument(data: Data("[1,\n  ]".utf8), maxDepth: 4)
        }
    }
}

@Suite struct LineCutTests {
    /// `{"k": "ab東\u001bcd", "n": 1}`: line 1 starts at `"k"` (offset 1).
    static let text = #"{"k": "ab東\u001bcd", "n": 1}"#

    @Test func aLineReadFromFewerBytesIsCutOnACharacterAndBeforeAnEscape() throws {
        let doc = try JSONDocument(data: Data(Self.text.utf8))
        #expect(doc.line(1, maxBytes: 1000) == doc.line(1))
        #expect(!doc.line(1, maxBytes: 1000).isCut)
        // Bytes: `"k": "ab` is 8, 東 3 more, `\u001b` 6 more.
        for (maxBytes, shown) in [(8, #""ab"#), (9, #""ab"#), (10, #""ab"#), (11, #""ab東"#), (14, #""ab東"#), (16, #""ab東"#), (17, #""ab東\u001b"#)] {
            let line = doc.line(1, maxBytes: maxBytes)
            #expect(line.isCut, "\(maxBytes)")
            #expect(line.segments.map(\.text) == [#""k""#, ": ", shown], "\(maxBytes)")
        }
        // The whole value and its comma fit: nothing is cut.
        #expect(!doc.line(1, maxBytes: 23).isCut)
        #expect(doc.line(1, maxBytes: 23).text == #"  "k": "ab東\u001bcd","#)
    }
}
