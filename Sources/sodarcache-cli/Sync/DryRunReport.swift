import Foundation
import JSONKit
import SodarCache

/// What `synccache --dry-run` prints: per project and app the items a sync would make new,
/// change (with the changed paths), leave unchanged, remove, and no longer write; the units it
/// did not run and those that failed. A readable report, or (`--json`) a document for tools.
///
/// Everything from the store or a command (titles, app and item names, paths) is escaped for
/// the terminal (`Display.escape`; paths come escaped from `JSONPath`).
struct DryRunReport {
    /// One unit's line: its changes, or why there are none.
    enum Outcome {
        case compared(SyncUnitChanges)
        case notRun(String)
        case failed(SyncFailure)
    }

    struct Unit {
        var app: String
        var project: Project?
        var outcome: Outcome
    }

    let summary: SyncSummary
    let numbersByValue: Bool
    /// Every unit with an outcome, in run order (failures where they fell in it are unknown:
    /// after the compared units).
    let units: [Unit]

    init(summary: SyncSummary, numbersByValue: Bool) {
        self.summary = summary
        self.numbersByValue = numbersByValue
        var units = summary.changes.map { changes -> Unit in
            let outcome: Outcome = changes.basis == .skipped ? .notRun(changes.skipped ?? "") : .compared(changes)
            return Unit(app: changes.app, project: changes.project, outcome: outcome)
        }
        units += summary.failures.map { Unit(app: $0.app, project: $0.project, outcome: .failed($0.failure)) }
        self.units = units
    }

    /// Whether a real sync would change the store: something new, changed or removed.
    var wouldChange: Bool { summary.changeTotals.changesStore }

    /// Units not run because their command writes the cache itself.
    var notRun: Int { units.filter { if case .notRun = $0.outcome { return true } else { return false } }.count }

    // MARK: - Text

    /// Per project (site-wide last), each unit with something to say: its counts, then one
    /// line per item (`+` new, `~` changed with its first paths, `-` removed, `!` no longer
    /// written); units with every item unchanged are only counted in the closing line.
    func text() -> String {
        var out = "Dry run: nothing was written.\n"
        var quiet = 0
        for group in SyncSummary.byProject(units, project: { $0.project }) {
            let shown = group.filter(Self.hasNews)
            quiet += group.count - shown.count
            guard let first = shown.first else { continue }
            out += "\n" + Self.heading(first.project) + "\n"
            for unit in shown.sorted(by: { $0.app < $1.app }) { out += Self.lines(unit) }
        }
        out += "\n" + closing(quiet: quiet) + "\n"
        return out
    }

    /// `Would change: 1 new, 2 changed, 40 unchanged, 3 no longer written in 12 of 13 units; ...`.
    func closing(quiet: Int) -> String {
        var line = (wouldChange ? "Would change: " : "Nothing would change: ") + summary.changeTotals.description
        line += " in \(summary.succeeded) of \(summary.total + notRun) units"
        if quiet > 0 { line += " (\(quiet) with every item unchanged not listed)" }
        if summary.failed > 0 { line += "; \(summary.failed) failed" }
        if notRun > 0 { line += "; \(notRun) not run (\(notRun == 1 ? "its command writes" : "their commands write") the cache itself)" }
        if summary.cancelled { line += "; interrupted: \(summary.skipped) not compared" }
        return line + "; numbers compared by " + (numbersByValue ? "value (the store respells them)" : "text")
    }

    private static func hasNews(_ unit: Unit) -> Bool {
        guard case .compared(let changes) = unit.outcome else { return true }
        return changes.counts.new + changes.counts.changed + changes.counts.removed + changes.counts.notWritten > 0
    }

    private static func heading(_ project: Project?) -> String {
        guard let project else { return "Site-wide" }
        return "Project \"" + Display.escape(project.fullTitle) + "\" (" + project.uuid.sodarString + ")"
    }

