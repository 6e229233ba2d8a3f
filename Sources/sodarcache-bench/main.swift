import Foundation
// Benchmarks: `sodarcache-bench store|json|diff|browser|long-lines|filestats|sync|sync-report|trash|history|postgres|postgres-peer|doctor`.
switch CommandLine.arguments.dropFirst().first {
case "json": JSONBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "diff": DiffBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "filestats": FilestatsBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "store": StoreBench.main(Array(CommandLine.arguments.dropFirst(2)))
case "browser": BrowserBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "long-lines": LongLineBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "postgres": PostgresBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "postgres-peer": PeerBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "sync": SyncBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "trash": TrashBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "history": HistoryBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "sync-report": SyncReportBench.run(Array(CommandLine.arguments.dropFirst(2)))
case "doctor": DoctorBench.run(Array(CommandLine.arguments.dropFirst(2)))
default: print("usage: sodarcache-bench store|json|diff|browser|long-lines|filestats|sync|sync-report|trash|history|postgres|postgres-peer|doctor")
}
