import Foundation
import JSONKit
import SodarCache

/// A sync's changes as the browser lists them: a preview's (`P`, nothing written) or the last
/// sync's of this session (`C`). Built once from the engine's summary, drawn row by row.
///
/// Per app first (the counts `synccache` prints in its summary, when more than one project
/// took part), then per project: each app's counts (or why it did not run, or how it failed)
/// and its items: `+` new, `~` changed (with the first changed paths), `-` removed, `!` no
/// longer written. At most `itemsPerUnit` items per app and project, then how many more.
public struct ChangeList: Sendable, Hashable {
    /// Which run the list is of.
    public enum Source: Sendable, Hashable {
        /// `P`: a dry run; nothing was written.
        case preview
        /// The last sync (`s`/`S`) of this session.
        case lastSync
    }

    public var source: Source
    /// What was synced ("Cancer Research / Project Alpha", "everything"), escaped.
    public var title: String
    /// When the run ended (by the browser's clock).
    public var endedAt: Date
    public var rows: [ChangeRow]
    /// The closing line: the totals, and what was not compared.
    public var closing: String

    /// Items listed per app and project before "… N more".
    public static let itemsPerUnit = 50

    public init(source: Source, title: String, endedAt: Date, rows: [ChangeRow], closing: String) {
        self.source = source
        self.title = title
        self.endedAt = endedAt
        self.rows = rows
        self.closing = closing
    }

    /// The list of a run's summary.
    public init(source: Source, title: String, endedAt: Date, summary: SyncSummary) {
        self.init(
            source: source, title: title, endedAt: endedAt, rows: Self.rows(summary, preview: source == .preview),
            closing: Self.closing(summary, preview: source == .preview))
    }

    // MARK: - Rows

    /// One unit's outcome.
    private enum Outcome {
        case compared(SyncUnitChanges)
        case notRun(String)
        case failed(SyncFailure)
    }

    private struct Unit {
        var app: String
        var project: Project?
        var outcome: Outcome
    }

    static func rows(_ summary: SyncSummary, preview: Bool) -> [ChangeRow] {
        var units = summary.changes.map { changes -> Unit in
            let outcome: Outcome = changes.basis == .skipped ? .notRun(changes.skipped ?? "") : .compared(changes)
            return Unit(app: changes.app, project: changes.project, outcome: outcome)
        }
        units += summary.failures.map { Unit(app: $0.app, project: $0.project, outcome: .failed($0.failure)) }
        let groups = SyncSummary.byProject(units, project: { $0.project })
        var rows: [ChangeRow] = []
        let byApp = summary.changesByApp
        if groups.count > 1 && !byApp.isEmpty {
            rows.append(ChangeRow(.heading, "Per app (as synccache's summary counts them)"))
            for (app, counts, basis) in byApp {
                rows.append(ChangeRow(.app, "  " + app + ": " + Self.counts(counts, basis: basis)))
            }
        }
        for group in groups {
            rows.append(ChangeRow(.heading, group[0].project.map { "Project \"\($0.fullTitle)\"" } ?? "Site-wide"))
            for unit in group.sorted(by: { $0.app < $1.app }) { rows += Self.rows(unit) }
        }
        return rows
    }

    private static func rows(_ unit: Unit) -> [ChangeRow] {
        switch unit.outcome {
        case .notRun(let why):
            return [ChangeRow(.skipped, "  \(unit.app): not run: \(why)")]
        case .failed(let failure):
            let first = failure.message.split(separator: "\n").first.map(String.init) ?? ""
            return [ChangeRow(.failed, "  \(unit.app): failed: \(first)")]
        case .compared(let changes):
            var rows = [ChangeRow(.app, "  \(unit.app): " + counts(changes.counts, basis: changes.basis))]
            for item in changes.items.prefix(itemsPerUnit) {
                rows.append(ChangeRow(item: item, label: label(item, unit: unit)))
            }
            let more = max(0, changes.items.count - itemsPerUnit) + changes.itemsLeftOut
            if more > 0 { rows.append(ChangeRow(.more, "    … \(BrowserFormat.count(more)) more")) }
            return rows
        }
    }

    /// The counts in the command line's words.
    static func counts(_ counts: SyncChangeCounts, basis: SyncUnitChanges.Basis) -> String {
        guard basis == .aroundRun else { return counts.description }
        // `synccache`'s words for a command that writes the cache itself.
        return "\(counts.new) new, \(counts.changed) changed, \(counts.removed) removed (against the items just before its run)"
    }

    /// The item's name; with its app, and its project, where they are not the unit's.
    private static func label(_ item: SyncItemChange, unit: Unit) -> String {
        var label = item.name
        if item.app != unit.app { label = item.app + ":" + label }
        if item.project != unit.project?.uuid { label += " in " + (item.project.map { "project \($0.sodarString)" } ?? "site-wide") }
        return label
    }

    // MARK: - Closing line

    static func closing(_ summary: SyncSummary, preview: Bool) -> String {
        let notRun = summary.changes.filter { $0.basis == .skipped }.count
        let totals = summary.changeTotals
        var line: String
        if preview {
            line = (totals.changesStore ? "Would change: " : "Nothing would change: ") + totals.description
        } else {
            line = "Changed: " + totals.description
        }
        line += " in \(summary.succeeded) of \(summary.total + (preview ? notRun : 0)) units"
        if summary.failed > 0 { line += "; \(summary.failed) failed" }
        if notRun > 0 { line += "; \(notRun) not run (\(notRun == 1 ? "its command writes" : "their commands write") the cache itself)" }
        if summary.cancelled { line += "; cancelled: \(summary.skipped) not \(preview ? "compared" : "done")" }
        if preview { line += "; nothing was written" }
        return line
    }
}
