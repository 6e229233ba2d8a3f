import Foundation
import JSONKit
import SodarCache
import Testing

/// JSONDiff: what a user reading `sodarcache diff` would see change, and what must not show.
@Suite struct DiffTests {
    func diff(_ old: String, _ new: String, options: JSONDiffOptions = JSONDiffOptions()) throws -> JSONDiffResult {
        try JSONDiff.compare(Data(old.utf8), Data(new.utf8), options: options)
    }

    /// One line per change: `~ path: old -> new`, `+ path: new`, `- path: old`.
    func lines(_ result: JSONDiffResult) -> [String] {
        result.changes.map { change in
            switch change.kind {
            case .changed:
                return "~ \(change.path): \(result.preview(change.oldRange!, old: true)) -> \(result.preview(change.newRange!, old: false))"
            case .added:
                return "+ \(change.path): \(result.preview(change.newRange!, old: false))"
            case .removed:
                return "- \(change.path): \(result.preview(change.oldRange!, old: true))"
            }
        }
    }

    /// `[{"id": 0, "name": "row 0"}, ...]`, one row per line.
    func rows(_ ids: [Int], name: (Int) -> String = { "row \($0)" }) -> String {
        "[\n" + ids.map { "  {\"id\": \($0), \"name\": \"\(name($0))\"}" }.joined(separator: ",\n") + "\n]"
    }

    // MARK: - Objects

    @Test func keyOrderAndWhitespaceDoNotCount() throws {
        let old = #"{"a": 1, "b": [1, 2], "c": {"x": "1", "y": null}}"#
        let new = "{\"c\":{\"y\":null,\"x\":\"1\"},\n \"b\" : [ 1,2 ], \"a\":1}"
        let result = try diff(old, new)
        #expect(result.isEqual)
        #expect(!result.isBounded)
    }

