import Foundation
import PostgresDriver
import SodarCache
import SodarCachePostgres

/// The benchmarks' `--name VALUE` options.
enum BenchArguments {
    /// The options in order; every one needs a value.
    static func pairs(_ arguments: [String]) throws -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next() else { throw CacheError.invalidArgument("\(argument) needs a value") }
            pairs.append((argument, value))
        }
        return pairs
    }

    /// A positive count, `_` allowed as a digit separator (`1_000_000`).
    static func count(_ name: String, _ value: String) throws -> Int {
        guard let number = Int(value.replacingOccurrences(of: "_", with: "")), number > 0 else {
            throw CacheError.invalidArgument("\(name) needs a positive number, not \(value)")
        }
        return number
    }
}

/// What every PostgreSQL bench is told: the server, and how much data to make.
struct PostgresBenchScale {
    var uri = ProcessInfo.processInfo.environment["SODARCACHE_BENCH_PG"] ?? ""
    var items = 1_000_000
    var projects = 10_000

    /// Takes `--uri`, `--items` or `--projects`; false for any other option.
    mutating func take(_ argument: String, _ value: String) throws -> Bool {
        switch argument {
        case "--uri": uri = value
        case "--items": items = try BenchArguments.count(argument, value)
        case "--projects": projects = try BenchArguments.count(argument, value)
        default: return false
        }
        return true
    }

    /// Checks the URI; at least 2 projects, and no more projects than items.
    mutating func check() throws {
        guard PostgresLocation.isURI(uri) else {
            throw CacheError.invalidArgument("--uri needs a postgresql:// URI (or set SODARCACHE_BENCH_PG)")
        }
        projects = max(2, min(projects, items))
    }
}
