import Foundation
import SodarCache

/// Everything the sync module can refuse or fail on, each a one-line message naming the bad value.
public enum SyncError: Error, CustomStringConvertible, Equatable, Sendable {
    // MARK: - Files and config
    /// A file could not be read: missing, a directory, no permission on it or on a folder on its way.
    case fileUnreadable(path: String, reason: String)
    /// The config file named by `--config` or `SODARCACHE_CONFIG` does not exist or cannot be read.
    case configUnreadable(path: String, reason: String)
    /// Not TOML: the line and column, and the key (as TOML writes it) when there is one.
    case configSyntax(file: String, line: Int, column: Int, key: String?, message: String)
    /// A semantic error in a key: wrong type, bad value, unknown key; the key's line.
    case configValue(file: String, line: Int, key: String, message: String)

    // MARK: - Commands
    /// The command could not be started at all (missing executable, bad cwd, ...).
    case commandNotStarted(command: [String], reason: String)
    /// The command exited with a non-zero status or was killed by a signal.
    case commandFailed(command: [String], exitStatus: Int32, stderr: [String])
    /// The command ran longer than its timeout; it and its children were killed.
    case commandTimedOut(command: [String], seconds: TimeInterval, stderr: [String])
    /// The command printed more than `max_output` bytes.
    case commandOutputTooLarge(command: [String], limit: Int, stderr: [String])
    /// The command's output is not valid JSON, or not the object of items it should be.
    case commandInvalidOutput(command: [String], detail: String, stderr: [String])
    /// The sync was cancelled while the command ran; it and its children were killed.
    case commandCancelled(command: [String])
    /// A command that writes the cache itself exited 0 but printed failure lines (SODAR's
    /// `Update failed for plugin "X": "..."`): `failures` as "part: message", the first ones
    /// of `count`; `lines` as printed.
    case commandReportedFailure(command: [String], failures: [String], count: Int, lines: [String])
    /// A command that writes the cache itself exited 0 without its closing line: it may have
    /// written everything, part, or nothing.
    case commandOutcomeUnknown(command: [String], successLine: String, stderr: [String])
    /// A command that writes the cache with its own credentials, which this session may not start.
    case commandNotAllowed(command: [String], reason: String)

    // MARK: - File statistics
    /// A project's `path` does not exist or is not a directory.
    case projectPathUnusable(path: String, reason: String)

    // MARK: - deletecache
    /// `--orphans` (app nil) or an unregistered app was asked for while no config was found.
    case deleteWithoutConfig(app: String?)

    // MARK: - Project import
    /// The project list (in `file`, nil for stdin) is not JSON, not an array/object of records,
    /// or a page without the pages after it.
    case importInvalid(file: String?, detail: String)
    /// One record of the project list is bad; `position` and `line` are 1-based.
    case importRecord(file: String?, position: Int, line: Int, message: String)

    /// Passwords hidden (`PasswordRedaction`): a command app's arguments, its stderr and the
    /// failure lines it printed may hold one, and this text reaches the screen and the logs.
    public var description: String { PasswordRedaction.redact(unredacted) }

    private var unredacted: String {
        switch self {
        case .fileUnreadable(let path, let reason):
            return "Cannot read \(path): \(reason)"
        case .configUnreadable(let path, let reason):
            return "Cannot read config file \(path): \(reason)"
        case .configSyntax(let file, let line, let column, let key, let message):
            return "\(file):\(line):\(column): " + (key.map { "\($0): " } ?? "") + message
        case .configValue(let file, let line, let key, let message):
            return "\(file):\(line): \(key): \(message)"
        case .commandNotStarted(let command, let reason):
            return "Command \(Self.show(command)) could not be started: \(reason)"
        case .commandFailed(let command, let status, let stderr):
            let what = status < 0 ? "was killed by signal \(-status)" : "exited with status \(status)"
            return "Command \(Self.show(command)) \(what)\(Self.tail(stderr))"
        case .commandTimedOut(let command, let seconds, let stderr):
            return "Command \(Self.show(command)) timed out after \(Self.seconds(seconds)) s and was killed\(Self.tail(stderr))"
        case .commandOutputTooLarge(let command, let limit, let stderr):
            return "Command \(Self.show(command)) printed more than \(limit) bytes (max_output) and was killed\(Self.tail(stderr))"
        case .commandInvalidOutput(let command, let detail, let stderr):
            return "Command \(Self.show(command)) printed invalid output: \(detail)\(Self.tail(stderr))"
        case .commandCancelled(let command):
            return "Command \(Self.show(command)) was cancelled and killed"
        case .commandReportedFailure(let command, let failures, let count, _):
            let shown = failures.prefix(3).joined(separator: "; ")
            let more = count > min(3, failures.count) ? "; and \(count - min(3, failures.count)) more" : ""
            return "Command \(Self.show(command)) exited with status 0 but reported \(count) failure(s): \(shown)\(more)"
        case .commandOutcomeUnknown(let command, let successLine, let stderr):
            return "Command \(Self.show(command)) exited with status 0 without printing \"\(successLine)\": outcome unknown (it may have written all, part or none of its items)\(Self.tail(stderr))"
        case .commandNotAllowed(let command, let reason):
            return "Command \(Self.show(command)) was not started: \(reason)"
        case .projectPathUnusable(let path, let reason):
            return "Project path \(path) cannot be read: \(reason)"
        case .deleteWithoutConfig(let app):
            let what = app.map { "App \"\($0)\" is not registered and no config file was found" }
                ?? "No config file was found"
            return "\(what): without a config every app but the built-in ones counts as an orphan, so nothing is deleted; name the config with --config FILE (or SODARCACHE_CONFIG)"
        case .importInvalid(let file, let detail):
            return "Invalid project list\(file.map { " \($0)" } ?? ""): \(detail)"
        case .importRecord(let file, let position, let line, let message):
            return "Invalid project list\(file.map { " \($0)" } ?? ""): record \(position) (line \(line)): \(message)"
        }
    }

