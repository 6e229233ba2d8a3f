@testable import JSONKit

/// The token sequence of a document as the scanner reports it, for comparing documents.
struct TokenRecorder: JSONEventHandler {
    let bytes: [UInt8]
    var tokens: [String] = []

    mutating func begin(at start: Int) {}
    mutating func separator(first: Bool, depth: Int, next: Int) {}
    mutating func key(_ start: Int, _ end: Int) { tokens.append("K" + text(start, end)) }
    mutating func scalar(_ kind: JSONTokenKind, _ start: Int, _ end: Int) { tokens.append("\(kind)" + text(start, end)) }
    mutating func empty(isArray: Bool, _ start: Int, _ end: Int) { tokens.append(isArray ? "[]" : "{}") }
    mutating func open(isArray: Bool, _ start: Int, depth: Int) { tokens.append(isArray ? "[" : "{") }
    mutating func close(isArray: Bool, _ start: Int, depth: Int) { tokens.append(isArray ? "]" : "}") }

    func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }

    static func tokens(of bytes: [UInt8]) throws -> [String] {
        var recorder = TokenRecorder(bytes: bytes)
        try bytes.withUnsafeBufferPointer { try JSONScanner.scan($0, maxDepth: 512, handler: &recorder) }
        return recorder.tokens
    }
}
