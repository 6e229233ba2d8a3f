import Foundation
import JSONKit
#if canImport(Glibc)
import Glibc
#endif

/// `sodarcache-bench json [FILE] [--mb N]`: MB/s of JSONKit's validate, streamed
/// pretty-print and JSONDocument building, with peak memory. Without FILE it first writes
/// a SODAR-like document of about N MB (default 50) to a temporary file.
enum JSONBench {
    static func run(_ arguments: [String]) {
        var file: String?
        var megabytes = 50
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument == "--mb", let value = rest.popFirst(), let n = Int(value) { megabytes = n } else { file = argument }
        }
        let path = file ?? {
            let generated = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-bench-\(megabytes)mb.json").path
            let started = ContinuousClock.now
            do {
                try generate(megabytes: megabytes, to: generated)
            } catch {
                fail("cannot write \(generated): \(error)")
            }
            print("generated \(generated) in \(format(ContinuousClock.now - started))")
            return generated
        }()
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("cannot read \(path)")
        }
        let mb = Double(data.count) / 1_000_000
        print(String(format: "file %@: %.1f MB", path, mb))
        print(String(format: "  read:              peak RSS %6.1f MB", peakMB()))
        do {
            try measure("validate", mb) { try JSON.validate(data) }
            guard let devNull = fopen("/dev/null", "w") else { return }
            defer { fclose(devNull) }
            var written = 0
            try measure("pretty -> /dev/null", mb) {
                try JSON.prettyPrint(data) { chunk in
                    written += fwrite(chunk.baseAddress, 1, chunk.count, devNull)
                }
            }
            print(String(format: "  pretty output:     %.1f MB", Double(written) / 1_000_000))
            var lines = 0
            var containers = 0
            try measure("JSONDocument", mb) {
                let document = try JSONDocument(data: data)
                lines = document.lineCount
                containers = document.containers.count
            }
            print("  document:          \(lines) lines, \(containers) containers")
            try searches(data)
        } catch {
            fail("\(error)")
        }
    }

    /// The browser's `/`: each needle from the second line on, so a needle found only at the
    /// top (or nowhere) searches the whole document.
    static func searches(_ data: Data) throws {
        let document = try JSONDocument(data: data)
        let needles = [
            "größe", "GRÖSSE", "Größer", "file_count", "sodarzone/x", "\"tags\": []", "}]", ": {},", ": 12345,", "ü", "試料x",
        ]
        for needle in needles {
            let started = ContinuousClock.now
            let line = document.search(needle, fromLine: 1, forward: true)
            let forward = seconds(ContinuousClock.now - started)
            let back = ContinuousClock.now
            _ = document.search(needle, fromLine: 1, forward: false)
            let backward = seconds(ContinuousClock.now - back)
            let label = ("search " + needle + ":").padding(toLength: 22, withPad: " ", startingAt: 0)
            print(String(format: "  %@%7.3f s forward, %7.3f s backward (line %@)",
                         label, forward, backward, line.map { String($0 + 1) } ?? "none"))
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("sodarcache-bench: \(message)\n".utf8))
        exit(1)
    }

    static func measure(_ name: String, _ mb: Double, _ body: () throws -> Void) throws {
        let started = ContinuousClock.now
        try body()
        let seconds = seconds(ContinuousClock.now - started)
        let label = (name + ":").padding(toLength: 19, withPad: " ", startingAt: 0)
        print(String(format: "  %@%7.3f s %8.1f MB/s   peak RSS %6.1f MB (%.2fx payload)",
                     label, seconds, mb / seconds, peakMB(), peakMB() / mb))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func format(_ d: Duration) -> String { String(format: "%.2f s", seconds(d)) }

    /// Peak resident set size of this process so far (ru_maxrss is in KiB on Linux).
    static func peakMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) * 1024 / 1_000_000
    }

    // MARK: - Generated SODAR-like payload

    /// Study tables (rows of cell objects), a file-statistics map keyed by iRODS path,
    /// long number arrays and non-ASCII text, streamed to disk in bounded memory.
    static func generate(megabytes: Int, to path: String) throws {
        guard let out = fopen(path, "w") else { throw CocoaError(.fileWriteUnknown) }
        defer { fclose(out) }
        let target = megabytes * 1_000_000
        var written = 0
        var buffer = ""
        func emit(_ text: String) {
            buffer += text
            if buffer.utf8.count > 1 << 16 { flush() }
        }
        func flush() {
            written += buffer.utf8.count
            _ = buffer.withCString { fputs($0, out) }
            buffer.removeAll(keepingCapacity: true)
        }
        let names = ["Sample", "Probe", "Extrakt", "試料", "Échantillon", "Проба", "🧬 seq"]
        let units = ["null", "{\"name\":\"mg/ml\",\"accession\":\"http://purl.obolibrary.org/obo/UO_0000176\"}"]
        emit("{\"project_uuid\":\"7f2a1b9c-0d3e-4f5a-8b6c-1d2e3f4a5b6c\",\"study\":{\"title\":\"Größe & Gewicht — パイロット\",\"tables\":{")
        var block = 0
        while written + buffer.utf8.count < target {
            if block > 0 { emit(",") }
            emit("\"s_study_\(block).txt\":{\"field_header\":[")
            for column in 0..<12 {
                if column > 0 { emit(",") }
                emit("{\"name\":\"Characteristics [col \(column)]\",\"type\":\"characteristics\",\"obj_cls\":\"GenericMaterial\",\"item_type\":\"SOURCE\",\"num_col\":\(column % 3 == 0),\"config_set\":false,\"editable\":true,\"col_type\":null}")
            }
            emit("],\"table_data\":[")
            for row in 0..<200 {
                if row > 0 { emit(",") }
                emit("[")
                for column in 0..<12 {
                    if column > 0 { emit(",") }
                    let name = names[(row + column) % names.count]
                    emit("{\"value\":\"\(name)-\(block)-\(row)-\(column)\",\"unit\":\(units[column % 2]),\"link\":null,\"uuid\":\"\(block)-\(row)-\(column)\",\"colspan\":1,\"tooltip\":\"line\\nbreak \\u00e9\",\"num\":\(Double(row * column) / 8)}")
                }
                emit("]")
            }
            emit("],\"col_last_vis\":[\(Array(repeating: "11", count: 40).joined(separator: ","))]},")
            emit("\"paths_\(block)\":{")
            for file in 0..<60 {
                if file > 0 { emit(",") }
                emit("\"/sodarZone/projects/7f/7f2a1b9c/sample_data/study_\(block)/assay_\(file % 4)/file_\(file).fastq.gz\":{\"file_count\":\(file * 3 + 1),\"size\":\(file + 1).50,\"modified\":\"2024-0\(file % 9 + 1)-12T10:00:00Z\",\"checksums\":[\(file),\(file * 7),\(file * 13)],\"tags\":[],\"meta\":{}}")
            }
            emit("}")
            block += 1
        }
        emit("},\"stats\":{\"blocks\":\(block),\"valid\":true}}}\n")
        flush()
    }
}