    /// What went wrong with a command, without its arguments, its output or its stderr (any of
    /// them may carry a password, such as a `--db` URI): what the audit trail records. For an
    /// error about no command, its description.
    public var withoutCommandText: String {
        switch self {
        case .commandNotStarted(_, let reason):
            // Reasons are ours: the system's error, the cwd, the config's failure_pattern.
            return "command could not be started: \(reason)"
        case .commandFailed(_, let status, _):
            return status < 0 ? "command was killed by signal \(-status)" : "command exited with status \(status)"
        case .commandTimedOut(_, let seconds, _):
            return "command timed out after \(Self.seconds(seconds)) s and was killed"
        case .commandOutputTooLarge(_, let limit, _):
            return "command printed more than \(limit) bytes (max_output) and was killed"
        case .commandInvalidOutput:
            return "command printed invalid output (not the JSON expected)"
        case .commandCancelled:
            return "command was cancelled and killed"
        case .commandReportedFailure(_, _, let count, _):
            return "command exited with status 0 but reported \(count) failure(s)"
        case .commandOutcomeUnknown(_, let successLine, _):
            return "command exited with status 0 without printing \"\(successLine)\": outcome unknown"
        case .commandNotAllowed(_, let reason):
            return "command was not started: \(reason)"
        default:
            return description
        }
    }

    /// The command involved, when the error is about one.
    public var command: [String]? {
        switch self {
        case .commandNotStarted(let c, _), .commandFailed(let c, _, _), .commandTimedOut(let c, _, _),
            .commandOutputTooLarge(let c, _, _), .commandInvalidOutput(let c, _, _), .commandCancelled(let c),
            .commandReportedFailure(let c, _, _, _), .commandOutcomeUnknown(let c, _, _), .commandNotAllowed(let c, _):
            return c
        default:
            return nil
        }
    }

    /// The first lines of the command's stderr, when the error is about a command.
    public var stderrLines: [String] {
        switch self {
        case .commandFailed(_, _, let s), .commandTimedOut(_, _, let s), .commandOutputTooLarge(_, _, let s),
            .commandInvalidOutput(_, _, let s), .commandOutcomeUnknown(_, _, let s):
            return s
        case .commandReportedFailure(_, _, _, let lines):
            // The failure lines themselves, each naming its plugin and message, wherever they
            // were printed (SODAR's logger writes to stderr by default, print() to stdout).
            return lines
        default:
            return []
        }
    }

    /// The exit status (negative: killed by that signal), when the command exited by itself.
    public var exitStatus: Int32? {
        switch self {
        case .commandFailed(_, let status, _): return status
        // It did exit, with 0: said so, since the failure is the lines, not the status.
        case .commandReportedFailure, .commandOutcomeUnknown: return 0
        default: return nil
        }
    }

    /// Whether the command may have worked: it ended without saying how it went.
    public var outcomeUnknown: Bool {
        if case .commandOutcomeUnknown = self { return true }
        return false
    }

    // MARK: - Formatting

    /// The argv as a shell-like quoted string, for messages only (commands never run through a shell).
    static func show(_ command: [String]) -> String {
        "\"" + ShellWords.join(command) + "\""
    }

    private static func tail(_ stderr: [String]) -> String {
        stderr.isEmpty ? "" : "; stderr: " + stderr.joined(separator: " | ")
    }

    private static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
