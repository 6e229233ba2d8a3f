import Foundation
import JSONKit
import SodarCache

/// A sync the browser started and has not seen end yet.
public struct SyncProgress: Sendable, Hashable {
    /// What is synced, for the progress line ("Cancer Research / Project Alpha", "everything").
    public var title: String
    /// The counts, kept by the reducer the command line's progress bar uses too.
    public private(set) var tally = SyncTally()
    /// Units planned (nil until the engine has planned).
    public var total: Int? { tally.total }
    /// Units that ended (succeeded or failed).
    public var done: Int { tally.done }
    public var failed: Int { tally.failed }
    public var itemsWritten: Int { tally.itemsWritten }
    /// Units running now, as "app · project", oldest first.
    public var running: [String] = []
    public var started: Date
    /// Cancel was asked for; the run ends when its running units have stopped.
    public var cancelling = false
    /// Whether units run for more than one project (the progress line then names the project).
    public var manyProjects: Bool
    /// A preview (`P`): a dry run, which writes nothing.
    public var dryRun = false

    public init(title: String, started: Date, manyProjects: Bool = true) {
        self.title = title
        self.started = started
        self.manyProjects = manyProjects
    }

    /// How a running unit is named in the progress line.
    func unitName(app: String, project: Project?) -> String {
        manyProjects ? app + " · " + Display.escape(project?.fullTitle ?? "site-wide") : app
    }

    /// Takes in one engine event.
    mutating func apply(_ event: SyncEvent) {
        tally.apply(event)
        switch event {
        case .planned:
            break
        case .started(let app, let project):
            running.append(unitName(app: app, project: project))
        case .finished(let app, let project, _), .failed(let app, let project, _):
            remove(unitName(app: app, project: project))
        case .cancelled:
            cancelling = true
        }
    }

    private mutating func remove(_ name: String) {
        if let index = running.firstIndex(of: name) { running.remove(at: index) }
    }

    /// The line above the status line (after the view's spinner): done/total, what runs
    /// now, elapsed time, failures.
    public func line(now: Date) -> String {
        var parts: [String] = []
        let count = total.map { "\(done)/\($0)" } ?? "planning"
        let verb = dryRun ? (cancelling ? "Cancelling the preview of" : "Previewing the sync of") : (cancelling ? "Cancelling sync of" : "Syncing")
        parts.append("\(verb) \(title): \(count)")
        if let current = running.first {
            parts.append(running.count > 1 ? "\(current) (+\(running.count - 1))" : current)
        }
        parts.append(BrowserFormat.elapsed(now.timeIntervalSince(started)))
        if failed > 0 { parts.append("\(failed) failed (F)") }
        if !cancelling { parts.append("c cancels") }
        return parts.joined(separator: " · ")
    }
}
