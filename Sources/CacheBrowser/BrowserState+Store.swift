import Foundation
import JSONKit
import SodarCache

// The store changing underneath: another writer, a replaced file, a store that went away.
extension BrowserState {
    // MARK: - Watching the store

    mutating func storeReopened() -> [BrowserEffect] {
        // The new file's change token starts a new count: take the next one as it is.
        storeToken = nil
        message = StatusMessage("Reopened \(Display.escape(options.storePath)): the file had been replaced")
        return []
    }

    mutating func storeUnavailable(text: String) -> [BrowserEffect] {
        if message?.text != text { message = StatusMessage(text, isError: true) }
        return []
    }

    mutating func storeChanged(token: Int) -> [BrowserEffect] {
        defer { storeToken = token }
        guard let old = storeToken, old != token else { return [] }
        return liveReload() + refreshAudit()
    }
}
