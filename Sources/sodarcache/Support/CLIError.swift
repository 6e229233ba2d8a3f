import Foundation

/// Errors of the command line itself, each one line naming the bad value.
enum CLIError: Error, CustomStringConvertible {
    case noStore(String)
    case badDuration(String)
    case unreadableFile(String, String)
    case demoRefusesExisting(String)
    case syncFailed(Int)

    var description: String {
        switch self {
        case .noStore(let path):
            return "No store at \(path) (create one with project add, set or synccache, or try sodarcache demo)"
        case .badDuration(let text):
            return "Invalid duration \"\(text)\" (use e.g. 90s, 30m, 12h, 7d, 2w or 1d12h)"
        case .unreadableFile(let path, let reason):
            return "Cannot read \(path): \(reason)"
        case .demoRefusesExisting(let path):
            return "Refusing to build the demo in \(path): it exists and is not a demo store; pick another --db"
        case .syncFailed(let count):
            return "Cache synchronization finished with errors (\(count) failed)"
        }
    }
}
