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

    /// `--layout both|sodar|sodarcache`: the PostgreSQL layouts to measure.
    static func layouts(_ value: String) throws -> [PostgresCacheStore.Layout] {
        switch value {
        case "both": return [.sodarcache, .sodar]
        case "sodar": return [.sodar]
        case "sodarcache": return [.sodarcache]
        default: throw CacheError.invalidArgument("--layout is both, sodar or sodarcache, not \(value)")
        }
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

/// What the benches of one change's cost over every engine (`trash`, `history`) are told:
/// how many items, how many rounds, which engines, and where SODAR's DDL is.
struct EngineBenchOptions {
    /// The engines, as `--only` names them.
    enum Engine: String, CaseIterable {
        case sqlite
        /// sodarcache's own PostgreSQL schema.
        case own
        /// A SODAR site's tables (the local store beside them).
        case sodar
    }

    var items: Int
    var rounds = 3
    /// The PostgreSQL server: without it, SQLite alone.
    var uri: String?
    /// `--only`: one engine (nil: every one there is a store for).
    var only: Engine?
    var ddl = "Tests/StoreContractTests/Support/sodar-core-1.4.5.sql"

    /// `--items N --rounds R --uri URI --only sqlite|own|sodar --ddl FILE`, each optional.
    init(_ arguments: [String], items: Int) throws {
        self.items = items
        for (argument, value) in try BenchArguments.pairs(arguments) {
            switch argument {
            case "--items": self.items = try BenchArguments.count(argument, value)
            case "--rounds": rounds = try BenchArguments.count(argument, value)
            case "--uri": uri = value
            case "--ddl": ddl = value
            case "--only":
                guard let engine = Engine(rawValue: value) else {
                    throw CacheError.invalidArgument("--only takes sqlite, own or sodar, not \(value)")
                }
                only = engine
            default: throw CacheError.invalidArgument("unknown option \(argument)")
            }
        }
    }

    /// Whether `engine` is measured: not left out by `--only`, and a server for PostgreSQL's.
    func runs(_ engine: Engine) -> Bool {
        (only == nil || only == engine) && (engine == .sqlite || uri != nil)
    }

    /// What to measure, in order, each with the name the benches print: SQLite, then (with a
    /// server) sodarcache's own PostgreSQL schema and a SODAR site's tables.
    var targets: [(name: String, postgres: (uri: String, layout: PostgresCacheStore.Layout)?)] {
        var targets: [(name: String, postgres: (uri: String, layout: PostgresCacheStore.Layout)?)] = []
        if runs(.sqlite) { targets.append(("SQLite", nil)) }
        if let uri, runs(.own) { targets.append(("PostgreSQL, own schema", (uri, .sodarcache))) }
        if let uri, runs(.sodar) { targets.append(("PostgreSQL, SODAR's tables (local store)", (uri, .sodar))) }
        return targets
    }

    /// SODAR Core's DDL, to make a SODAR site's tables.
    func sodarDDL() throws -> String {
        guard let text = FileManager.default.contents(atPath: ddl) else {
            throw CacheError.invalidArgument("cannot read the SODAR DDL at \(ddl) (run from the package root or pass --ddl)")
        }
        return String(decoding: text, as: UTF8.self)
    }
}
