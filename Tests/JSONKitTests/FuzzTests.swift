import Foundation
import Testing
@testable import JSONKit

/// Randomized robustness test: mutated documents must be accepted or rejected the same way
/// by every entry point, never crash, and when accepted keep the printing properties.
/// Runs for `JSONKIT_FUZZ_SECONDS` (default 1) seconds; `JSONKIT_FUZZ_SEED` picks the start.
@Suite struct FuzzTests {
    static let interesting: [UInt8] = Array("{}[],:\"\\ \n-+.eE0123456789tfnu".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC2, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]

    @Test func mutatedDocumentsNeverCrashAndAgreeAcrossEntryPoints() throws {
        let env = ProcessInfo.processInfo.environment
        let seconds = Double(env["JSONKIT_FUZZ_SECONDS"] ?? "") ?? 1
        var rng = JSONGenerator.RNG(state: UInt64(env["JSONKIT_FUZZ_SEED"] ?? "") ?? 42)
        let deadline = Date().addingTimeInterval(seconds)
        var runs = 0
        var accepted = 0
        while Date() < deadline {
            var generator = JSONGenerator(seed: rng.next())
            var bytes = Array(generator.document(maxDepth: 4).utf8)
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
                let byte = Self.interesting.randomElement(using: &rng) ?? 0
                switch Int.random(in: 0..<3, using: &rng) {
                case 0 where !bytes.isEmpty: bytes[at] = byte
                case 1 where !bytes.isEmpty: bytes.remove(at: at)
                default: bytes.insert(byte, at: at)
                }
            }
            if try check(bytes) { accepted += 1 }
            runs += 1
        }
        #expect(runs > 0)
        #expect(accepted > 0 && accepted < runs, "mutations should produce both valid and invalid inputs")
    }

    /// Whether `bytes` was accepted; records an issue on any disagreement.
    func check(_ bytes: [UInt8]) throws -> Bool {
        let data = Data(bytes)
        let valid: JSONError?
        do { try JSON.validate(data); valid = nil } catch let e as JSONError { valid = e }
        let shown = String(decoding: bytes, as: UTF8.self).debugDescription
        var streamed = Data()
        do {
            try JSON.prettyPrint(data, chunkSize: 17) { streamed.append(contentsOf: $0) }
            #expect(valid == nil, "printer accepted what validate rejected: \(shown)")
        } catch let e as JSONError {
            #expect(e == valid, "printer and validate disagree on \(shown)")
        }
        let doc: JSONDocument?
        do { doc = try JSONDocument(data: data) } catch let e as JSONError {
            #expect(e == valid, "document and validate disagree on \(shown)")
            doc = nil
        }
        if let error = valid {
            #expect(error.line >= 1 && error.column >= 1)
            return false
        }
        #expect(try JSON.pretty(streamed) == streamed, "\(shown)")
        #expect(try TokenRecorder.tokens(of: Array(streamed)) == TokenRecorder.tokens(of: bytes), "\(shown)")
        if let doc {
            let lines = (0..<doc.lineCount).map { doc.line($0).text }
            let expected = String(decoding: streamed, as: UTF8.self)
                .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .map { Display.escape(String($0)) }
            #expect(lines == expected, "\(shown)")
            for line in 0..<doc.lineCount { _ = doc.path(ofLine: line) }
        }
        return true
    }
}
