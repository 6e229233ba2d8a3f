import Foundation
import SodarCache

/// The progress bar `synccache` draws on a TTY: feed it events, draw `line(width:)` after `\r`.
///
///     [##########----------]  512/1024  3 failed  filestats: Cancer / Project 7
public struct SyncProgressPrinter: Sendable {
    /// The counts, kept by the reducer the browser uses too.
    public private(set) var tally = SyncTally()
    public var total: Int { tally.total ?? 0 }
    public var done: Int { tally.done }
    public var failed: Int { tally.failed }
    public var itemsWritten: Int { tally.itemsWritten }
    public var cancelled: Bool { tally.cancelled }
    /// The last unit started, shown after the counts.
    public private(set) var current = ""

    public init() {}

    /// Takes one event into account.
    public mutating func apply(_ event: SyncEvent) {
        tally.apply(event)
        switch event {
        case .started(let app, let project):
            current = project.map { "\(app): \($0.fullTitle)" } ?? "\(app): site-wide"
        case .cancelled:
            current = "cancelled"
        case .planned, .finished, .failed:
            break
        }
    }

    /// The progress line, exactly `width` columns wide (shorter only when `width` is tiny).
    public func line(width: Int) -> String {
        let counts = "\(String(repeating: " ", count: max(0, String(total).count - String(done).count)))\(done)/\(total)"
        let failures = failed > 0 ? "  \(failed) failed" : ""
        let barWidth = max(10, min(30, width / 4))
        let filled = total == 0 ? barWidth : min(barWidth, done * barWidth / max(total, 1))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
        var text = "\(bar) \(counts)\(failures)  \(current)"
        let safe = String(text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : Character($0) })
        text = safe
        if text.count > width { text = String(text.prefix(max(0, width - 1))) + "…" }
        return text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// The closing line after the bar: what was done, failed and not done.
    public func closing() -> String {
        let notDone = total - done
        var parts = ["\(done - failed) of \(total) done", "\(itemsWritten) item(s) written"]
        if failed > 0 {
            parts.append(tally.unknown > 0 ? "\(failed) failed (\(tally.unknown) with outcome unknown)" : "\(failed) failed")
        }
        if notDone > 0 { parts.append("\(notDone) not done") }
        return parts.joined(separator: ", ")
    }
}
