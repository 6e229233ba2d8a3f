import Foundation
import JSONKit
import SodarCache

// The message loop's entry: `update` hands each message to the part that handles it.
extension BrowserState {
    /// The layout for the current size.
    public var layout: BrowserLayout {
        BrowserLayout(width: width, height: height, hasProgressLine: progressLine != nil)
    }

    /// The first requests: totals, then the first page of projects (`firstProjectPageSize`).
    public mutating func start() -> [BrowserEffect] {
        let generation = nextGeneration()
        projects.restart(generation: generation)
        // What the session may not do, and why, once at launch (the header keeps the summary).
        let capabilities = options.capabilities
        var reasons = [capabilities.whyNotDelete, capabilities.whyNotWrite].compactMap { $0 }
        if reasons.count == 2 && reasons[0] == reasons[1] { reasons.removeLast() }
        if !options.readOnly && !reasons.isEmpty {
            let summary = capabilities.summary
            message = StatusMessage(summary.prefix(1).uppercased() + summary.dropFirst() + ": " + reasons.joined(separator: "; "))
        }
        return [.loadTotals, projectPage(.after(nil), generation: generation, limit: firstProjectPageSize)]
    }

    /// Applies a message; returns the work it asks for.
    public mutating func update(_ message: BrowserMessage) -> [BrowserEffect] {
        let effects = apply(message)
        refreshProgressLine()
        return effects
    }

    mutating func apply(_ message: BrowserMessage) -> [BrowserEffect] {
        switch message {
        case .key(let key):
            return handle(key: key)
        case .mouse(let event):
            return handle(mouse: event)
        case .resize(let newWidth, let newHeight):
            return resized(width: newWidth, height: newHeight)
        case .tick(let date):
            now = date
            return []
        case .totalsLoaded(let newTotals):
            return totalsLoaded(newTotals)
        case .pageLoaded(let generation, let page):
            return pageLoaded(generation: generation, page: page)
        case .payloadLoaded(let generation, let item, let title, let document):
            return payloadLoaded(generation: generation, item: item, title: title, document: document)
        case .payloadFailed(let generation, let item, let title, let text):
            return payloadFailed(generation: generation, item: item, title: title, text: text)
        case .loadFailed(let failedPane, let generation, let text):
            return loadFailed(pane: failedPane, generation: generation, text: text)
        case .saved(let path, let data):
            return saved(path: path, data: data)
        case .saveFailed(let path, let text):
            return saveFailed(path: path, text: text)
        case .saveWouldReplace(let request, let size):
            return askToReplace(request, size: size)
        case .syncEvent(let event):
            return syncEvent(event)
        case .syncEnded(let summary):
            return syncEnded(summary)
        case .syncFailed(let text):
            return syncFailed(text: text)
        case .deleteCounted(let target):
            return askToDelete(target)
        case .deleted(let target, let count, let changed):
            return deleted(target, count: count, changed: changed)
        case .deleteFailed(let target, let text):
            return deleteFailed(target, text: text)
        case .undone(let outcome):
            return undone(outcome)
        case .undoFailed(let text):
            return undoFailed(text: text)
        case .searchFinished(let id, let line, let path):
            return searchFinished(id: id, line: line, path: path)
        case .valueCopied(let path, let value):
            return valueCopied(path: path, value: value)
        case .storeReopened:
            return storeReopened()
        case .storeUnavailable(let text):
            return storeUnavailable(text: text)
        case .storeChanged(let token):
            return storeChanged(token: token)
        case .standbyChanged(let status):
            standby = status
            return []
        case .doctorFinished(let generation, let report):
            return doctorFinished(generation: generation, report: report)
        case .doctorFailed(let generation, let text):
            return doctorFailed(generation: generation, text: text)
        case .versionsLoaded, .versionsFailed, .diffLoaded, .diffFailed:
            return versionsAnswered(message)
        case .itemLocated(let lookup, let location):
            return itemLocated(lookup, location)
        case .itemLookupFailed(let lookup, let text):
            return itemLookupFailed(lookup, text: text)
        case .auditLoaded(let generation, let entries):
            return auditLoaded(generation: generation, entries: entries)
        case .auditFailed(let generation, let text):
            return auditFailed(generation: generation, text: text)
        }
    }

    /// The terminal changed size: a dialog that no longer fits goes, the lists rescroll.
    mutating func resized(width newWidth: Int, height newHeight: Int) -> [BrowserEffect] {
        width = max(0, newWidth)
        height = max(0, newHeight)
        if layout.tooSmall { dismissUnseen() }
        rescrollAll()
        return prefetch()
    }
}
