import CGNUShim
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one argv directly (never through a shell) under a supervisor of ours in a process group
/// of its own, reading its stdout up to a cap and the start of its stderr, killing the whole
/// group on timeout, oversize output, cancellation, or when this process dies.
struct CommandRunner {
    var argv: [String]
    /// Variables added to (or replacing those of) this process's environment.
    var environment: [String: String] = [:]
    var cwd: String?
    var timeout: TimeInterval
    var maxOutput: Int
    /// How many stderr lines failures report.
    static let stderrLineLimit = 5
    /// How much of stderr is kept at most.
    private static let stderrByteLimit = 64 * 1024

    /// Runs the command and returns its stdout.
    /// - Throws: `SyncError` for a command that cannot start, fails, times out, prints too much
    ///   or is cancelled.
    func run(cancellation: SyncCancellation?) throws -> Data {
        var none: CommandOutputScanner?
        return try run(cancellation: cancellation, scanner: &none, keepStdout: true).stdout
    }

    /// Runs the command; `scanner` (when given) reads every line of stdout and stderr as it
    /// comes. Returns stdout, or nothing when `keepStdout` is false (then `maxOutput` does not
    /// apply: nothing is kept), and the first lines of stderr.
    /// - Throws: `SyncError` for a command that cannot start, fails, times out, prints too much
    ///   or is cancelled.
    func run(
        cancellation: SyncCancellation?, scanner: inout CommandOutputScanner?, keepStdout: Bool
    ) throws -> (stdout: Data, stderr: [String]) {
        let path = try executablePath()
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var reportPipe: [Int32] = [-1, -1]
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        for index in 0..<3 {
            var fds: [Int32] = [-1, -1]
            guard GNUCalls.cloexecPipe(&fds) else { throw notStarted(errno) }
            opened += fds
            switch index {
            case 0: outPipe = fds
            case 1: errPipe = fds
            default: reportPipe = fds
            }
        }
        let pid = try spawn(path: path, stdout: outPipe[1], stderr: errPipe[1], report: reportPipe[1])
        // Only the supervisor holds the write ends now: EOF comes when the group is gone.
        for fd in [outPipe[1], errPipe[1], reportPipe[1]] { close(fd) }
        opened = [outPipe[0], errPipe[0], reportPipe[0]]
        // The supervisor leads the command's process group: its pid is the group id.
        let token = cancellation?.onCancel { _ = killpg(pid, SIGKILL) }
        if cancellation?.isCancelled == true { _ = killpg(pid, SIGKILL) }

        let outcome = pump(
            pid: pid, stdoutFD: outPipe[0], stderrFD: errPipe[0], scanner: &scanner, keepStdout: keepStdout)
        // Before the supervisor is reaped: once its pid is free, a late cancel must not kill
        // whatever process group takes that number next.
        if let token { cancellation?.removeHandler(token) }
        let supervisorStatus = reap(pid)
        let report = Self.readReport(reportPipe[0])
        let stderrLines = Self.firstLines(outcome.stderr)

        switch report {
        case .execFailed(let code), .chdirFailed(let code), .supervisorFailed(let code):
            if case .chdirFailed = report, let cwd {
                throw SyncError.commandNotStarted(command: argv, reason: "cannot enter \(cwd): \(String(cString: strerror(code)))")
            }
            throw notStarted(code)
        case .exited, .none:
            break
        }
        if cancellation?.isCancelled == true && outcome.ending != .exited {
            throw SyncError.commandCancelled(command: argv)
        }
        switch outcome.ending {
        case .timedOut:
            throw SyncError.commandTimedOut(command: argv, seconds: timeout, stderr: stderrLines)
        case .oversized:
            throw SyncError.commandOutputTooLarge(command: argv, limit: maxOutput, stderr: stderrLines)
        case .exited:
            break
        }
        // Without a report the supervisor itself was killed (by us, or by the OOM killer, say).
        let status: Int32
        if case .exited(let waitStatus) = report { status = Self.decode(waitStatus) } else { status = supervisorStatus }
        if cancellation?.isCancelled == true && status == -SIGKILL {
            throw SyncError.commandCancelled(command: argv)
        }
        guard status == 0 else {
            throw SyncError.commandFailed(command: argv, exitStatus: status, stderr: stderrLines)
        }
        return (outcome.stdout, stderrLines)
    }

    // MARK: - Spawning

    private func notStarted(_ code: Int32) -> SyncError {
        .commandNotStarted(command: argv, reason: String(cString: strerror(code)))
    }

