import Foundation

/// What a finished child process left: its exit status and everything it wrote.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
}

/// The one way a test runs a program to its end: stdout and stderr drained on their own
/// threads while it runs (a full pipe would block it), `stdin` written and closed.
public func runProcess(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, cwd: String? = nil,
    stdin: Data? = nil
) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    let box = OutputBox()
    let group = DispatchGroup()
    for (pipe, isOut) in [(out, true), (err, false)] {
        group.enter()
        DispatchQueue.global().async {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            box.set(data, stdout: isOut)
            group.leave()
        }
    }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return ProcessOutput(status: process.terminationStatus, stdout: box.out, stderr: box.err)
}

private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var out = Data()
    private(set) var err = Data()

    func set(_ data: Data, stdout: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if stdout { out = data } else { err = data }
    }
}
