import Foundation
import JSONKit
import SodarCache
import StoreKernel

// The doctor's findings (`!`): the same pass as `sodarcache doctor`, in a view of its own;
// Enter on a finding goes to its project, app and item.
extension BrowserState {
    /// The findings of the last run, if any.
    var findings: [DoctorFinding] { checkup?.report?.findings ?? [] }

    /// `!`: opens the view and runs the doctor (the last report stays on screen meanwhile).
    mutating func showFindings() -> [BrowserEffect] {
        overlay = .findings(cursor: 0)
        return runDoctor()
    }

    mutating func runDoctor() -> [BrowserEffect] {
        let generation = nextGeneration()
        checkup = Checkup(generation: generation, report: checkup?.report)
        return [.runDoctor(DoctorRequest(generation: generation, settings: options.doctorSettings, registeredApps: options.registeredApps, now: now))]
    }

    mutating func doctorFinished(generation: Int, report: DoctorReport) -> [BrowserEffect] {
        guard generation == checkup?.generation else { return [] }
        checkup = Checkup(generation: generation, report: report, running: false)
        if case .findings(let cursor) = overlay {
            overlay = .findings(cursor: min(cursor, max(0, report.findings.count - 1)))
        } else {
            message = StatusMessage("Doctor: \(report.status.label), \(FindingText.counts(report)) (! shows them)")
        }
        return []
    }

    mutating func doctorFailed(generation: Int, text: String) -> [BrowserEffect] {
        guard generation == checkup?.generation else { return [] }
        checkup?.running = false
        checkup?.failure = text
        if overlay == nil { message = StatusMessage("The doctor could not check the store: \(text)", isError: true) }
        return []
    }

    mutating func handleFindings(cursor: Int, key: Key) -> [BrowserEffect] {
        if let moved = listCursor(key, cursor: cursor, count: findings.count) {
            overlay = .findings(cursor: moved)
            return []
        }
        switch key {
        case .enter, .right, .char("l"):
            guard findings.indices.contains(cursor) else { return [] }
            return go(to: findings[cursor])
        case .char("r"):
            return runDoctor()
        case .ctrl("c"):
            overlay = nil
            return quit()
        case .escape, .left, .char("h"), .backspace, .char("q"), .char("!"):
            overlay = nil
        default:
            break
        }
        return []
    }

    mutating func findingsMouse(_ event: MouseEvent, cursor: Int) -> [BrowserEffect] {
        switch listPointing(event, cursor: cursor, count: findings.count) {
        case .select(let entry): overlay = .findings(cursor: entry)
        case .open(let entry): return go(to: findings[entry])
        case nil: break
        }
        return []
    }

    /// Closes the view and shows the finding: its project (unfolded, the filter cleared), its
    /// app, and its first item (the oldest stale one, the largest oversized one).
    mutating func go(to finding: DoctorFinding) -> [BrowserEffect] {
        overlay = nil
        let what = "\(BrowserFormat.counted(finding.count, finding.check == .missing ? "name" : "item")) "
            + "(\(finding.check.phrase)) of \(Display.escape(finding.app)) in \(Display.escape(finding.place))"
        if finding.projectGone {
            message = StatusMessage("Nothing to show: \(what) belong to a project that is gone (deletecache --orphans removes them)")
            return []
        }
        // Every category above it opens; a filter would hide it.
        for ancestor in finding.ancestors {
            if foldAllProjects { projectFolds.insert(ancestor) } else { projectFolds.remove(ancestor) }
        }
        projects.filter = nil
        let item = finding.check == .missing ? nil : finding.items.first
        var target = Reselection(
            project: finding.project.map { .project($0.uuid) } ?? .site, app: finding.app, item: item?.uuid)
        target.itemAnchor = item
        reselect = target
        // Focus where the finding is: the item, or for names missing the project itself.
        pane = item != nil ? .items : .projects
        payload = nil
        message = StatusMessage(what.prefix(1).uppercased() + what.dropFirst())
        let generation = nextGeneration()
        projects.restart(generation: generation, keepRows: true)
        projectAnchorRow = nil
        guard let project = finding.project else { return [projectPage(.after(nil), generation: generation)] }
        let anchor = ProjectSummary(project: project, depth: finding.ancestors.count, itemCount: 0, latestUpdate: nil)
        return [projectPage(.around(anchor), generation: generation)]
    }
}
