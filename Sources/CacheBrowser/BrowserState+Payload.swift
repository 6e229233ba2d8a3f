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
        let visible = layout.visibleRows(.payload)
        if var current = payload {
            if current.cursor >= document.lineCount {
                current.cursor = max(0, document.lineCount - 1)
                current.top = min(current.top, current.cursor)
            }
            current.scrollToCursor(visible: visible)
            payload = current
        }
        return []
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
        message = current.finishSearch(search, hit: line, path: path, visible: layout.visibleRows(.payload))
        payload = current
        return []
    }
}
