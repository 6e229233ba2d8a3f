import CacheBrowser
import Foundation
import SodarCache
import StoreKernel

/// `sodarcache-bench long-lines [--mb N]`
///
/// The payload view with and without `w` (wrapping) on payloads of N MB (default 50) in three
/// shapes: the SODAR-like document `json` generates (short lines), 100 KB strings (one a line),
/// and one string as long as the payload. For each: the document (validation and line index),
/// then per mode the first frame and the slowest of a few keys (`j`, `PgDn`, `>`, `G`), each
/// an update plus a full frame at 120x40.
enum LongLineBench {
    static func run(_ arguments: [String]) {
        do {
            var megabytes = 50
            for (argument, value) in try BenchArguments.pairs(arguments) {
                guard argument == "--mb" else { throw CacheError.invalidArgument("unknown option \(argument)") }
                megabytes = try BenchArguments.count(argument, value)
            }
            try measure(megabytes: megabytes)
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench long-lines: \(error)\n".utf8))
            exit(1)
        }
    }

    static func measure(megabytes: Int) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-bench-long-lines.json").path
        try JSONBench.generate(megabytes: megabytes, to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let sodar = FileManager.default.contents(atPath: path) else { throw CacheError.storeFailure("cannot read \(path)") }
        let bytes = megabytes * 1_000_000
        let chunk = String(repeating: "0123456789abcdef", count: 100_000 / 16)
        let strings = "[" + Array(repeating: "\"" + chunk + "\"", count: bytes / 100_000).joined(separator: ",") + "]"
        let blob = "{\"blob\": \"" + String(repeating: "0123456789abcdef", count: bytes / 16) + "\"}"
        for (name, data) in [("SODAR-like, short lines", sodar), ("100 KB strings", Data(strings.utf8)), ("one string", Data(blob.utf8))] {
            try shape(name, data)
        }
    }

    static func shape(_ name: String, _ data: Data) throws {
        let clock = ContinuousClock()
        var started = clock.now
        let document = try JSONPayloadDocument(data: data)
        let build = BrowserBench.seconds(clock.now - started)
        print(String(format: "%@: %.1f MB, %d lines; document %.0f ms", name, Double(data.count) / 1e6, document.lineCount, build * 1000))
        for wrap in [false, true] {
            var state = BrowserState(options: BrowserOptions(storePath: "bench"), now: Date(), width: 120, height: 40)
            let summary = ItemSummary(
                uuid: UUID(), project: nil, appName: "bench", name: name, user: nil, dateModified: Date(), size: data.count)
            var payload = PayloadState(summary: summary, generation: 1)
            payload.document = document
            payload.loading = false
            state.pane = .payload
            state.payload = payload
            state.payloadWrap = wrap
            started = clock.now
            _ = BrowserView.render(state)
            let first = BrowserBench.seconds(clock.now - started)
            var slowest = (0.0, "")
            for key: Key in [.char("j"), .pageDown, .char(">"), .char("j"), .char("G"), .char("<"), .char("g")] {
                started = clock.now
                _ = state.update(.key(key))
                _ = BrowserView.render(state)
                let took = BrowserBench.seconds(clock.now - started)
                if took > slowest.0 { slowest = (took, key.label) }
            }
            print(String(format: "  %@: first frame %.2f ms (document + first frame %.0f ms); slowest key + frame %.2f ms (%@)",
                         wrap ? "wrapped" : "cut    ", first * 1000, (build + first) * 1000, slowest.0 * 1000, slowest.1))
        }
    }
}
