import Foundation
import JSONKit

/// JSONKit: validate, pretty, compact, the document with its fold index, search and display
/// escaping agree on accept or reject, never crash; pretty output validates again, is stable,
/// and compacts to the compact form of the input.
enum JSONTarget: FuzzTarget {
    static let name = "json"

    static func outcome(_ body: () throws -> Void) -> JSONError? {
        do { try body(); return nil } catch let error as JSONError { return error } catch {
            check(false, "not a JSONError: \(error)")
            return nil
        }
    }

    static func run(_ data: Data) {
        let valid = outcome { try JSON.validate(data) }
        var pretty = Data()
        let prettyError = outcome { pretty = try JSON.pretty(data) }
        var streamed = Data()
        // A tiny chunk size makes every token cross a chunk boundary somewhere.
        let streamedError = outcome { try JSON.prettyPrint(data, chunkSize: 7) { streamed.append(contentsOf: $0) } }
        var compact = Data()
        let compactError = outcome { compact = try JSON.compact(data) }
        var document: JSONDocument?
        let documentError = outcome { document = try JSONDocument(data: data) }
        check(prettyError == valid, "pretty \(String(describing: prettyError)) vs validate \(String(describing: valid))")
        check(streamedError == valid, "streamed pretty \(String(describing: streamedError)) vs validate \(String(describing: valid))")
        check(compactError == valid, "compact \(String(describing: compactError)) vs validate \(String(describing: valid))")
        check(documentError == valid, "document \(String(describing: documentError)) vs validate \(String(describing: valid))")

        // Display escaping never lets an unsafe scalar through, whatever the bytes.
        let text = String(decoding: data, as: UTF8.self)
        check(!Display.escape(text).unicodeScalars.contains(where: Display.isUnsafe), "escape left an unsafe scalar")
        terminalSafe(data, valid: valid == nil)

        if let error = valid {
            check(error.line >= 1 && error.column >= 1, "error position \(error)")
            return
        }
        check(pretty == streamed, "pretty and streamed pretty differ")
        check(outcome { try JSON.validate(pretty) } == nil, "pretty output does not validate")
        check((try? JSON.pretty(pretty)) == pretty, "pretty is not stable")
        check((try? JSON.compact(pretty)) == compact, "pretty does not compact to the input's compact form")
        check((try? JSON.compact(compact)) == compact, "compact is not stable")
        check(!compact.contains(UInt8(ascii: "\n")), "compact has a line break")
        guard let document else { return }
        lines(document, pretty: pretty)
        folds(document)
        search(document, needle: text)
    }

    /// The document's lines are the pretty lines, escaped for display.
    static func lines(_ document: JSONDocument, pretty: Data) {
        let expected = String(decoding: pretty, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        check(document.lineCount == expected.count, "document has \(document.lineCount) lines, pretty \(expected.count)")
        for (index, line) in expected.enumerated() {
            let rendered = document.line(index)
            let shown = rendered.text
            check(shown == Display.escape(String(line)), "line \(index): \(shown.debugDescription) vs \(line.debugDescription)")
            check(!shown.unicodeScalars.contains(where: Display.isUnsafe), "line \(index) shows an unsafe scalar")
            _ = document.path(ofLine: index)
        }
        check(document.line(-1).segments.isEmpty && document.line(document.lineCount).segments.isEmpty, "out-of-range line")
    }

    /// Every container spans lines inside the document, is found by its opening line, and
    /// nests inside its parent.
    static func folds(_ document: JSONDocument) {
        var previousStart = -1
        for container in document.containers {
            check(container.startLine >= 0 && container.startLine < container.endLine, "container \(container)")
            check(container.endLine < document.lineCount, "container past the end: \(container)")
            check(container.startLine > previousStart, "containers out of order")
            previousStart = container.startLine
            check(document.container(openingAt: container.startLine) == container, "lookup of \(container)")
            check(container.childCount >= 1, "empty container indexed: \(container)")
        }
    }

    /// Search returns a line inside the document that shows the needle (ASCII letters
    /// compared case-blind, as documented), and finds nothing only when no line shows it.
    static func search(_ document: JSONDocument, needle text: String) {
        let lineCount = document.lineCount
        // Needles from the input itself: a prefix, a middle slice, one with punctuation.
        let scalars = Array(text.unicodeScalars)
        var needles: [String] = ["\": ", "e"]
        if scalars.count > 2 {
            needles.append(String(String.UnicodeScalarView(scalars[1..<min(scalars.count, 5)])))
            needles.append(String(String.UnicodeScalarView(scalars[(scalars.count / 2)...].prefix(3))))
        }
        func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b | 0x20 : b }
        func shows(_ line: Int, _ folded: [UInt8]) -> Bool {
            let bytes = document.line(line).segments.map(\.text).joined().utf8.map(lower)
            guard folded.count <= bytes.count else { return false }
            return (0...(bytes.count - folded.count)).contains { Array(bytes[$0..<($0 + folded.count)]) == folded }
        }
        for needle in needles {
            let ascii = needle.utf8.allSatisfy { $0 < 0x80 }
            let folded = needle.utf8.map(lower)
            let anywhere = ascii && !needle.isEmpty && (0..<lineCount).contains { shows($0, folded) }
            for (from, forward) in [(0, true), (lineCount / 2, false), (lineCount - 1, true), (-3, false)] {
                let hit = document.search(needle, fromLine: from, forward: forward)
                guard let hit else {
                    check(!anywhere, "search for \(needle.debugDescription) found nothing, but a line shows it")
                    continue
                }
                check(hit >= 0 && hit < lineCount, "search hit \(hit) outside \(lineCount) lines")
                if ascii {
                    check(shows(hit, folded), "search for \(needle.debugDescription) hit line \(hit) without it: \(document.line(hit).text.debugDescription)")
                }
            }
        }
    }

    /// TerminalSafeJSON, fed in chunks of every size up to 4: same output whatever the split;
    /// a valid input stays valid with the same compact length or longer, and shows no unsafe scalar.
    static func terminalSafe(_ data: Data, valid: Bool) {
        func filtered(chunk: Int) -> Data {
            var filter = TerminalSafeJSON()
            var out = Data()
            var start = data.startIndex
            while start < data.endIndex {
                let end = min(data.endIndex, start + chunk)
                data[start..<end].withUnsafeBytes { raw in filter.filter(raw) { out.append(contentsOf: $0) } }
                start = end
            }
            filter.finish { out.append(contentsOf: $0) }
            return out
        }
        let whole = filtered(chunk: max(1, data.count))
        for size in 1...4 {
            check(filtered(chunk: size) == whole, "TerminalSafeJSON output depends on chunking (\(size))")
        }
        guard valid else { return }
        check(outcome { try JSON.validate(whole) } == nil, "TerminalSafeJSON made valid JSON invalid")
        let shown = String(decoding: whole, as: UTF8.self)
        check(!shown.unicodeScalars.contains { Display.isUnsafe($0) && $0 != "\n" && $0 != "\t" && $0 != "\r" },
              "TerminalSafeJSON left an unsafe scalar")
    }
}
