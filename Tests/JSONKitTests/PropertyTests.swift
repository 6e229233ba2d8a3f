import Foundation
import Testing
@testable import JSONKit

/// Properties over generated documents with random whitespace, escapes, raw unsafe scalars
/// and number spellings.
@Suite struct PropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test(arguments: seeds)
    func prettyKeepsTokensAndIsStable(seed: UInt64) throws {
        var generator = JSONGenerator(seed: seed)
        let text = generator.document()
        let data = Data(text.utf8)
        let pretty = try JSON.pretty(data)
        #expect(try TokenRecorder.tokens(of: Array(pretty)) == TokenRecorder.tokens(of: Array(data)), "\(text)")
        #expect(try JSON.pretty(pretty) == pretty)
        #expect(try JSON.compact(pretty) == JSON.compact(data))
        #expect(try JSON.pretty(JSON.compact(data)) == pretty)
    }

    @Test(arguments: seeds.prefix(100))
    func documentLinesAreTheEscapedPrettyLines(seed: UInt64) throws {
        var generator = JSONGenerator(seed: seed)
        let data = Data(generator.document().utf8)
        let pretty = String(decoding: try JSON.pretty(data), as: UTF8.self)
        let expected = pretty.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            .map { Display.escape(String($0)) }
        let doc = try JSONDocument(data: data)
        #expect((0..<doc.lineCount).map { doc.line($0).text } == expected)
        for container in doc.containers {
            #expect(expected[container.endLine].trimmingCharacters(in: .whitespaces).hasPrefix(container.isArray ? "]" : "}"))
        }
        // Search agrees with a plain scan of the displayed lines.
        for needle in ["a", "\": ", "[]", "e\\u", "é", ": [", "},", "0,", "\\u00", "1"] {
            let plain = expected.indices.first { expected[$0].lowercased().contains(needle.lowercased()) }
            let found = doc.search(needle, fromLine: doc.lineCount - 1, forward: true)
            #expect(found == plain, "needle \(needle)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/jq")))
    func prettyEqualsJqOnGeneratedDocuments() throws {
        for seed in UInt64(1)...25 {
            var generator = JSONGenerator(seed: seed, jqSafe: true)
            let data = Data(generator.document(maxDepth: 5).utf8)
            #expect(try JSON.pretty(data) == PrinterTests.runJq(data), "seed \(seed)")
        }
    }
}
