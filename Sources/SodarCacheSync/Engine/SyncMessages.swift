import Foundation
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

    /// What a cancelled run did and did not do.
    public static func cancelled(_ summary: SyncSummary) -> String {
        "Cache synchronization cancelled: " + summary.counts
    }
}
