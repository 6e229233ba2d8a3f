import Foundation

/// Why one unit failed, with what a person needs to fix it.
public struct SyncFailure: Sendable, Hashable, CustomStringConvertible {
    /// The one-line message (for a command: its argv, exit status and first stderr lines).
    public var message: String
    /// The command run, for command apps.
    public var command: [String]?
    /// The command's exit status (negative: killed by that signal), when it exited by itself.
    public var exitStatus: Int32?
    /// The first lines of the command's stderr (for a command that reported failures: those lines).
    public var stderrLines: [String]
    /// The unit may have worked: its command ended without saying how it went (SODAR's
    /// `synccache` without its closing line). Counted with the failures, told apart in words.
    public var outcomeUnknown: Bool
    /// What went wrong, in words that quote neither the command's arguments nor its output
    /// ("command exited with status 2"); nil when `message` quotes neither.
    public var kind: String?

    public init(
        message: String, command: [String]? = nil, exitStatus: Int32? = nil, stderrLines: [String] = [],
        outcomeUnknown: Bool = false, kind: String? = nil
    ) {
        self.message = message
        self.command = command
        self.exitStatus = exitStatus
        self.stderrLines = stderrLines
        self.outcomeUnknown = outcomeUnknown
        self.kind = kind
    }

    public var description: String { message }

    /// The failure as a record kept for others to read (the audit trail) says it: never the
    /// command's arguments or output, which may carry a password (a `--db` URI) or a payload.
    public var recordedText: String {
        if let kind { return kind }
        guard command == nil && stderrLines.isEmpty else {
            guard let exitStatus else { return "command failed" }
            return exitStatus < 0 ? "command was killed by signal \(-exitStatus)" : "command exited with status \(exitStatus)"
        }
        return message
    }
}
