import Foundation

/// Errors of the command line itself, each one line naming the bad value.
enum CLIError: Error, CustomStringConvertible {
    case noStore(String)
    case badDuration(String, negative: Bool)
    /// A usage mistake the argument parser cannot see (a value out of range, an empty title).
    case usage(String)
    case unwritableFile(String, String)
    case demoRefusesExisting(String)
    /// Another process holds the store; the message says what to do.
    case busy(String)
    /// The session may not do this (`--read-only`, or the role's privileges).
    case notAllowed(String)
    /// What was asked for is not there.
    case notFound(String)

    var description: String {
        switch self {
        case .noStore(let path):
            return "No store at \(path) (create one with project add, set or synccache, or try sodarcache demo)"
        case .badDuration(let text, let negative):
            let why = negative ? "negative durations are not allowed" : "not a duration"
            return "Invalid duration \"\(text)\": \(why) (a number and one of the units s, m, h, d, w, lower case: 90s, 30m, 12h, 7d, 2w, 1d12h)"
        case .usage(let message), .busy(let message), .notAllowed(let message), .notFound(let message):
            return message
        case .unwritableFile(let path, let reason):
            return "Cannot write \(path): \(reason)"
        case .demoRefusesExisting(let path):
            return "Refusing to build the demo in \(path): it exists and is not a demo store; pick another --db"
        }
    }

    /// Whether this is a usage mistake (exit status 64, EX_USAGE) rather than a failure.
    var isUsage: Bool {
        switch self {
        case .badDuration, .usage: return true
        default: return false
        }
    }
}
