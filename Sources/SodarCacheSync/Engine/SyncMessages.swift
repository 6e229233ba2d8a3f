import Foundation
import JSONKit
import SodarCache

/// SODAR's `synccache` log lines, for the engine's logger and for the command line.
public enum SyncMessages {
    /// `Limiting sync to project "<title>" (<uuid>)`.
    /// For a category: `Limiting sync to category "<title>" (<uuid>) and the projects beneath it`.
    public static func limitingSync(to project: Project) -> String {
        if project.type == .category {
            return "Limiting sync to category \"\(project.fullTitle)\" (\(project.uuid.sodarString)) and the projects beneath it"
        }
        return "Limiting sync to project \"\(project.fullTitle)\" (\(project.uuid.sodarString))"
    }

    /// `Synchronizing cache for all projects`.
    public static let allProjects = "Synchronizing cache for all projects"

    /// `Update failed for plugin "<name>": "<error>"`, naming the project when there is one
    /// (SODAR's line carries no project; with many projects per run ours must).
    public static func updateFailed(plugin: String, project: Project?, failure: SyncFailure) -> String {
        let place = project.map { " in project \"\($0.fullTitle)\" (\($0.uuid.sodarString))" } ?? ""
        return "Update failed for plugin \"\(plugin)\"\(place): \"\(failure.message)\""
    }

    /// `Cache synchronization OK` or `Cache synchronization finished with errors (see logs)`.
    public static func finished(_ summary: SyncSummary) -> String {
        summary.failed == 0 && !summary.cancelled
            ? "Cache synchronization OK"
            : "Cache synchronization finished with errors (see logs)"
    }

    /// `Items written: N`: by our units, and by commands that write the cache themselves (the
    /// items whose update time or payload their run changed).
    public static func written(_ summary: SyncSummary) -> String {
        "Items written: \(summary.itemsWritten)"
    }

    /// Said first by a dry run.
    public static let dryRun = "Dry run: plugins run as in a sync, and nothing is written"

    /// Why a dry run does not run a command that writes the cache itself.
    public static let dryRunSkips = "its command writes the cache itself (writes_cache), so a dry run does not start it"

    /// `Skipped plugin "<name>" in project "<title>" (<uuid>): <why>`.
    public static func skipped(plugin: String, project: Project?) -> String {
        let place = project.map { " in project \"\($0.fullTitle)\" (\($0.uuid.sodarString))" } ?? ""
        return "Skipped plugin \"\(plugin)\"\(place): \(dryRunSkips)"
    }

    /// The most item names a line of a command's changes lists.
    static let namesPerLine = 10

    /// One line per app: `Changes for plugin "<name>": 2 new, 1 changed, 40 unchanged, 3 no
    /// longer written` (a dry run: `Would change for ...`); for a command that writes the
    /// cache itself, what its run changed against the items just before it, with the names.
    public static func changes(_ summary: SyncSummary) -> [String] {
        summary.changesByApp.map { app, counts, basis in
            let name = Display.escape(app)
            switch basis {
            case .aroundRun:
                let items = summary.changes.filter { $0.app == app && $0.basis == .aroundRun }.flatMap(\.items)
                let listed = items.count + summary.changes.filter { $0.app == app }.map(\.itemsLeftOut).reduce(0, +)
                var names = items.prefix(namesPerLine).map { change in
                    let mark = change.kind == .new ? "+" : change.kind == .removed ? "-" : "~"
                    return mark + Display.escape(change.app + ":" + change.name)
                }.joined(separator: " ")
                if listed > namesPerLine { names += " +\(listed - namesPerLine) more" }
                return "Changes made by plugin \"\(name)\" (against the items just before its run): "
                    + "\(counts.new) new, \(counts.changed) changed, \(counts.removed) removed" + (names.isEmpty ? "" : ": " + names)
            case .writes, .skipped:
                return (summary.dryRun ? "Would change for plugin" : "Changes for plugin") + " \"\(name)\": \(counts.description)"
            }
        }
    }

    /// A dry run's closing line: what would change, and what was not compared.
    public static func dryRunFinished(_ summary: SyncSummary) -> String {
        let notRun = summary.changes.filter { $0.basis == .skipped }.count
        var line = "Dry run finished: \(summary.changeTotals.description) in \(summary.succeeded) of \(summary.total) units"
        if summary.failed > 0 { line += ", \(summary.failed) failed" }
        if notRun > 0 { line += "; \(notRun) not run (\(notRun == 1 ? "its command writes" : "their commands write") the cache itself)" }
        return line + "; nothing was written"
    }

    /// What a cancelled run did and did not do.
    public static func cancelled(_ summary: SyncSummary) -> String {
        "Cache synchronization cancelled: " + summary.counts
    }
}
