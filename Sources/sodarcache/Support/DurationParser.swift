import Foundation

/// Parses durations like `90s`, `30m`, `12h`, `7d`, `2w` and sums like `1d12h`.
enum DurationParser {
    static func seconds(_ text: String) throws -> TimeInterval {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var total = 0.0
        var number = ""
        var sawUnit = false
        for char in text.lowercased() {
            if char.isASCII && (char.isNumber || char == ".") {
                number.append(char)
            } else if let unit = units[char], let value = Double(number), value >= 0 {
                total += value * unit
                number = ""
                sawUnit = true
            } else {
                throw CLIError.badDuration(text)
            }
        }
        // Beyond a century it is a typo, and it would overflow date arithmetic.
        guard number.isEmpty, sawUnit, total.isFinite, total <= 100 * 365 * 86400 else {
            throw CLIError.badDuration(text)
        }
        return total
    }
}
