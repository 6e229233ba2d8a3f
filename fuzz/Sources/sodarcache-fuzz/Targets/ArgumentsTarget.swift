import Foundation
import SodarCache

/// Command-line arguments: durations (`--older-than`, `--stale-after`) and UUIDs (`-p`).
/// The first byte picks which; the rest is the argument's text.
enum ArgumentsTarget: FuzzTarget {
    static let name = "arguments"

    static func run(_ data: Data) {
        guard let first = data.first else { return }
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        if first % 2 == 0 { duration(text) } else { uuid(text) }
    }

    static func duration(_ text: String) {
        let seconds: TimeInterval
        do {
            seconds = try DurationParser.seconds(text)
        } catch let error as CLIError {
            guard case .badDuration(let shown, let negative) = error else {
                check(false, "unexpected error \(error)")
                return
            }
            check(shown == text, "the message does not name the text")
            check(error.isUsage, "a bad duration is not a usage error")
            if negative { check(text.trimmingCharacters(in: .whitespaces).hasPrefix("-"), "called negative: \(text.debugDescription)") }
            return
        } catch {
            check(false, "not a CLIError: \(error)")
            return
        }
        check(seconds.isFinite && seconds >= 0 && seconds <= 100 * 365 * 86400, "duration \(seconds)")
        // A sum of (decimal number, unit) pairs and nothing else.
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var total = 0.0
        var number = ""
        for char in text.trimmingCharacters(in: .whitespaces) {
            if let unit = units[char] {
                check(Double(number) != nil, "accepted a unit without a number: \(text.debugDescription)")
                total += (Double(number) ?? 0) * unit
                number = ""
            } else {
                check("0123456789.".contains(char), "accepted \(char.debugDescription) in \(text.debugDescription)")
                number.append(char)
            }
        }
        check(number.isEmpty, "accepted a number without a unit: \(text.debugDescription)")
        check(abs(total - seconds) <= 1e-9 * max(1, total), "\(text.debugDescription) is \(seconds), expected \(total)")
    }

    static func uuid(_ text: String) {
        do {
            let uuid = try UUID.sodar(text)
            let shown = uuid.sodarString
            check(shown == shown.lowercased() && shown.count == 36, "printed form \(shown)")
            check(shown == text.trimmingCharacters(in: .whitespaces).lowercased(), "\(text.debugDescription) read as \(shown)")
            check((try? UUID.sodar(shown)) == uuid, "printed form does not read back")
        } catch let error as CacheError {
            check(error.description.contains(text) || text.contains("\n") || text.isEmpty, "the message does not name the text: \(error.description.debugDescription)")
        } catch {
            check(false, "not a CacheError: \(error)")
        }
    }
}
