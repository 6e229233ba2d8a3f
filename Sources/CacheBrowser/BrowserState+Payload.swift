import Foundation
import JSONKit
import SodarCache

// The opened item: its document arriving, and writing its JSON to a file.
extension BrowserState {
    // MARK: - Payload

    mutating func payloadLoaded(generation: Int, item: CacheItem, title: String?, document: any PayloadDocument) -> [BrowserEffect] {
        guard payload?.generation == generation else { return [] }
        payload?.item = item
        payload?.projectTitle = title
        payload?.document = document
        payload?.loading = false
        payload?.failure = nil
        // A refreshed document may be shorter: keep the cursor on a line.
        let viewport = payloadViewport
        if var current = payload {
            if current.cursor >= document.lineCount {
                current.cursor = max(0, document.lineCount - 1)
                current.top = min(current.top, current.cursor)
            }
            current.scrollToCursor(viewport)
            payload = current
        }
        // The sideways shift lasts for the session, but no further than these lines go: kept
        // from a wider item, it would show every line of a narrower one blank.
        if payloadShift > 0, !payloadWrap {
            let room = max(1, width - PayloadText.gutterWidth)
            payloadShift = min(payloadShift, furthestShift(reach: payloadShift + room, room: room))
        }
        return []
    }

    /// How far right the lines on screen can be shifted (their end then shows at the right
    /// edge), measuring each no further than `reach` columns.
    private func furthestShift(reach: Int, room: Int) -> Int {
        guard let current = payload else { return 0 }
        var widest = 0
        for line in current.visibleLines(count: layout.visibleRows(.payload)) {
            widest = max(widest, current.text(ofLine: line, columns: reach)?.columns(upTo: reach) ?? 0)
        }
        // A line that just fits needs no scrolling; one that goes on shows its end with its mark.
        return max(0, widest - room)
    }

    mutating func payloadFailed(generation: Int, item: CacheItem?, title: String?, text: String) -> [BrowserEffect] {
        guard payload?.generation == generation else { return [] }
        if var current = payload {
            current.item = item ?? current.item
            current.projectTitle = title ?? current.projectTitle
            current.loading = false
            current.failure = text
            payload = current
        }
        if pane == .payload { message = StatusMessage(text, isError: true) }
        return []
    }

    mutating func saved(path: String?, data: Data) -> [BrowserEffect] {
        if let path {
            message = StatusMessage("Wrote \(BrowserFormat.size(data.count)) to \(path)")
        } else {
            stdoutAfterExit = data
            message = StatusMessage("The JSON (\(BrowserFormat.size(data.count))) goes to stdout after exit")
        }
        return []
    }

    mutating func saveFailed(path: String?, text: String) -> [BrowserEffect] {
        // The reason first: a long path must not push it off the line.
        message = StatusMessage("Not written: \(text)\(path.map { " (" + Display.escape($0) + ")" } ?? "")", isError: true)
        return []
    }

    mutating func askToReplace(_ request: SaveRequest, size: Int) -> [BrowserEffect] {
        let path = Display.escape(request.path ?? "")
        overlay = .confirm(
            ConfirmDialog(
                purpose: .overwrite(request), title: "Replace the file?",
                lines: [
                    "The file exists (\(BrowserFormat.size(size))):", path,
                    "Replace it with the item's JSON? Its old content is lost.",
                ]))
        return []
    }

    // MARK: - Long lines

    /// `w`: wraps long lines, or cuts them at the pane's edge again (for the session).
    mutating func toggleWrap() -> [BrowserEffect] {
        payloadWrap.toggle()
        // The cursor's line may now take more rows than are left below it.
        let viewport = payloadViewport
        payload?.scrollToCursor(viewport)
        message = StatusMessage(
            payloadWrap ? "Long lines wrap (w: cut them at the edge)" : "Long lines cut at the edge (> < scroll sideways, w wraps)")
        return []
    }

    /// `>`/`<`: scrolls the payload sideways by half its text width, no further than the longest
    /// line on screen needs (measured no further than that either).
    mutating func scrollSideways(right: Bool) -> [BrowserEffect] {
        guard !payloadWrap else {
            message = StatusMessage("Long lines wrap: nothing to scroll sideways (w cuts them at the edge)")
            return []
        }
        guard payload?.document != nil else { return [] }
        let lines = self
        payloadShift = scrolledSideways(payloadShift, right: right) { reach, room in lines.furthestShift(reach: reach, room: room) }
        return []
    }

    /// `>`/`<` in the payload or the diff: `shift` moved by half the text's width, no further
    /// than `furthest(reach, room)` allows (how far the lines on screen, measured no further
    /// than `reach` columns, can be shifted in a text `room` columns wide); says where it is.
    mutating func scrolledSideways(_ shift: Int, right: Bool, furthest: (_ reach: Int, _ room: Int) -> Int) -> Int {
        let room = max(1, width - PayloadText.gutterWidth)
        let step = max(1, room / 2)
        let limit = furthest(shift + step + room, room)
        var shift = shift
        if right {
            guard limit > shift else {
                message = StatusMessage("No line on screen goes on to the right")
                return shift
            }
            shift = min(shift + step, limit)
        } else {
            guard shift > 0 else {
                message = StatusMessage("At the left edge")
                return shift
            }
            // A shift kept from a wider item comes back from where these lines end.
            shift = max(0, min(shift, limit) - step)
        }
        message = StatusMessage(shift == 0 ? "At the left edge" : "From column \(shift + 1) of the lines (< goes back)")
        return shift
    }

    // MARK: - Search

    /// `/` (Enter) and `n`/`N`: a search off the UI loop, replacing a running one.
    mutating func startSearch(_ needle: String, forward: Bool, skipCurrent: Bool) -> [BrowserEffect] {
        guard var current = payload else { return [] }
        guard let search = current.startSearch(needle, forward: forward, skipCurrent: skipCurrent, id: nextGeneration())
        else {
            message = StatusMessage("Nothing to search", isError: true)
            return []
        }
        payload = current
        message = StatusMessage("Searching for \(needle)… (Esc cancels)")
        // The runner stops a running search when it gets a newer one.
        return [.search(search)]
    }

    /// Esc while a search runs.
    mutating func cancelSearch() -> [BrowserEffect] {
        payload?.searching = nil
        message = StatusMessage("Search cancelled")
        return [.cancelSearch]
    }

    mutating func searchFinished(id: Int, line: Int?, path: String?) -> [BrowserEffect] {
        guard var current = payload, let search = current.searching, search.id == id else { return [] }
        message = current.finishSearch(search, hit: line, path: path, payloadViewport)
        payload = current
        return []
    }
}
