import CacheBrowser
import CacheBrowserRuntime
import Foundation
import Logging
import SodarCache
import SodarCacheSQLite
#if canImport(Glibc)
import Glibc
import StoreKernel
#endif

/// `sodarcache-bench browser [--items N] [--projects M] [--frames F] [--store PATH]`
///
/// Builds (or reuses, when PATH exists) a store of N items over M projects with SODAR-like
/// payloads of a few KB plus one ~50 MB site-wide item, then drives the browser's real loop on
/// a scripted terminal, its effects on their own queues as in the terminal app: time to the
/// first full frame, navigation key -> frame latency (p50/p99/max), time to open the 50 MB
/// payload and show its first screen, peak RSS, and key latency while searches run through
/// that payload.
enum BrowserBench {
    static let apps = StoreBench.apps
    /// The site-wide item the payload measurement opens (first by name among site-wide items).
    static let bigApp = "samplesheets"
    static let bigName = "big/study-tables.json"

    struct Options {
        var items = 1_000_000
        var projects = 10_000
        var frames = 2_000
        var store: String?
        var bigMB = 50
    }

    static func run(_ arguments: [String]) {
        do {
            try measure(parse(arguments))
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench browser: \(error)\n".utf8))
            exit(1)
        }
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        for (argument, value) in try BenchArguments.pairs(arguments) {
            if argument == "--store" {
                options.store = value
                continue
            }
            let number = try BenchArguments.count(argument, value)
            switch argument {
            case "--items": options.items = number
            case "--projects": options.projects = number
            case "--frames": options.frames = number
            case "--big-mb": options.bigMB = number
            default: throw CacheError.invalidArgument("unknown option \(argument)")
            }
        }
        options.projects = min(options.projects, options.items)
        return options
    }

    static func measure(_ options: Options) throws {
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let path = options.store
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-bench-browser.sqlite3").path
        if FileManager.default.fileExists(atPath: path) {
            print("reusing store \(path)")
        } else {
            try build(options, path: path, logger: quiet)
        }

        // MARK: First frame and navigation, through the loop
        let started = ContinuousClock.now
        let store = try SQLiteCacheStore(path: path, registeredApps: apps, logger: quiet)
        let openTime = seconds(ContinuousClock.now - started)
        let totals = try store.totals()
        print("store: \(totals.items) items over \(totals.projects) projects, \(totals.bytes / 1_000_000) MB of payloads; "
              + String(format: "open %.1f ms", openTime * 1000))
        let browserOptions = BrowserOptions(storePath: path)
        // A fresh store instance so the first frame pays for its own totals count, as a launch does.
        let fresh = try SQLiteCacheStore(path: path, registeredApps: apps, logger: quiet)
        let result = BrowserBenchmark.renderFrames(
            source: fresh, options: browserOptions, frames: options.frames, width: 120, height: 40,
            buildDocument: JSONPayloadDocument.build)
        print("loop on a scripted terminal (120x40): " + result.summary)

        // MARK: Opening the big payload: site row -> its apps -> its items -> Enter
        let browser = BrowserLoop(
            terminal: ScriptedTerminal(width: 120, height: 40), source: store, options: browserOptions,
            buildDocument: JSONPayloadDocument.build)
        _ = browser.run(watchInterval: nil, onFirstFullFrame: { true })
        defer { browser.shutdown() }
        for key in [Key.enter, .enter] { _ = BrowserBenchmark.measure(key, in: browser) }
        guard browser.state.selectedItem?.name == bigName, let size = browser.state.selectedItem?.size else {
            throw CacheError.storeFailure("the cursor is not on the big item (\(bigName)) after Enter Enter")
        }
        let openPayload = seconds(BrowserBenchmark.measure(.enter, in: browser).filled)
        guard let payload = browser.state.payload, !payload.loading, payload.failure == nil, payload.document != nil else {
            throw CacheError.storeFailure("the big payload did not open: \(browser.state.payload?.failure ?? "still loading")")
        }
        print(String(format: "open the %.1f MB payload to its first screen: %.1f ms", Double(size) / 1_000_000, openPayload * 1000))
        // The same with long lines wrapped (`w`), and reopened that way (`r` reads the item again
        // and rebuilds its document); then cut again and scrolled sideways (`>`).
        for (label, key) in [("w (wrap)", Key.char("w")), ("r with wrap on (reload, first screen)", .char("r")),
                             ("w (cut again)", .char("w")), (">", .char(">")),
                             ("r with lines cut (reload, first screen)", .char("r"))] {
            let filled = BrowserBenchmark.measure(key, in: browser).filled
            print(String(format: "  %@: %.1f ms", label, seconds(filled) * 1000))
        }
        guard browser.state.payload?.document != nil, !browser.state.payloadWrap else {
            throw CacheError.storeFailure("the big payload is not open, lines cut, after the wrap keys")
        }
        print(String(format: "peak RSS %.1f MB (getrusage); now RSS %.1f MB = anonymous %.1f + file-backed %.1f "
                     + "(mapped store pages, binary)", peakMB(), statusMB("VmRSS"), statusMB("RssAnon"), statusMB("RssFile")))
        try keysDuringSearch(browser)
    }

