import Foundation
import Testing
import JSONKit

@Suite struct PrinterTests {
    func pretty(_ text: String) throws -> String {
        String(decoding: try JSON.pretty(Data(text.utf8)), as: UTF8.self)
    }

    @Test func prettyKeepsOrderSpellingAndEmptyContainers() throws {
        let input = #"{"z":1.50,"a":[],"m":{},"s":"\u00e9\/","n":[1,{"x":null,"y":[true,false]}],"e":-0.5E+07}"#
        let expected = """
        {
          "z": 1.50,
          "a": [],
          "m": {},
          "s": "\\u00e9\\/",
          "n": [
            1,
            {
              "x": null,
              "y": [
                true,
                false
              ]
            }
          ],
          "e": -0.5E+07
        }

        """
        #expect(try pretty(input) == expected)
    }

    @Test func prettyOfScalarsAndWhitespaceInsideEmptyContainers() throws {
        #expect(try pretty(" 42 ") == "42\n")
        #expect(try pretty("[ ]") == "[]\n")
        #expect(try pretty("{\n}") == "{}\n")
        #expect(try JSON.pretty(Data("[1,[2]]".utf8), indent: 4) == Data("[\n    1,\n    [\n        2\n    ]\n]\n".utf8))
    }

    @Test func compactDropsAllWhitespaceOutsideStrings() throws {
        let input = "{ \"a b\" : [ 1 , 2.0 , { } ] ,\n \"c\" : \"x y\" }"
        #expect(try JSON.compact(Data(input.utf8)) == Data(#"{"a b":[1,2.0,{}],"c":"x y"}"#.utf8))
    }

    @Test func streamingInTinyChunksGivesTheSameBytes() throws {
        let input = Data(#"{"key with a long name": ["a long string value that spans chunks", 12345678901234567890], "b": {}}"#.utf8)
        var chunks: [Int] = []
        var out = Data()
        try JSON.prettyPrint(input, chunkSize: 16) { chunk in
            chunks.append(chunk.count)
            out.append(contentsOf: chunk)
        }
        #expect(out == (try JSON.pretty(input)))
        #expect(chunks.count > 5)
        // Tokens longer than the chunk are passed straight through; everything else fits.
        #expect(chunks.filter { $0 > 16 }.count <= 3)
    }

    @Test func streamingStopsAtTheFirstErrorAfterEmittingThePrefix() throws {
        var out = Data()
        #expect(throws: JSONError.self) {
            try JSON.compactPrint(Data("[1, 2, oops]".utf8), chunkSize: 16) { out.append(contentsOf: $0) }
        }
        #expect(String(decoding: out, as: UTF8.self).hasPrefix("[1,2,") || out.isEmpty)
    }

    struct SinkFull: Error {}

    @Test func sinkErrorsPropagateUnchanged() {
        #expect(throws: SinkFull.self) {
            try JSON.prettyPrint(Data("[1,2,3]".utf8), chunkSize: 16) { _ in throw SinkFull() }
        }
    }

    /// Our output must equal `jq --indent 2 .` wherever jq keeps the spelling as written.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/jq")))
    func prettyEqualsJq() throws {
        let input = #"""
        {"name":"sodar","nested":{"deep":[[],{},[1,2,[3]],{"k":"v"}]},"unicode":"日本 😀 é",
         "escapes":"a\"b\\c\nd\te","nums":[0,-1,10,3,1000000],"flags":[true,false,null],
         "table":[{"row":1,"cells":["a","b"]},{"row":2,"cells":[]}],"":{"":""}}
        """#
        let ours = try JSON.pretty(Data(input.utf8))
        let jq = try Self.runJq(Data(input.utf8))
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: jq, as: UTF8.self))
    }

    static func runJq(_ input: Data, arguments: [String] = ["--indent", "2", "."]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/jq")
        process.arguments = arguments
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("jsonkit-\(UUID().uuidString).json")
        try input.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        process.arguments = arguments + [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return out
    }
}