    private static func lines(_ unit: Unit) -> String {
        let app = Display.escape(unit.app)
        switch unit.outcome {
        case .notRun(let why):
            return "  \(app): not run: \(why)\n"
        case .failed(let failure):
            return "  \(app): failed: " + Display.escape(failure.message.split(separator: "\n").first.map(String.init) ?? "") + "\n"
        case .compared(let changes):
            var out = "  \(app): \(changes.counts.description)\n"
            for item in changes.items {
                let name = label(item, unit: unit)
                switch item.kind {
                case .new: out += "    + \(name)\n"
                case .changed: out += "    ~ \(name)" + paths(item) + "\n"
                case .removed: out += "    - \(name) (removed)\n"
                case .notWritten: out += "    ! \(name) (no longer written: stays as it is)\n"
                }
            }
            if changes.itemsLeftOut > 0 { out += "    ... \(changes.itemsLeftOut) more\n" }
            return out
        }
    }

    /// The item's name; with its app, and its project, where they are not the unit's.
    private static func label(_ item: SyncItemChange, unit: Unit) -> String {
        var label = Display.escape(item.name)
        if item.app != unit.app { label = Display.escape(item.app) + ":" + label }
        if item.project != unit.project?.uuid { label += " in " + (item.project.map { "project \($0.sodarString)" } ?? "site-wide") }
        return label
    }

    private static func paths(_ item: SyncItemChange) -> String {
        guard !item.paths.isEmpty else { return "" }
        return ": " + item.paths.joined(separator: ", ") + (item.morePaths > 0 ? ", +\(item.morePaths) more" : "")
    }

    // MARK: - JSON

    /// `{"dry_run": true, "would_change", "numbers", "totals": {counts}, "units": {"total",
    /// "compared", "failed", "not_run", "not_compared"}, "changes": [{"project", "app",
    /// "outcome", ...}]}`: every unit, with its counts and items (`{"name"}`, a changed one
    /// with `paths` and `path_count`; `app` and `project` where they are not the unit's).
    func json() -> Data {
        var units: [String] = []
        for unit in self.units {
            var fields: [(String, String)] = [("project", Self.project(unit.project)), ("app", JSONText.string(unit.app))]
            switch unit.outcome {
            case .notRun(let why):
                fields += [("outcome", JSONText.string("not_run")), ("reason", JSONText.string(why))]
            case .failed(let failure):
                fields += [("outcome", JSONText.string("failed")), ("error", JSONText.string(failure.message))]
            case .compared(let changes):
                fields += [("outcome", JSONText.string("compared")), ("counts", Self.counts(changes.counts))]
                for kind in SyncItemChange.Kind.allCases {
                    fields.append((kind.rawValue, "[" + changes.items(kind).map { Self.item($0, unit: unit) }.joined(separator: ", ") + "]"))
                }
                fields.append(("items_left_out", String(changes.itemsLeftOut)))
            }
            units.append(JSONText.object(fields))
        }
        let document = JSONText.object([
            ("dry_run", "true"),
            ("would_change", String(wouldChange)),
            ("numbers", JSONText.string(numbersByValue ? "value" : "text")),
            ("totals", Self.counts(summary.changeTotals)),
            ("units", JSONText.object([
                ("total", String(summary.total + notRun)), ("compared", String(summary.succeeded)), ("failed", String(summary.failed)),
                ("not_run", String(notRun)), ("not_compared", String(summary.skipped)),
            ])),
            ("cancelled", String(summary.cancelled)),
            ("changes", "[" + units.joined(separator: ", ") + "]"),
        ])
        return Data(document.utf8)
    }

    private static func project(_ project: Project?) -> String {
        guard let project else { return "null" }
        return JSONText.object([("uuid", JSONText.string(project.uuid.sodarString)), ("title", JSONText.string(project.fullTitle))])
    }

    private static func counts(_ counts: SyncChangeCounts) -> String {
        JSONText.object([
            ("new", String(counts.new)), ("changed", String(counts.changed)), ("unchanged", String(counts.unchanged)),
            ("no_longer_written", String(counts.notWritten)), ("removed", String(counts.removed)),
        ])
    }

    private static func item(_ item: SyncItemChange, unit: Unit) -> String {
        var fields: [(String, String)] = [("name", JSONText.string(item.name))]
        if item.app != unit.app { fields.append(("app", JSONText.string(item.app))) }
        if item.project != unit.project?.uuid { fields.append(("project", JSONText.string(item.project?.sodarString))) }
        if item.kind == .changed {
            fields.append(("paths", "[" + item.paths.map { JSONText.string($0) }.joined(separator: ", ") + "]"))
            fields.append(("path_count", String(item.pathCount)))
        }
        return JSONText.object(fields)
    }
}