    @Test func nestedChangesAreFoundByPath() throws {
        let old = #"{"study": {"title": "Liver", "samples": [{"name": "s1", "age": 40}, {"name": "s2", "age": 51}]}, "gone": true, "kind": [1]}"#
        let new = #"{"kind": {"x": 1}, "study": {"samples": [{"age": 40, "name": "s1"}, {"name": "s2", "age": 52, "sex": "f"}], "title": "Liver"}, "new": null}"#
        let result = try diff(old, new)
        #expect(lines(result) == [
            "~ .study.samples[1].age: 51 -> 52",
            "+ .study.samples[1].sex: \"f\"",
            "- .gone: true",
            "~ .kind: [1] -> {\"x\":1}",
            "+ .new: null",
        ])
        let age = result.changes[0]
        #expect(age.path == ["study", "samples", 1, "age"])
        #expect(result.oldValue(age) == Data("51".utf8))
        #expect(result.newValue(age) == Data("52".utf8))
    }

    @Test func duplicateKeysTheLastOneCounts() throws {
        #expect(try diff(#"{"a": 1, "a": 2}"#, #"{"a": 2}"#).isEqual)
        #expect(try diff(#"{"a": 1, "b": 0, "\u0061": 2}"#, #"{"b": 0, "a": 2}"#).isEqual)
        #expect(try lines(diff(#"{"a": 1, "a": 2}"#, #"{"a": 1}"#)) == ["~ .a: 2 -> 1"])
        // Large objects match keys another way: the same rules.
        let many = (0..<20).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        let reversed = (0..<20).reversed().map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(try diff("{\(many), \"k3\": 30}", "{\(reversed)}").changes.map(\.path) == [["k3"]])
        #expect(try diff("{\(many), \"k\\u0033\": 3}", "{\(reversed), \"k20\": 1}").changes.map(\.path) == [["k20"]])
    }

    @Test func keysAreComparedDecodedAndShownEscaped() throws {
        #expect(try diff(#"{"\u00e9t\u00e9": 1}"#, #"{"été": 1}"#).isEqual)
        let result = try diff(#"{"a b": {"x\u001b[2J": 1, "/sodarZone/p": 2}}"#, #"{"a b": {"x\u001b[2J": 3, "/sodarZone/p": 4}}"#)
        #expect(result.changes.map(\.path.description) == [#".["a b"]["x\u001b[2J"]"#, #".["a b"]["/sodarZone/p"]"#])
        #expect(result.changes[0].path == ["a b", "x\u{1b}[2J"])
        // Nothing that drives a terminal gets through a path.
        let c1 = try diff("{\"\u{9b}31m\": 1}", "{\"\u{9b}31m\": 2}")
        #expect(c1.changes.map(\.path.description) == [#".["\u009b31m"]"#])
    }

    // MARK: - Arrays

    @Test func anInsertionInTheMiddleIsOneInsertion() throws {
        let ids = Array(0..<100)
        let result = try diff(rows(ids), rows(Array(0..<50) + [1000] + Array(50..<100)))
        #expect(lines(result) == [#"+ .[50]: {"id":1000,"name":"row 1000"}"#])
        #expect(result.changes[0].newPath == [50])
        #expect(result.changes[0].oldPath == nil)
        #expect(!result.isBounded)
    }

    @Test func aChangeAfterAnInsertionIsNamedOnBothSides() throws {
        let old = rows(Array(0..<100))
        let new = rows(Array(0..<10) + [500, 501] + Array(10..<95) + Array(97..<100)) { $0 == 70 ? "renamed" : "row \($0)" }
        let result = try diff(old, new)
        #expect(lines(result) == [
            #"+ .[10]: {"id":500,"name":"row 500"}"#,
            #"+ .[11]: {"id":501,"name":"row 501"}"#,
            #"~ .[72].name: "row 70" -> "renamed""#,
            #"- .[95]: {"id":95,"name":"row 95"}"#,
            #"- .[96]: {"id":96,"name":"row 96"}"#,
        ])
        #expect(result.changes[2].oldPath == [70, "name"])
        #expect(result.changes[2].newPath == [72, "name"])
    }

    @Test func aRowInsertedBesideAChangedRowPairsTheChangedOne() throws {
        let result = try diff(rows(Array(0..<10)), rows(Array(0..<5) + [100] + Array(5..<10)) { $0 == 5 ? "renamed" : "row \($0)" })
        #expect(lines(result) == [#"+ .[5]: {"id":100,"name":"row 100"}"#, #"~ .[6].name: "row 5" -> "renamed""#])
        // Without anything shared, replaced elements face each other by position.
        #expect(try lines(diff("[1, 2, 3, 4]", "[1, 5, 6, 4]")) == ["~ .[1]: 2 -> 5", "~ .[2]: 3 -> 6"])
        #expect(try lines(diff("[1, 2, 4]", "[1, 5, 6, 4]")) == ["~ .[1]: 2 -> 5", "+ .[2]: 6"])
    }

    @Test func insertionsAreFoundInAnotherEnginesSpelling() throws {
        // jsonb's output: keys reordered, no whitespace, numbers respelled; one row inserted.
        let old = rows(Array(0..<40))
        let respelled = "[" + (Array(0..<20) + [777] + Array(20..<40)).map { #"{"name":"row \#($0)","id":\#($0).0}"# }.joined(separator: ",") + "]"
        #expect(try lines(diff(old, respelled, options: JSONDiffOptions(numbersByValue: true))) == [#"+ .[20]: {"name":"row 777","id":777.0}"#])
    }

    @Test func repeatedElementsAlignThroughMyers() throws {
        // No element is unique, so the insertion is found by the edit-distance search.
        let old = "[" + Array(repeating: "1, 2", count: 10).joined(separator: ", ") + "]"
        let new = "[2, " + Array(repeating: "1, 2", count: 10).joined(separator: ", ") + ", 1]"
        let result = try diff(old, new)
        #expect(lines(result) == ["+ .[0]: 2", "+ .[21]: 1"])
        #expect(!result.isBounded)
    }

    @Test func pastTheBoundArraysArePairedByPositionAndSaySo() throws {
        let old = "{\"x\": [" + Array(repeating: "1, 2", count: 10).joined(separator: ", ") + "]}"
        let new = "{\"x\": [2, " + Array(repeating: "1, 2", count: 10).joined(separator: ", ") + ", 1]}"
        let bounded = try diff(old, new, options: JSONDiffOptions(maxEditDistance: 1))
        #expect(bounded.positionalArrays == [["x"]])
        #expect(bounded.isBounded)
        // Every old element now faces a new one (20 changed), and the last two are added.
        #expect(bounded.changes.filter { $0.kind == .changed }.count == 20)
        #expect(bounded.changes.suffix(2).map(\.path) == [["x", 20], ["x", 21]])
        #expect(bounded.changes.suffix(2).allSatisfy { $0.kind == .added })

        // Out of steps: a row inserted at the top makes every row after it look changed.
        let top = rows(Array(0..<30))
        let inserted = rows([99] + Array(0..<30)) { $0 == 29 ? "renamed" : "row \($0)" }
        #expect(try lines(diff(top, inserted)) == [#"+ .[0]: {"id":99,"name":"row 99"}"#, #"~ .[30].name: "row 29" -> "renamed""#])
        let noWork = try diff(top, inserted, options: JSONDiffOptions(maxAlignmentWork: 0))
        #expect(noWork.positionalArrays == [JSONPath()])
        #expect(noWork.changes.count == 61)
    }

    @Test func runsOfRemovalsAndReplacements() throws {
        let result = try diff(rows(Array(0..<30)), rows(Array(0..<10) + Array(15..<30)))
        #expect(result.changes.map(\.kind) == Array(repeating: .removed, count: 5))
        #expect(result.changes.map(\.path) == (10..<15).map { [.index($0)] })
        // A value of another type in an array is a change in place.
        #expect(try lines(diff("[1, [2], 3]", "[1, {\"a\": 2}, 3]")) == [#"~ .[1]: [2] -> {"a":2}"#])
    }

    // MARK: - Numbers

    @Test func numbersByValueOrByText() throws {
        let old = "[1.0, 1e2, 100, -0, 0.5, 12345678901234567890123, 1.10, 0.0001e4]"
        let new = "[1, 100, 1E+2, 0, 5e-1, 12345678901234567890123.000, 1.1, 1]"
        #expect(try diff(old, new, options: JSONDiffOptions(numbersByValue: true)).isEqual)
        #expect(try diff(old, new).changes.map(\.path) == (0..<8).map { [.index($0)] })
    }

    @Test func numbersByValueAreExactNotDoubles() throws {
        let byValue = JSONDiffOptions(numbersByValue: true)
        // Equal as Doubles, different as decimals.
        #expect(try lines(diff("[12345678901234567890123]", "[12345678901234567890124]", options: byValue))
            == ["~ .[0]: 12345678901234567890123 -> 12345678901234567890124"])
        #expect(try diff("[0.1000000000000000000001]", "[0.1]", options: byValue).changes.count == 1)
        #expect(try diff("[1e400]", "[1e401]", options: byValue).changes.count == 1)
        #expect(try diff("[-1]", "[1]", options: byValue).changes.count == 1)
        #expect(try diff("[1e400, 10e399, 1e-400]", "[1E+400, 1e400, 0.1e-399]", options: byValue).isEqual)
    }

    // MARK: - Strings

    @Test func stringsShowTheirChangedPart() throws {
        let old = #"{"s": "The quick brown fox jumps over the lazy dog, again and again and again"}"#
        let new = #"{"s": "The quick brown cat jumps over the lazy dog, again and again and again"}"#
        let result = try diff(old, new)
        let delta = try #require(result.stringDelta(result.changes[0], context: 6))
        #expect(delta.before == "brown ")
        #expect(delta.removed == "fox")
        #expect(delta.inserted == "cat")
        #expect(delta.after == " jumps")
        #expect(delta.isCutBefore && delta.isCutAfter)
        let shown = delta.shown(old: false)
        #expect(shown.lead + "[" + shown.changed + "]" + shown.trail == "\"…brown [cat] jumps…\"")
        // Whole strings when they are short.
        let short = JSONStringDelta(old: "Sample 1", new: "Sample 2")
        #expect(short.before == "Sample " && short.removed == "1" && short.inserted == "2" && short.after == "")
        #expect(!short.isCutBefore && !short.isCutAfter)
        // Never a split character; escapes as JSON writes them.
        let wide = JSONStringDelta(old: "Größe\n試料A", new: "Größe\n試料B", context: 2)
        #expect(wide.before == "\n試料" || wide.before == "試料")
        #expect(wide.shown(old: true).lead.hasPrefix("\"…"))
        let escaped = JSONStringDelta(old: "a\u{1b}b", new: "a\u{9b}b").shown(old: false)
        #expect(escaped.changed == "\\u009b")
        #expect(JSONStringDelta(old: "a\u{1b}b", new: "ab").shown(old: true).changed == "\\u001b")
    }

    @Test func stringEscapesDoNotCount() throws {
        #expect(try diff(#"["\u00e9", "\/", "\ud83e\uddec"]"#, #"["é", "/", "🧬"]"#).isEqual)
        #expect(try diff(#"["a\nb"]"#, #"["a\\nb"]"#).changes.count == 1)
    }

    // MARK: - Documents

    @Test func scalarAndEmptyDocuments() throws {
        #expect(try diff("1", " 1 ").isEqual)
        #expect(try lines(diff("1", "2")) == ["~ .: 1 -> 2"])
        #expect(try lines(diff("{}", "[]")) == ["~ .: {} -> []"])
        #expect(try lines(diff("[]", "[1]")) == ["+ .[0]: 1"])
        #expect(try lines(diff("{ }", "{\"a\": {}}")) == ["+ .a: {}"])
        #expect(try lines(diff("[true]", "[false]")) == ["~ .[0]: true -> false"])
        #expect(try diff("\"x\"", "\"x\"").isEqual)
    }

    @Test func invalidDocumentsAreRefusedNamingTheSide() throws {
        #expect(throws: JSONDiffError(side: .old, error: JSONError(line: 1, column: 1, message: "expected a JSON value, found end of input"))) {
            try diff("", "{}")
        }
        let error = try #require(throws: JSONDiffError.self) { try diff("{}", "{\n\"a\": [1,]}") }
        #expect(error.side == .new)
        #expect(error.error.line == 2 && error.error.column == 9)
        #expect(error.description == "the new document is not valid JSON: line 2, column 9: expected a value after ',', found ']' (trailing commas are not allowed)")
    }

    @Test func previewsAreCompactCutAndEscaped() throws {
        let result = try diff("{\"a\": 1}", "{\"a\": {\"long\": \"\(String(repeating: "x", count: 300))\", \"c1\": \"\u{9b}\"}}")
        let preview = result.preview(result.changes[0].newRange!, old: false, limit: 20)
        #expect(preview == "{\"long\":\"xxxxxxxxxxx…")
        let all = result.preview(result.changes[0].newRange!, old: false, limit: 1000)
        #expect(all.hasSuffix(#""c1":"\u009b"}"#))
    }

    // MARK: - Cancelling

    /// 2,000 rows whose every `v` changed: about 4,000 containers entered.
    func manyChanges() -> (Data, Data) {
        let rows = { (add: Int) in "[" + (0..<2000).map { "{\"id\": \($0), \"v\": [\($0 + add)]}" }.joined(separator: ",") + "]" }
        return (Data(rows(0).utf8), Data(rows(1).utf8))
    }

    @Test func aDiffNothingCancelsIsTheSameAndIsAskedNowAndThen() throws {
        let (old, new) = manyChanges()
        let asked = Locked(0)
        let result = try #require(try JSONDiff.compare(old, new) { asked.withLock { $0 += 1 }; return false })
        #expect(result.changes == (try JSONDiff.compare(old, new)).changes)
        #expect(result.changes.count == 2000)
        // Between the scans, then every 64 tasks: not once per container, nor only once.
        #expect((20...200).contains(asked.withLock { $0 }))
    }

    @Test func aCancelledDiffStopsAtTheNextAskAndGivesNoResult() throws {
        let (old, new) = manyChanges()
        let asked = Locked(0)
        let result = try JSONDiff.compare(old, new) { asked.withLock { $0 += 1; return $0 == 3 } }
        #expect(result == nil)
        #expect(asked.withLock { $0 } == 3)
        // Told at once: the new side is not even scanned (its error would say so).
        asked.withLock { $0 = 0 }
        #expect(try JSONDiff.compare(old, Data("[1,".utf8)) { asked.withLock { $0 += 1 }; return true } == nil)
        #expect(asked.withLock { $0 } == 1)
    }

    @Test func pathsRenderAsJq() {
        #expect(JSONPath().description == ".")
        #expect(JSONPath(["samples", 3, "name"]).description == ".samples[3].name")
        #expect(JSONPath([3, "a"]).description == ".[3].a")
        #expect(JSONPath(["a-b", "_ok9", "9no", ""]).description == #".["a-b"]._ok9["9no"][""]"#)
        #expect(JSONPath(["q\"\\"]).description == #".["q\"\\"]"#)
        #expect(JSONPath(["\u{202e}x"]).description == #".["\u202ex"]"#)
    }
}