    /// The executable as `execvp` would find it: argv[0] itself when it holds a `/`, else the
    /// first executable file of that name on this process's PATH.
    private func executablePath() throws -> String {
        guard let name = argv.first, !name.isEmpty else { throw notStarted(ENOENT) }
        if name.contains("/") { return name }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        var denied = false
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var info = stat()
            guard stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if access(candidate, X_OK) == 0 { return candidate }
            denied = true
        }
        throw notStarted(denied ? EACCES : ENOENT)
    }

    /// Starts the command under its supervisor (Sources/CGNUShim/supervise.c): a process of ours
    /// that the kernel signals when this one dies, and that then kills the command's whole
    /// process group. posix_spawn cannot ask for that signal (PR_SET_PDEATHSIG), hence a fork.
    ///
    /// The kernel sends it when the *thread* that forked ends, not the process: the calling
    /// thread must outlive the command, as it does here (it waits for it in `reap`).
    private func spawn(path: String, stdout: Int32, stderr: Int32, report: Int32) throws -> pid_t {
        if let cwd {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: cwd, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw SyncError.commandNotStarted(command: argv, reason: "cwd \(cwd) is not a directory")
            }
        }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard devNull >= 0 else { throw notStarted(errno) }
        defer { close(devNull) }

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let cPath = strdup(path)
        let cCwd = cwd.map { strdup($0) }
        defer {
            for p in cArgv { free(p) }
            for p in cEnv { free(p) }
            free(cPath)
            if let cCwd { free(cCwd) }
        }
        // Well after the parent's own kill at `timeout`; only a parent that cannot act (stopped,
        // hung) leaves it to the supervisor.
        let backstop = UInt32(min(Double(UInt32.max - 60), timeout.rounded(.up))) + 30
        let pid = cArgv.withUnsafeBufferPointer { argvBuffer in
            cEnv.withUnsafeBufferPointer { envBuffer in
                var spec = sodarcache_supervised(
                    path: cPath, argv: argvBuffer.baseAddress, envp: envBuffer.baseAddress,
                    cwd: cCwd.flatMap { UnsafePointer($0) }, stdin_fd: devNull, stdout_fd: stdout, stderr_fd: stderr,
                    report_fd: report, backstop_seconds: backstop)
                return sodarcache_spawn_supervised(&spec)
            }
        }
        guard pid > 0 else { throw notStarted(errno) }
        return pid
    }

    /// What the supervisor reported through its pipe.
    private enum Report {
        /// The command's wait status.
        case exited(Int32)
        case execFailed(Int32)
        case chdirFailed(Int32)
        case supervisorFailed(Int32)
    }

    /// The supervisor's one report, read after it was reaped (every writer is gone then).
    private static func readReport(_ fd: Int32) -> Report? {
        var message: (Int32, Int32) = (0, 0)
        let count = withUnsafeMutableBytes(of: &message) { buffer in
            var total = 0
            while total < buffer.count {
                let n = read(fd, buffer.baseAddress! + total, buffer.count - total)
                if n > 0 {
                    total += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            return total
        }
        guard count == MemoryLayout<(Int32, Int32)>.size else { return nil }
        switch message.0 {
        case Int32(SODARCACHE_REPORT_EXITED): return .exited(message.1)
        case Int32(SODARCACHE_REPORT_EXEC_FAILED): return .execFailed(message.1)
        case Int32(SODARCACHE_REPORT_CHDIR_FAILED): return .chdirFailed(message.1)
        case Int32(SODARCACHE_REPORT_SUPERVISOR_FAILED): return .supervisorFailed(message.1)
        default: return nil
        }
    }

    // MARK: - Reading

    private enum Ending { case exited, timedOut, oversized }

    private struct Outcome {
        var stdout: Data
        var stderr: [UInt8]
        var ending: Ending
    }

    /// Reads both pipes until EOF, the deadline, or too much output.
    private func pump(
        pid: pid_t, stdoutFD: Int32, stderrFD: Int32, scanner: inout CommandOutputScanner?, keepStdout: Bool
    ) -> Outcome {
        defer { scanner?.finish() }
        var stdout = Data()
        var stderr: [UInt8] = []
        var outOpen = true
        var errOpen = true
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var leaderGone = false

        while outOpen || errOpen {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 {
                _ = killpg(pid, SIGKILL)
                return Outcome(stdout: stdout, stderr: stderr, ending: .timedOut)
            }
            // Wake up now and then to notice a leader that exited while its children keep
            // the pipes open.
            let slice = Int32(min(remaining * 1000, 200).rounded(.up))
            var fds = [
                pollfd(fd: outOpen ? stdoutFD : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: errOpen ? stderrFD : -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, slice)
            if ready < 0 {
                if errno == EINTR { continue }
                _ = killpg(pid, SIGKILL)
                return Outcome(stdout: stdout, stderr: stderr, ending: .exited)
            }
            if ready == 0 {
                if !leaderGone && leaderExited(pid) {
                    // The command is done; whatever it left running in its group goes too.
                    leaderGone = true
                    _ = killpg(pid, SIGKILL)
                }
                continue
            }
            if outOpen && fds[0].revents != 0 {
                let n = read(stdoutFD, &buffer, buffer.count)
                if n > 0 {
                    scanner?.feed(buffer[0..<n], from: .stdout)
                    guard keepStdout else { continue }
                    if stdout.count + n > maxOutput {
                        _ = killpg(pid, SIGKILL)
                        return Outcome(stdout: stdout, stderr: stderr, ending: .oversized)
                    }
                    stdout.append(contentsOf: buffer[0..<n])
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    outOpen = false
                }
            }
            if errOpen && fds[1].revents != 0 {
                let n = read(stderrFD, &buffer, buffer.count)
                if n > 0 {
                    scanner?.feed(buffer[0..<n], from: .stderr)
                    let room = Self.stderrByteLimit - stderr.count
                    if room > 0 { stderr.append(contentsOf: buffer[0..<min(n, room)]) }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    errOpen = false
                }
            }
        }
        return Outcome(stdout: stdout, stderr: stderr, ending: .exited)
    }

    /// Whether the leader has exited, without reaping it (so its pid, the group id, stays taken).
    private func leaderExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        return result == 0 && info.si_pid_value != 0
    }

    /// Waits for the leader; returns its exit status, or minus the signal that killed it.
    private func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return Self.decode(status)
    }

    /// A wait status as an exit status, or minus the signal that killed the process.
    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : -signal
    }

    /// The first non-empty lines of stderr, each cut to a readable length.
    static func firstLines(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .prefix(stderrLineLimit)
            .map { $0.count > 200 ? String($0.prefix(200)) + "..." : $0 }
    }
}

extension siginfo_t {
    /// `si_pid` lives in a union Swift does not name; it is the first field after the header.
    fileprivate var si_pid_value: pid_t {
        #if canImport(Glibc)
            return _sifields._kill.si_pid
        #else
            return si_pid
        #endif
    }
}
