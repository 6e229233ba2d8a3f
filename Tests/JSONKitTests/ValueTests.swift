import Foundation
import Testing
import JSONKit

/// The value on a line, as the browser's `y` copies it: compact JSON of the original bytes.
@Suite struct ValueTests {
    static let spaced = #"""
        { "title" : "a \"b\" , c" , "paths" : { "/x y" : { "n" : 12 , "size" : 1.50 } , "/e" : { } } ,
          "rows" : [ [ 1 , 2 ] , { "k" : [ true ] } , null , [ ] ] }
        """#

    func document(_ text: String = spaced) throws -> JSONDocument {
        try JSONDocument(data: Data(text.utf8))
    }

    func copied(_ doc: JSONDocument, _ line: Int) -> String? {
        guard case .json(let data) = doc.compactValue(ofLine: line, limit: .max) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func eachLineCopiesItsValueWithoutKeyOrComma() throws {
        let doc = try document()
        #expect((0..<doc.lineCount).map { doc.line($0).text } == [
            "{", #"  "title": "a \"b\" , c","#, #"  "paths": {"#, #"    "/x y": {"#, #"      "n": 12,"#,
            #"      "size": 1.50"#, "    },", #"    "/e": {}"#, "  },", #"  "rows": ["#, "    [", "      1,", "      2",
            "    ],", "    {", #"      "k": ["#, "        true", "      ]", "    },", "    null,", "    []", "  ]", "}",
        ])
        #expect(copied(doc, 1) == #""a \"b\" , c""#)
        #expect(copied(doc, 3) == #"{"n":12,"size":1.50}"#)
        #expect(copied(doc, 4) == "12")
        #expect(copied(doc, 5) == "1.50")
        #expect(copied(doc, 7) == "{}")
        #expect(copied(doc, 10) == "[1,2]")
        #expect(copied(doc, 16) == "true")
        #expect(copied(doc, 19) == "null")
        #expect(copied(doc, 20) == "[]")
        // A closing line stands for its container.
        #expect(copied(doc, 6) == copied(doc, 3))
        #expect(copied(doc, 21) == "[[1,2],{\"k\":[true]},null,[]]")
        #expect(copied(doc, 22) == String(decoding: try JSON.compact(Data(Self.spaced.utf8)), as: UTF8.self))
        #expect(copied(doc, 0) == copied(doc, 22))
    }

    @Test func valueRangesAreTheSourceBytesOfTheValue() throws {
        let doc = try document()
        let text = Array(Self.spaced.utf8)
        func source(_ line: Int) -> String { String(decoding: text[doc.valueRange(ofLine: line)], as: UTF8.self) }
        #expect(source(3) == #"{ "n" : 12 , "size" : 1.50 }"#)
        #expect(source(20) == "[ ]")
        #expect(source(1) == #""a \"b\" , c""#)
        #expect(doc.valueRange(ofLine: 99) == 0..<0)
    }

    @Test func topLevelScalarsAndEmptyContainers() throws {
        #expect(copied(try document("  7  "), 0) == "7")
        #expect(copied(try document(#" "s p" "#), 0) == #""s p""#)
        #expect(copied(try document(" [ \n ] "), 0) == "[]")
    }

    @Test func aValueOverTheLimitIsMeasuredNotCopied() throws {
        let doc = try document()
        let full = try #require(copied(doc, 0)).utf8.count
        #expect(doc.compactValue(ofLine: 0, limit: full) == .json(Data(try #require(copied(doc, 0)).utf8)))
        #expect(doc.compactValue(ofLine: 0, limit: full - 1) == .tooLarge(byteCount: full))
        #expect(doc.compactValue(ofLine: 4, limit: 1) == .tooLarge(byteCount: 2))
    }

    /// Over generated documents (random whitespace, escapes, raw unsafe scalars): a line's
    /// value, pretty-printed again, is exactly the lines it covers.
    @Test(arguments: PropertyTests.seeds.prefix(100))
    func copiedValuesArePrettyPrintedAsTheLinesTheyCover(seed: UInt64) throws {
        var generator = JSONGenerator(seed: seed)
        let doc = try JSONDocument(data: Data(generator.document().utf8))
        let lines = (0..<doc.lineCount).map { doc.line($0) }
        for line in lines.indices {
            let value = try #require(copied(doc, line))
            #expect(try JSON.compact(Data(value.utf8)) == Data(value.utf8))
            if let closed = doc.containers.first(where: { $0.endLine == line && $0.startLine < line }) {
                #expect(copied(doc, closed.startLine) == value)
                continue
            }
            let end = doc.container(openingAt: line)?.endLine ?? line
            var covered = lines[line...end].map { $0.segments }
            if covered[0].first?.kind == .key { covered[0].removeFirst(2) }
            if covered[covered.count - 1].last == JSONSegment(text: ",", kind: .punctuation) {
                covered[covered.count - 1].removeLast()
            }
            let indent = lines[line].indent
            let shown = zip(lines[line...end], covered).map { line, segments in
                String(repeating: " ", count: line.indent - indent) + segments.map(\.text).joined()
            }
            let pretty = String(decoding: try JSON.pretty(Data(value.utf8)), as: UTF8.self)
                .split(separator: "\n").map { Display.escape(String($0)) }
            #expect(pretty == shown, "line \(line)")
        }
    }
}
