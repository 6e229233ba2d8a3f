import CacheBrowser
import Foundation
import JSONKit

/// A JSON value with its key order, for building test documents.
indirect enum TestJSON {
    case object([(String, TestJSON)])
    case array([TestJSON])
    case string(String)
    case number(String)
    case literal(String)
}

/// A `PayloadDocument` pretty-printed from a `TestJSON` in JSONKit's style (two spaces a level,
/// `"key": value,`), with the path, fold and search behaviour the browser relies on.
final class TreeDocument: PayloadDocument, Sendable {
    let lines: [JSONLine]
    private let paths: [String]
    /// The compact JSON of each line's value (a closing line: its container's).
    private let values: [String]
    private let opening: [Int: PayloadFold]
    private let closing: [Int: PayloadFold]
    private let folds: [PayloadFold]

    init(_ value: TestJSON) {
        var builder = Builder()
        builder.emit(value, key: nil, path: "", depth: 0, last: true)
        lines = builder.lines
        paths = builder.paths
        values = builder.values
        opening = builder.opening
        closing = builder.closing
        folds = builder.folds
    }

    var lineCount: Int { lines.count }
    func payloadLine(_ index: Int) -> JSONLine { lines[index] }
    func fold(openingAt line: Int) -> PayloadFold? { opening[line] }
    func fold(closingAt line: Int) -> PayloadFold? { closing[line] }
    func path(ofLine line: Int) -> String { paths[line].isEmpty ? "." : paths[line] }

    func compactValue(ofLine line: Int, limit: Int) -> CompactValue {
        let text = Data(values[line].utf8)
        return text.count <= limit ? .json(text) : .tooLarge(byteCount: text.count)
    }

    func enclosingFolds(ofLine line: Int) -> [PayloadFold] {
        folds.filter { $0.startLine < line && line <= $0.endLine }.sorted { $0.startLine > $1.startLine }
    }

    func search(_ needle: String, fromLine: Int, forward: Bool, isCancelled: () -> Bool) -> Int? {
        guard !needle.isEmpty, !lines.isEmpty else { return nil }
        let n = lines.count
        for step in 1...n {
            let i = ((forward ? fromLine + step : fromLine - step) % n + n) % n
            if lines[i].segments.map(\.text).joined().lowercased().contains(needle.lowercased()) { return i }
        }
        return nil
    }

    /// `.key` for identifiers, `["key"]` otherwise (as jq writes paths).
    static func member(_ key: String) -> String {
        let identifier = key.first.map { $0.isLetter || $0 == "_" } == true
            && key.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
        return identifier ? "." + key : "[\"" + key + "\"]"
    }
}

/// Collects the lines, paths and folds of a `TestJSON` as it is printed.
private struct Builder {
    var lines: [JSONLine] = []
    var paths: [String] = []
    var values: [String] = []
    var opening: [Int: PayloadFold] = [:]
    var closing: [Int: PayloadFold] = [:]
    var folds: [PayloadFold] = []

    mutating func emit(_ value: TestJSON, key: String?, path: String, depth: Int, last: Bool) {
        var head: [JSONSegment] = []
        if let key { head = [JSONSegment(text: "\"\(key)\"", kind: .key), JSONSegment(text: ": ", kind: .punctuation)] }
        let comma = last ? [] : [JSONSegment(text: ",", kind: .punctuation)]
        func scalar(_ text: String, _ kind: JSONTokenKind) {
            lines.append(JSONLine(indent: depth * 2, segments: head + [JSONSegment(text: text, kind: kind)] + comma))
            paths.append(path)
            values.append(value.text)
        }
        switch value {
        case .string(let s): scalar("\"\(s)\"", .string)
        case .number(let s): scalar(s, .number)
        case .literal(let s): scalar(s, .literal)
        case .object(let members):
            container(head: head, comma: comma, text: value.text, open: "{", close: "}", count: members.count, isArray: false, path: path, depth: depth) { builder in
                for (i, (k, v)) in members.enumerated() {
                    builder.emit(v, key: k, path: path + TreeDocument.member(k), depth: depth + 1, last: i == members.count - 1)
                }
            }
        case .array(let elements):
            container(head: head, comma: comma, text: value.text, open: "[", close: "]", count: elements.count, isArray: true, path: path, depth: depth) { builder in
                for (i, v) in elements.enumerated() {
                    builder.emit(v, key: nil, path: path + "[\(i)]", depth: depth + 1, last: i == elements.count - 1)
                }
            }
        }
    }

    mutating func container(
        head: [JSONSegment], comma: [JSONSegment], text: String, open: String, close: String, count: Int, isArray: Bool,
        path: String, depth: Int, body: (inout Builder) -> Void
    ) {
        if count == 0 {
            lines.append(JSONLine(indent: depth * 2, segments: head + [JSONSegment(text: open + close, kind: .punctuation)] + comma))
            paths.append(path)
            values.append(text)
            return
        }
        let start = lines.count
        lines.append(JSONLine(indent: depth * 2, segments: head + [JSONSegment(text: open, kind: .punctuation)]))
        paths.append(path)
        values.append(text)
        body(&self)
        lines.append(JSONLine(indent: depth * 2, segments: [JSONSegment(text: close, kind: .punctuation)] + comma))
        paths.append(path)
        values.append(text)
        let fold = PayloadFold(startLine: start, endLine: lines.count - 1, childCount: count, isArray: isArray)
        opening[start] = fold
        closing[lines.count - 1] = fold
        folds.append(fold)
    }
}