    /// `/` in the open big payload: the search runs on its own queue while keys (`j`/`k`, read,
    /// update and a full frame through the loop) are pressed every 2 ms.
    static func keysDuringSearch(_ browser: BrowserLoop<ScriptedTerminal>) throws {
        let clock = ContinuousClock()
        for needle in ["größer", "}]", ": {},", "file_count"] {
            for key in [Key.char("/")] + needle.map({ Key.char($0) }) { _ = BrowserBenchmark.measure(key, in: browser) }
            let started = clock.now
            _ = BrowserBenchmark.measure(.enter, in: browser)
            var keys = 0
            var slowest = 0.0
            while browser.state.payload?.searching != nil {
                slowest = max(slowest, seconds(BrowserBenchmark.measure(.char(keys % 2 == 0 ? "j" : "k"), in: browser).frame))
                keys += 1
                if seconds(clock.now - started) > 60 { throw CacheError.storeFailure("the search for \(needle) did not end") }
                usleep(2_000)
                // The answer, when it came meanwhile.
                browser.step(timeout: .zero)
            }
            let answer = browser.state.message?.text ?? ""
            let label = ("/" + needle + ":").padding(toLength: 14, withPad: " ", startingAt: 0)
            print(String(format: "search %@ %@ after %.1f ms; %d keys meanwhile, slowest key + frame %.2f ms",
                         label, answer, seconds(clock.now - started) * 1000, keys, slowest * 1000))
        }
    }

    // MARK: - Building the store

    static func build(_ options: Options, path: String, logger: Logger) throws {
        print("building \(path): \(options.items) items over \(options.projects) projects")
        let started = ContinuousClock.now
        let store = try SQLiteCacheStore(path: path, registeredApps: apps, logger: logger)
        let projects = StoreBench.makeProjects(options.projects)
        _ = try store.importProjects(projects)
        let uuids = projects.filter { $0.type == .project }.map(\.uuid)
        let perProject = (options.items + uuids.count - 1) / uuids.count
        var rng = SplitMix64(seed: 7)
        var bytes = 0
        var start = 0
        while start < options.items {
            let end = min(start + 1_000, options.items)
            let writes = (start..<end).map { i -> CacheWrite in
                let data = payload(i, &rng)
                bytes += data.count
                return CacheWrite(
                    appName: apps[i % apps.count], name: "\(itemKind(i))/\(i)", data: data,
                    project: uuids[min(i / perProject, uuids.count - 1)])
            }
            try store.setCacheItems(writes)
            start = end
            if start % 100_000 == 0 {
                print(String(format: "  %d items, %.0f s", start, seconds(ContinuousClock.now - started)))
            }
        }
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("sodarcache-bench-browser-big.json").path
        try JSONBench.generate(megabytes: options.bigMB, to: big)
        defer { try? FileManager.default.removeItem(atPath: big) }
        guard let data = FileManager.default.contents(atPath: big) else { throw CacheError.storeFailure("cannot read \(big)") }
        try store.setCacheItem(appName: bigApp, name: bigName, data: data, dataType: "json", project: nil, user: nil)
        print(String(format: "built in %.0f s: %.0f MB of small payloads (mean %d bytes) + a %.1f MB site-wide item",
                     seconds(ContinuousClock.now - started), Double(bytes) / 1e6, bytes / max(1, options.items),
                     Double(data.count) / 1e6))
    }

    static func itemKind(_ i: Int) -> String {
        ["sheet/study", "sheet/assay", "irods/stats", "irods/rows"][(i / 4) % 4]
    }

    /// A samplesheets-like render table: a header of columns and a few rows of cell objects
    /// with iRODS paths and numbers, about 1-4 KB.
    static func payload(_ i: Int, _ rng: inout SplitMix64) -> Data {
        let columns = 4 + Int(rng.next() % 4)
        let rows = 2 + Int(rng.next() % 6)
        var text = #"{"study_uuid": "\#(UUID(number: UInt64(i)).uuidString.lowercased())", "field_header": ["#
        for c in 0..<columns {
            if c > 0 { text += ", " }
            text += #"{"value": "Characteristics [col \#(c)]", "type": "characteristics", "obj_cls": "GenericMaterial", "num_col": \#(c % 3 == 0)}"#
        }
        text += #"], "table_data": ["#
        for r in 0..<rows {
            if r > 0 { text += ", " }
            text += "["
            for c in 0..<columns {
                if c > 0 { text += ", " }
                text += #"{"value": "sample-\#(i)-\#(r)-\#(c)", "unit": null, "link": "/sodarZone/projects/\#(i % 97)/sample_data/study_\#(i)/assay_\#(r)", "num": \#(rng.next() % 100_000)}"#
            }
            text += "]"
        }
        text += #"], "irods_stats": {"file_count": \#(rng.next() % 500), "total_size": \#(rng.next() % 10_000_000_000)}}"#
        return Data(text.utf8)
    }

    // MARK: - Helpers

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Peak resident set size of this process so far (ru_maxrss is in KiB on Linux).
    static func peakMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) * 1024 / 1_000_000
    }

    /// A resident size from /proc/self/status (VmRSS, RssAnon, RssFile), in MB.
    static func statusMB(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kib = Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
        else { return 0 }
        return kib * 1024 / 1_000_000
    }
}

extension UUID {
    /// A deterministic UUID from a number (payload text only).
    init(number: UInt64) {
        let b = withUnsafeBytes(of: number.bigEndian) { Array($0) }
        self.init(uuid: (0, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, b[2], b[3], b[4], b[5], b[6], b[7]))
    }
}
