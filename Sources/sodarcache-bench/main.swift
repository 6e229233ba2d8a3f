import Foundation

// Benchmarks: `sodarcache-bench NAME [options]`, NAME one of `benches` below.
let benches: KeyValuePairs<String, ([String]) -> Void> = [
    "store": StoreBench.main, "json": JSONBench.run, "diff": DiffBench.run, "browser": BrowserBench.run,
    "long-lines": LongLineBench.run, "filestats": FilestatsBench.run, "sync": SyncBench.run,
    "sync-report": SyncReportBench.run, "trash": TrashBench.run, "history": HistoryBench.run,
    "postgres": PostgresBench.run, "postgres-peer": PeerBench.run, "doctor": DoctorBench.run,
]
let name = CommandLine.arguments.dropFirst().first
if let bench = benches.first(where: { $0.key == name })?.value {
    bench(Array(CommandLine.arguments.dropFirst(2)))
} else {
    print("usage: sodarcache-bench " + benches.map(\.key).joined(separator: "|"))
}
