import Foundation

/// A fuzz target: one input in, a trap on any broken invariant.
protocol FuzzTarget: Sendable {
    static var name: String { get }
    static func run(_ data: Data)
}

/// Every target, by the name `fuzz/run.sh` takes.
let targets: [any FuzzTarget.Type] = [
    JSONTarget.self, ConfigTarget.self, ImportTarget.self, SplitterTarget.self, ArgumentsTarget.self,
    BrowserTarget.self, URITarget.self, OutcomeTarget.self, DiffTarget.self,
]

nonisolated(unsafe) var selected: (any FuzzTarget.Type)?

/// Stops the run with a message libFuzzer's crash report shows (and saves the input).
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition() {
        FileHandle.standardError.write(Data("invariant broken at \(file):\(line): \(message())\n".utf8))
        abort()
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    if name == "--list" || name.isEmpty {
        for target in targets { print(target.name) }
        exit(name.isEmpty ? 2 : 0)
    }
    guard let target = targets.first(where: { $0.name == name }) else {
        FileHandle.standardError.write(Data("unknown FUZZ_TARGET \(name)\n".utf8))
        exit(2)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    selected?.run(data)
    return 0
}
