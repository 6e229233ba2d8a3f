import Foundation
import SodarCacheSync

/// Parses durations like `90s`, `30m`, `12h`, `7d`, `2w` and sums like `1d12h` (`DurationText`,
/// which the config reads them with too).
enum DurationParser {
    /// - Throws: `CLIError.badDuration` (a usage mistake) naming the text and the units.
    static func seconds(_ text: String) throws -> TimeInterval {
        if text.trimmingCharacters(in: .whitespaces).hasPrefix("-") { throw CLIError.badDuration(text, negative: true) }
        guard let seconds = DurationText.seconds(text) else { throw CLIError.badDuration(text, negative: false) }
        return seconds
    }
}
