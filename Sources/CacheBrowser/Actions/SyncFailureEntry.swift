import Foundation
import JSONKit
import SodarCache

/// One failed unit of the last sync, kept for the failure list (`F`).
public struct SyncFailureEntry: Sendable, Hashable {
    public var app: String
    /// The project's full title (nil: site-wide).
    public var project: String?
    public var failure: SyncFailure

    public init(app: String, project: String?, failure: SyncFailure) {
        self.app = app
        self.project = project
        self.failure = failure
    }

    /// The failure list's row.
    public var summary: String {
        app + " · " + (project ?? "site-wide") + ": " + failure.message
    }

    /// The detail view's lines: command, exit status, stderr.
    public var detailLines: [String] {
        var lines = ["App: \(app)", "Project: \(project ?? "(site-wide)")", "Error: \(failure.message)"]
        if let command = failure.command {
            lines.append("Command: " + ShellWords.join(command))
        }
        if let status = failure.exitStatus {
            lines.append(status < 0 ? "Killed by signal \(-status)" : "Exit status: \(status)")
        }
        if failure.stderrLines.isEmpty {
            lines.append("Stderr: (empty)")
        } else {
            lines.append("Stderr:")
            lines += failure.stderrLines.map { "  " + $0 }
        }
        return lines
    }
}
