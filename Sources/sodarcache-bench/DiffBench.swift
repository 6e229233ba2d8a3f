import Foundation
import JSONKit
#if canImport(Glibc)
import Glibc
#endif

/// `sodarcache-bench diff OLD NEW [--by-value]`: JSONDiff of two files, timed, with the change
/// count and peak memory. `sodarcache-bench diff generate DIR [--mb N]` writes the inputs
/// `scripts/bench-diff.sh` uses: `old.json`, a SODAR-like document of about N MB (default 50:
/// study tables, big objects of arrays of rows of cell objects), `few.json` (the same with
/// five changes: a row inserted, a row removed, two cells and the title changed) and
/// `many.json` (a cell changed in every 25th row, every 400th row removed, a row inserted
/// after every 400th + 200th).
enum DiffBench {
    static func run(_ arguments: [String]) {
        var rest = arguments[...]
        if rest.first == "generate" {
            rest.removeFirst()
            var megabytes = 50
            var dir: String?
            while let argument = rest.popFirst() {
                if argument == "--mb", let value = rest.popFirst(), let n = Int(value) { megabytes = n } else { dir = argument }
            }
            guard let dir else { JSONBench.fail("usage: sodarcache-bench diff generate DIR [--mb N]") }
            generate(megabytes: megabytes, in: dir)
            return
        }
        var files: [String] = []
        var byValue = false
        while let argument = rest.popFirst() {
            if argument == "--by-value" { byValue = true } else { files.append(argument) }
        }
        guard files.count == 2 else { JSONBench.fail("usage: sodarcache-bench diff OLD NEW [--by-value] | diff generate DIR [--mb N]") }
        guard let old = FileManager.default.contents(atPath: files[0]), let new = FileManager.default.contents(atPath: files[1]) else {
            JSONBench.fail("cannot read \(files[0]) or \(files[1])")
        }
        let mb = Double(old.count + new.count) / 1_000_000
        print(String(format: "old %.1f MB, new %.1f MB; read: peak RSS %.1f MB", Double(old.count) / 1e6, Double(new.count) / 1e6, JSONBench.peakMB()))
        let started = ContinuousClock.now
        let result: JSONDiffResult
        do {
            result = try JSONDiff.compare(old, new, options: JSONDiffOptions(numbersByValue: byValue))
        } catch {
            JSONBench.fail("\(error)")
        }
        let seconds = JSONBench.seconds(ContinuousClock.now - started)
        var kinds: [JSONDiffChange.Kind: Int] = [:]
        for change in result.changes { kinds[change.kind, default: 0] += 1 }
        print(String(format: "JSONDiff.compare%@: %.3f s, %d changes (%d changed, %d added, %d removed), peak RSS %.1f MB (%.2fx the two payloads)",
                     byValue ? " (numbers by value)" : "", seconds, result.changes.count, kinds[.changed] ?? 0, kinds[.added] ?? 0,
                     kinds[.removed] ?? 0, JSONBench.peakMB(), JSONBench.peakMB() / mb))
        if result.isBounded { print("compared position by position past the bound: \(result.positionalArrays.map(\.description))") }
        for change in result.changes.prefix(5) { print("  \(change.kind) \(change.path)") }
    }

    // MARK: - Generated inputs

    enum Variant { case old, few, many }

    static let tables = 4

    static func generate(megabytes: Int, in dir: String) {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            JSONBench.fail("cannot create \(dir): \(error)")
        }
        // About 1.9 kB a row.
        let rowsPerTable = max(10, megabytes * 1_000_000 / 1_900 / tables)
        for (variant, name) in [(Variant.old, "old.json"), (.few, "few.json"), (.many, "many.json")] {
            let path = dir + "/" + name
            do {
                try write(variant, rowsPerTable: rowsPerTable, to: path)
            } catch {
                JSONBench.fail("cannot write \(path): \(error)")
            }
            print(path)
        }
    }

    static func write(_ variant: Variant, rowsPerTable: Int, to path: String) throws {
        guard let out = fopen(path, "w") else { throw CocoaError(.fileWriteUnknown) }
        defer { fclose(out) }
        var buffer = ""
        func emit(_ text: String) {
            buffer += text
            if buffer.utf8.count > 1 << 16 { flush() }
        }
        func flush() {
            _ = buffer.withCString { fputs($0, out) }
            buffer.removeAll(keepingCapacity: true)
        }
        let names = ["Sample", "Probe", "Extrakt", "試料", "Échantillon", "Проба", "🧬 seq"]
        let title = variant == .few ? "Größe & Gewicht — パイロット v2" : "Größe & Gewicht — パイロット"
        emit("{\"project_uuid\":\"7f2a1b9c-0d3e-4f5a-8b6c-1d2e3f4a5b6c\",\"title\":\"\(title)\",\"studies\":{")
        for table in 0..<tables {
            if table > 0 { emit(",") }
            emit("\"s_study_\(table).txt\":{\"field_header\":[")
            for column in 0..<12 {
                if column > 0 { emit(",") }
                emit("{\"name\":\"Characteristics [col \(column)]\",\"type\":\"characteristics\",\"obj_cls\":\"GenericMaterial\",\"num_col\":\(column % 3 == 0),\"editable\":true,\"col_type\":null}")
            }
            emit("],\"table_data\":[")
            var first = true
            func row(_ r: Int, inserted: Bool = false) {
                if !first { emit(",") }
                first = false
                emit("[")
                for column in 0..<12 {
                    if column > 0 { emit(",") }
                    let name = names[(r + column) % names.count]
                    var value = "\(name)-\(table)-\(r)-\(column)"
                    if inserted { value = "inserted-" + value }
                    if variant == .many && r % 25 == 7 && column == 0 { value += " (edited)" }
                    if variant == .few && table == 1 && r == rowsPerTable / 3 && column == 3 { value += " (edited)" }
                    var num = "\(Double(r * column) / 8)"
                    if variant == .few && table == 3 && r == 10 && column == 5 { num = "-1.5" }
                    emit("{\"value\":\"\(value)\",\"unit\":\(column % 2 == 0 ? "null" : "{\"name\":\"mg/ml\",\"accession\":\"http://purl.obolibrary.org/obo/UO_0000176\"}"),\"link\":null,\"uuid\":\"\(table)-\(r)-\(column)\",\"colspan\":1,\"tooltip\":\"line\\nbreak \\u00e9\",\"num\":\(num)}")
                }
                emit("]")
            }
            for r in 0..<rowsPerTable {
                if variant == .few && table == 2 && r == rowsPerTable / 2 { continue }
                if variant == .many && r % 400 == 0 && r > 0 { continue }
                row(r)
                if variant == .few && table == 0 && r == rowsPerTable / 2 { row(r + 1_000_000, inserted: true) }
                if variant == .many && r % 400 == 200 { row(r + 1_000_000, inserted: true) }
            }
            emit("],\"col_last_vis\":[\(Array(repeating: "11", count: 40).joined(separator: ","))]}")
        }
        emit("}}\n")
        flush()
    }
}
