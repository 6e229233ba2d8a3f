import Foundation
// Benchmarks: `sodarcache-bench store|json|diff|browser|long-lines|filestats|sync|sync-report|trash|history|postgres|postgres-peer|doctor`.
let arguments = Array(CommandLine.arguments.dropFirst(2))
switch CommandLine.arguments.dropFirst().first {
case "json": JSONBench.run(arguments)
case "diff": DiffBench.run(arguments)
case "filestats": FilestatsBench.run(arguments)
case "store": StoreBench.main(arguments)
case "browser": BrowserBench.run(arguments)
case "long-lines": LongLineBench.run(arguments)
case "postgres": PostgresBench.run(arguments)
case "postgres-peer": PeerBench.run(arguments)
case "sync": SyncBench.run(arguments)
case "trash": TrashBench.run(arguments)
case "history": HistoryBench.run(arguments)
case "sync-report": SyncReportBench.run(arguments)
case "doctor": DoctorBench.run(arguments)
default: print("usage: sodarcache-bench store|json|diff|browser|long-lines|filestats|sync|sync-report|trash|history|postgres|postgres-peer|doctor")
}
