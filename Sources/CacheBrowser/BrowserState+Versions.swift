import Foundation
import JSONKit
import SodarCache
import StoreKernel

// `H`: an item's versions (history and trash), and the diff of one against the current payload.
extension BrowserState {
    // MARK: - Opening

    /// `H` on an item (items list) or in its payload: lists its versions off the UI loop.
    mutating func showVersions() -> [BrowserEffect] {
        guard let item = focusedItem else {
            message = StatusMessage("Select an item first: H lists an item's versions")
            return []
        }
        let generation = nextGeneration()
        versions = VersionsState(item: item, generation: generation)
        return [.loadVersions(generation: generation, item: item)]
    }

    /// Rows of the version list on screen (below its title, above its notes).
    var versionRowsVisible: Int {
        max(1, layout.bodyHeight - 1 - min(versions?.notes.count ?? 0, 3))
    }

    // MARK: - Keys

    /// How far a movement key moves the version list's or the diff's cursor (0 for other keys).
    static func step(_ intent: KeyIntent, visible: Int) -> Int {
        switch intent {
        case .moveUp: -1
        case .moveDown: 1
        case .pageUp: -visible
        case .pageDown: visible
        case .top: -Int.max / 2
        case .bottom: Int.max / 2
        default: 0
        }
    }

    mutating func handleVersions(key: Key) -> [BrowserEffect] {
        guard var current = versions else { return [] }
        guard let intent = keyMap.intent(for: key, in: keyContext) else { return [] }
        if var diff = current.diff {
            let visible = layout.visibleRows(.payload)
            switch intent {
            case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
                diff.move(by: Self.step(intent, visible: visible), visible: visible)
            case .nextChange, .previousChange:
                let forward = intent == .nextChange
                if let index = diff.jump(forward: forward, visible: visible), let lines = diff.lines {
                    message = StatusMessage("Change \(index + 1) of \(lines.paths.count): \(lines.paths[index])")
                } else if diff.lines?.isEqual == true {
                    message = StatusMessage("The two are equal: no change")
                } else {
                    message = StatusMessage(forward ? "No change below" : "No change above")
                }
            case .scrollRight, .scrollLeft:
                guard diff.lines != nil else { break }
                let shown = diff
                diff.shift = scrolledSideways(diff.shift, right: intent == .scrollRight) { reach, room in
                    shown.furthestShift(visible: visible, reach: reach, room: room)
                }
            case .back:
                current.diff = nil
                versions = current
                // A 50 MB diff still comparing would hold up the next one on its lane.
                return diff.loading ? [.cancelDiff] : []
            case .help: overlay = .help(scroll: 0)
            case .quit: return quit()
            default:
                message = StatusMessage("\(intent.summary.prefix(1).uppercased() + intent.summary.dropFirst()): not in the diff (Esc goes back)")
            }
            current.diff = diff
            versions = current
            return []
        }
        let visible = versionRowsVisible
        switch intent {
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            current.move(by: Self.step(intent, visible: visible), visible: visible)
        case .drillIn:
            versions = current
            return openDiff()
        case .back:
            versions = nil
            return []
        case .reload:
            let generation = nextGeneration()
            var fresh = VersionsState(item: current.item, generation: generation)
            fresh.cursor = current.cursor
            fresh.top = current.top
            versions = fresh
            return [.loadVersions(generation: generation, item: current.item)]
        case .help: overlay = .help(scroll: 0)
        case .quit: return quit()
        default:
            message = StatusMessage("\(intent.summary.prefix(1).uppercased() + intent.summary.dropFirst()): not in the version list (Esc goes back)")
        }
        versions = current
        return []
    }

    /// Enter on a version: its diff against the current payload, worked out off the UI loop.
    mutating func openDiff() -> [BrowserEffect] {
        guard var current = versions else { return [] }
        guard let row = current.selectedRow else {
            message = StatusMessage(current.loading ? "The versions are still loading" : "No version to compare")
            return []
        }
        if row.ref == .current {
            message = StatusMessage("This is the current version: pick an earlier one to compare with it")
            return []
        }
        let generation = nextGeneration()
        current.diff = DiffViewState(version: row, generation: generation)
        versions = current
        return [.loadDiff(DiffRequest(generation: generation, uuid: current.item.uuid, ref: row.ref))]
    }

    /// The wheel scrolls the list or the diff; clicks do nothing there.
    mutating func versionsMouse(_ event: MouseEvent) -> [BrowserEffect] {
        switch event.action {
        case .wheelUp: return handleVersions(key: .up)
        case .wheelDown: return handleVersions(key: .down)
        case .press: return []
        }
    }

    // MARK: - Answers

    mutating func versionsAnswered(_ answer: BrowserMessage) -> [BrowserEffect] {
        guard var current = versions else { return [] }
        switch answer {
        case .versionsLoaded(let generation, let listing):
            guard current.generation == generation else { return [] }
            current.loading = false
            current.failure = nil
            current.rows = listing.rows
            current.notes = listing.notes
            current.cursor = min(current.cursor, max(0, listing.rows.count - 1))
            // The newest earlier version is the one to compare first.
            if current.cursor == 0, listing.rows.count > 1, listing.rows[0].ref == .current { current.cursor = 1 }
            versions = current
            current.move(by: 0, visible: versionRowsVisible)
        case .versionsFailed(let generation, let text):
            guard current.generation == generation else { return [] }
            current.loading = false
            current.failure = text
            message = StatusMessage(text, isError: true)
        case .diffLoaded(let generation, let lines):
            guard var diff = current.diff, diff.generation == generation else { return [] }
            diff.loading = false
            diff.lines = lines
            diff.cursor = 0
            diff.top = 0
            // Straight to the first change, a little context above it.
            if let first = lines.changeStarts.first {
                diff.cursor = first
                diff.top = max(0, first - min(3, layout.visibleRows(.payload) / 4))
            }
            current.diff = diff
        case .diffFailed(let generation, let text):
            guard var diff = current.diff, diff.generation == generation else { return [] }
            diff.loading = false
            diff.failure = text
            current.diff = diff
            message = StatusMessage(text, isError: true)
        default:
            return []
        }
        versions = current
        return []
    }
}
