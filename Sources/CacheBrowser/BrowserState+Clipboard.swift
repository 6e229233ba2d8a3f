import Foundation
import JSONKit

// `y` and `Y`: the value or the path at the payload's cursor, to the terminal's clipboard.
extension BrowserState {
    /// The most bytes one copy sends, before base64: about what terminals accept in one OSC 52
    /// sequence. Limits vary, and a terminal drops a longer one without a word, so a longer
    /// value is refused here, where the status line can say so.
    public static let clipboardLimit = 100 * 1024

    // MARK: - Clipboard

    /// `y`: asks the runtime for the compact JSON of the value at the cursor.
    mutating func copyValue() -> [BrowserEffect] {
        guard let (document, line) = copySource() else { return [] }
        let path = Display.escape(document.path(ofLine: line))
        return [
            .copyValue(
                CopyRequest(id: nextGeneration(), document: document, line: line, path: path, limit: Self.clipboardLimit))
        ]
    }

    /// `Y`: the path at the cursor, as the status line shows it.
    mutating func copyPath() -> [BrowserEffect] {
        guard let (document, line) = copySource() else { return [] }
        let path = Display.escape(document.path(ofLine: line))
        let text = Data(path.utf8)
        guard text.count <= Self.clipboardLimit else {
            message = tooLarge("Path", size: text.count)
            return []
        }
        message = StatusMessage("Copied path \(path) (\(BrowserFormat.counted(text.count, "byte")))")
        return [.clipboard(text)]
    }

    /// The value's compact JSON arrived: to the clipboard when it fits.
    mutating func valueCopied(path: String, value: CompactValue) -> [BrowserEffect] {
        switch value {
        case .json(let text):
            let what = path == "." ? "the whole payload" : "value of \(path)"
            message = StatusMessage("Copied \(what) (\(BrowserFormat.counted(text.count, "byte")))")
            return [.clipboard(text)]
        case .tooLarge(let size):
            message = tooLarge("Value", size: size)
            return []
        }
    }

    /// The document and cursor line to copy from, or nil with the reason in the status line.
    mutating func copySource() -> (any PayloadDocument, Int)? {
        let save = saveKeyLabel
        guard options.clipboard else {
            message = StatusMessage(
                "The clipboard is off (--no-clipboard or [browser] clipboard = false); \(save) writes the item to a file")
            return nil
        }
        guard let payload, !payload.loading else {
            message = StatusMessage("The item is not loaded yet", isError: true)
            return nil
        }
        guard let document = payload.document, document.lineCount > 0 else {
            message = StatusMessage("Nothing to copy: the payload is not shown (\(save) writes the item to a file)", isError: true)
            return nil
        }
        return (document, min(payload.cursor, document.lineCount - 1))
    }

    /// The key that writes the item to a file, offered when a copy cannot be made.
    var saveKeyLabel: String {
        keyMap.keys(for: .saveJSON, in: .payload).first?.label ?? "e"
    }

    func tooLarge(_ what: String, size: Int) -> StatusMessage {
        let limit = BrowserFormat.size(Self.clipboardLimit)
        // Just over the limit rounds to it: "100.0 KiB is too large (limit 100.0 KiB)" would puzzle.
        let shown = BrowserFormat.size(size) == limit ? BrowserFormat.counted(size, "byte") : BrowserFormat.size(size)
        return StatusMessage(
            "\(what) is \(shown): too large for the clipboard (limit \(limit)); \(saveKeyLabel) writes the item to a file",
            isError: true)
    }
}
