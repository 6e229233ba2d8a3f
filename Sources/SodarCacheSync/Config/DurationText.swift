import Foundation

/// Durations as the command line and the config write them: `90s`, `30m`, `12h`, `7d`, `2w`
/// and sums like `1d12h`.
///
/// Only these lower-case units: `6M` must not quietly mean six minutes to someone who meant
/// months, in a command that deletes what is older.
public enum DurationText {
    public static let units: KeyValuePairs<Character, Double> = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]

    /// The seconds `text` stands for, or nil when it is not a duration (a negative one, a unit
    /// of another case, more than a century).
    public static func seconds(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let table = Dictionary(uniqueKeysWithValues: units.map { ($0.key, $0.value) })
        var total = 0.0
        var number = ""
        var sawUnit = false
        for char in trimmed {
            if char.isASCII && (char.isNumber || char == ".") {
                number.append(char)
            } else if let unit = table[char], let value = Double(number), value >= 0 {
                total += value * unit
                number = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        // Beyond a century it is a typo, and it would overflow date arithmetic.
        guard number.isEmpty, sawUnit, total.isFinite, total <= 100 * 365 * 86400 else { return nil }
        return total
    }
}
