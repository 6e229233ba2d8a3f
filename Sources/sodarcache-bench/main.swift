import Foundation
// Benchmarks: `sodarcache-bench store|json|browser|filestats`.
let benchArguments = Array(CommandLine.arguments.dropFirst())
do {
    switch benchArguments.first {
    case "store": try StoreBench.run(Array(benchArguments.dropFirst()))
    default: print("usage: sodarcache-bench store|json|browser|filestats")
    }
} catch {
    FileHandle.standardError.write(Data("sodarcache-bench: \(error)\n".utf8))
    exit(1)
}