/// A viewer finds each change's line in the pretty form of either document.
@Suite struct DiffLineTests {
    @Test func changesMapToTheLinesAViewerShows() throws {
        let old = #"{"study": {"rows": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}], "title": "T"}, "x": [1, 2]}"#
        let new = #"{"x": [1, 2, 3], "study": {"title": "T2", "rows": [{"id": 1, "name": "a"}, {"id": 5}, {"id": 2, "name": "c"}]}}"#
        let result = try JSONDiff.compare(Data(old.utf8), Data(new.utf8))
        let oldDoc = try JSONDocument(data: Data(old.utf8))
        let newDoc = try JSONDocument(data: Data(new.utf8))
        #expect(result.changes.count == 4, "\(result.changes.map { "\($0.kind) \($0.path)" })")
        for change in result.changes {
            if let range = change.newRange, let path = change.newPath {
                #expect(newDoc.path(ofLine: newDoc.line(ofOffset: range.lowerBound)) == path.description)
            }
            if let range = change.oldRange, let path = change.oldPath {
                #expect(oldDoc.path(ofLine: oldDoc.line(ofOffset: range.lowerBound)) == path.description)
            }
        }
        #expect(newDoc.line(ofOffset: 0) == 0)
        #expect(newDoc.line(ofOffset: 10_000) == newDoc.lineCount - 1)
    }
}
