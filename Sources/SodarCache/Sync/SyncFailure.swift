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

    public init(
        message: String, command: [String]? = nil, exitStatus: Int32? = nil, stderrLines: [String] = [],
        outcomeUnknown: Bool = false
    ) {
        self.message = message
        self.command = command
        self.exitStatus = exitStatus
        self.stderrLines = stderrLines
        self.outcomeUnknown = outcomeUnknown
    }

    public var description: String { message }
}
