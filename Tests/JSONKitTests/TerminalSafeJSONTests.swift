import Foundation
import Testing
@testable import JSONKit

/// JSON bound for a terminal: C1 controls, DEL and bidi overrides become escapes, even when a
/// character is split between chunks; everything else passes unchanged.
@Suite struct TerminalSafeJSONTests {
    func filtered(_ text: String, chunk: Int) -> String {
        let bytes = Array(text.utf8)
        var filter = TerminalSafeJSON()
        var out: [UInt8] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { filter.filter($0) { out.append(contentsOf: $0) } }
            start = end
        }
        filter.finish { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func unsafeCharactersBecomeEscapesAtAnyChunkSize() {
        let input = "{\"a\u{9B}b\": \"x\u{202E}y\u{7F}z\u{2066}\", \"ok\": \"é東🧬\u{85}\"}"
        let expected = "{\"a\\u009bb\": \"x\\u202ey\\u007fz\\u2066\", \"ok\": \"é東🧬\\u0085\"}"
        for chunk in [1, 2, 3, 5, 64] {
            #expect(filtered(input, chunk: chunk) == expected, "chunk \(chunk)")
        }
    }

    @Test func safeTextPassesUnchanged() throws {
        let input = "{\"path\": \"/sodarZone/projects/ab\", \"n\": [1.50, true, null], \"t\": \"\u{2019}\u{2030}\"}"
        #expect(filtered(input, chunk: 4) == input)
        try JSON.validate(Data(filtered("[\"\u{9B}\"]", chunk: 1).utf8))
    }
}
