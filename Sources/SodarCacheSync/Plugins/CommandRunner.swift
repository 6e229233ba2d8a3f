import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one argv directly (posix_spawn, never a shell) in its own process group, reading its
/// stdout up to a cap and the start of its stderr, killing the whole group on timeout,
/// oversize output or cancellation.
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
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard GNUCalls.cloexecPipe(&outPipe) else { throw notStarted(errno) }
        guard GNUCalls.cloexecPipe(&errPipe) else {
            let code = errno
            close(outPipe[0]); close(outPipe[1])
            throw notStarted(code)
        }
        let pid: pid_t
        do {
            pid = try spawn(stdout: outPipe[1], stderr: errPipe[1])
        } catch {
            close(outPipe[0]); close(outPipe[1]); close(errPipe[0]); close(errPipe[1])
            throw error
        }
        close(outPipe[1])
        close(errPipe[1])
        // The group id is the child's pid (POSIX_SPAWN_SETPGROUP with 0), set before exec.
        let token = cancellation?.onCancel { _ = killpg(pid, SIGKILL) }
        if cancellation?.isCancelled == true { _ = killpg(pid, SIGKILL) }

        let outcome = pump(pid: pid, stdoutFD: outPipe[0], stderrFD: errPipe[0], cancellation: cancellation)
        // Before the child is reaped: once its pid is free, a late cancel must not kill
        // whatever process group takes that number next.
        if let token { cancellation?.removeHandler(token) }
        close(outPipe[0])
        close(errPipe[0])
        let status = reap(pid)
        let stderrLines = Self.firstLines(outcome.stderr)

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
        if cancellation?.isCancelled == true && status == -SIGKILL {
            throw SyncError.commandCancelled(command: argv)
        }
        guard status == 0 else {
            throw SyncError.commandFailed(command: argv, exitStatus: status, stderr: stderrLines)
        }
        return outcome.stdout
    }

    // MARK: - Spawning

    private func notStarted(_ code: Int32) -> SyncError {
        .commandNotStarted(command: argv, reason: String(cString: strerror(code)))
    }

    private func spawn(stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        GNUCalls.addClosefrom(&actions, 3)
        if let cwd {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: cwd, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw SyncError.commandNotStarted(command: argv, reason: "cwd \(cwd) is not a directory")
            }
            let result = GNUCalls.addChdir(&actions, cwd)
            guard result == 0 else { throw notStarted(result) }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        // The caller may ignore or block SIGINT/SIGTERM/SIGPIPE to handle Ctrl-C itself;
        // the command gets the defaults.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cArgv { free(p) }
            for p in cEnv { free(p) }
        }
        var pid: pid_t = 0
        var result: Int32 = 0
        // ETXTBSY: another thread of this process may have just written the executable and a
        // concurrent fork still holds it open for writing for a moment; retry briefly.
        for attempt in 0..<20 {
            result = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgv, cEnv)
            guard result == ETXTBSY else { break }
            usleep(useconds_t(5_000 * (attempt + 1)))
        }
        guard result == 0 else { throw notStarted(result) }
        return pid
    }

    // MARK: - Reading

    private enum Ending { case exited, timedOut, oversized }

    private struct Outcome {
        var stdout: Data
        var stderr: [UInt8]
        var ending: Ending
    }

    /// Reads both pipes until EOF, the deadline, or too much output.
    private func pump(pid: pid_t, stdoutFD: Int32, stderrFD: Int32, cancellation: SyncCancellation?) -> Outcome {
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
