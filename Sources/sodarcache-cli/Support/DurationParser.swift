import Foundation
import SodarCacheSync

/// Durations on the command line (`Durations`), with a usage mistake for bad ones.
enum DurationParser {
    /// - Throws: `CLIError.badDuration` (a usage mistake) naming the text and the units.
    static func seconds(_ text: String) throws -> TimeInterval {
        if text.trimmingCharacters(in: .whitespaces).hasPrefix("-") { throw CLIError.badDuration(text, negative: true) }
        guard let seconds = Durations.seconds(text) else { throw CLIError.badDuration(text, negative: false) }
        return seconds
    }
}
