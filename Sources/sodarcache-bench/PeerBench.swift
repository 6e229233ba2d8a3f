import Foundation
import Logging
import PostgresDriver
import SodarCache
import SodarCachePostgres
import StoreKernel

/// `sodarcache-bench postgres-peer --uri URI --sodar-db NAME [--peer COMMAND] [--items N]
/// [--projects M] [--rounds R] [--sets S] [--gets G]`
///
/// Single sets and gets of random existing items, side by side in one run, round by round (each
/// round rotates which goes first; a store and its raw loop take turns call by call):
/// - `peer`: SODAR Core's own API (`scripts/sodar_peer.py serve`, started with `/bin/sh -c
///   COMMAND`) on NAME, a database that SODAR Core's Django migrations made;
/// - `store, SODAR`: `PostgresCacheStore` on the same database (it recognises SODAR's tables);
/// - `raw, SODAR`: a raw libpq loop running the store's statements there;
/// - `store, own` and `raw, own`: the same on `sodarcache_peer_store`, a database in
///   sodarcache's own schema that this bench makes afresh.
///
/// Both databases are filled server-side alike (N items over M projects), unless NAME already
/// holds items. Every side writes with a user (`bench`) and the same payload shapes.
enum PeerBench {
    static let apps = StoreBench.apps

    struct Options {
        var scale = PostgresBenchScale()
        var sodarDatabase = "sodarcache_peer_sodar"
        var peer: String?
        var rounds = 10
        var sets = 300
        var gets = 1_000
    }

    static func run(_ arguments: [String]) {
        do {
            try measure(try parse(arguments))
        } catch {
            FileHandle.standardError.write(Data("sodarcache-bench postgres-peer: \(error)\n".utf8))
            exit(1)
        }
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        for (argument, value) in try BenchArguments.pairs(arguments) where try !options.scale.take(argument, value) {
            switch argument {
            case "--sodar-db": options.sodarDatabase = value
            case "--peer": options.peer = value
            default:
                let number = try BenchArguments.count(argument, value)
                switch argument {
                case "--rounds": options.rounds = number
                case "--sets": options.sets = number
                case "--gets": options.gets = number
                default: throw CacheError.invalidArgument("unknown option \(argument)")
                }
            }
        }
        try options.scale.check()
        return options
    }

    typealias Database = PostgresBench.Database

    /// The database at `uri`, filled server-side first unless it already holds items.
    static func open(
        _ layout: PostgresCacheStore.Layout, uri: String, items: Int, projects: Int, logger: Logger
    ) throws -> Database {
        let raw = try PostgresBench.Raw(uri: uri)
        let shape = Database.shape(items: items, projects: projects)
        let itemTable = layout == .sodar ? "sodarcache_jsoncacheitem" : "sodarcache_item"
        if try raw.value("SELECT count(*) FROM (SELECT 1 FROM \(itemTable) LIMIT 1) s") == "0" {
            var clock = StoreBench.Stopwatch()
            try PostgresBench.fill(
                raw, layout, items: items, categories: shape.categories, projects: shape.projects, perProject: shape.perProject)
            PostgresBench.emit(String(format: "filled %@ server-side in %.1f s", itemTable, clock.lap()))
        }
        return try Database(layout, uri: uri, raw: raw, projects: shape.projects, perProject: shape.perProject, logger: logger)
    }

    // MARK: - The peer process

    /// SODAR Core's API in a Python process of its own, driven over pipes.
    final class Peer {
        private let process = Process()
        private let input = Pipe()
        private let output = Pipe()
        private var buffer = Data()

        init(command: String) throws {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            let ready = try line()
            guard ready.hasPrefix("ready") else { throw CacheError.storeFailure("the peer said \(ready)") }
            PostgresBench.emit("peer: \(ready)")
        }

        deinit {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }

        private func line() throws -> String {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let text = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    return text
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { throw CacheError.storeFailure("the peer process ended") }
                buffer.append(chunk)
            }
        }

        /// Sends one block; returns the peer's own timing of its calls and how many it found.
        func request(_ op: String, _ rows: [String]) throws -> (seconds: Double, found: Int) {
            var text = "\(op) \(rows.count)\n"
            for row in rows { text += row + "\n" }
            try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
            let answer = try line().split(separator: " ")
            guard answer.count == 2, let seconds = Double(answer[0]), let found = Int(answer[1]) else {
                throw CacheError.storeFailure("the peer answered \(answer)")
            }
            return (seconds, found)
        }
    }

    // MARK: - Measuring

    static func measure(_ options: Options) throws {
        let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let admin = try PostgresBench.Raw(uri: options.scale.uri)
        PostgresBench.emit("server: " + (try admin.value("SELECT version()")))
        try admin.exec("DROP DATABASE IF EXISTS sodarcache_peer_store")
        try admin.exec("CREATE DATABASE sodarcache_peer_store")
        let storeURI = PostgresBench.uri(options.scale.uri, database: "sodarcache_peer_store")
        _ = try PostgresCacheStore.initialize(location: PostgresLocation(storeURI)!)
        let own = try open(.sodarcache, uri: storeURI, items: options.scale.items, projects: options.scale.projects, logger: quiet)
        let sodar = try open(
            .sodar, uri: PostgresBench.uri(options.scale.uri, database: options.sodarDatabase), items: options.scale.items,
            projects: options.scale.projects, logger: quiet)
        let peer = try options.peer.map { try Peer(command: $0) }
        PostgresBench.emit("\(options.rounds) rounds of \(options.sets) single sets and \(options.gets) gets per side, random existing items")

        var rng = SplitMix64(seed: 7)
        typealias Key = (project: UUID, app: String, name: String)
        /// An in-process side: one call at a time, so that a store and its raw loop can take
        /// turns call by call (the load of a shared machine then falls on both alike).
        struct Local {
            let name: String
            let database: Database
            let set: (CacheWrite) throws -> Void
            let get: (Key) throws -> Bool
        }
        func store(_ name: String, _ database: Database) -> Local {
            Local(name: name, database: database, set: { write in
                try database.store.setCacheItem(
                    appName: write.appName, name: write.name, data: write.data, dataType: "json", project: write.project,
                    user: write.user)
            }, get: { k in try database.store.getCacheItem(appName: k.app, name: k.name, project: k.project) != nil })
        }
        func raw(_ name: String, _ database: Database) -> Local {
            Local(name: name, database: database, set: { try database.rawUpsert($0) }, get: { k in
                try database.raw.get(app: k.app, name: k.name, projectID: database.ids[k.project]!) != nil
            })
        }
        let pairs = [
            (store("store, SODAR's tables", sodar), raw("raw libpq, SODAR's tables", sodar)),
            (store("store, own schema", own), raw("raw libpq, own schema", own)),
        ]
        var names = pairs.flatMap { [$0.0.name, $0.1.name] }
        if peer != nil { names.insert("SODAR Core API, SODAR's tables", at: 0) }
        let base = peer == nil ? 0 : 1

        func writes(_ database: Database) -> [CacheWrite] {
            (0..<options.sets).map { _ -> CacheWrite in
                let i = Int(rng.next() % UInt64(options.scale.items))
                let k = database.key(i)
                return CacheWrite(appName: k.app, name: k.name, data: StoreBench.payload(i, &rng), project: k.project, user: database.user)
            }
        }
        func keys(_ database: Database) -> [Key] {
            (0..<options.gets).map { _ in database.key(Int(rng.next() % UInt64(options.scale.items))) }
        }
        /// Runs `count` calls of each side of a pair, taking turns call by call; the two sides' times.
        func alternate(_ count: Int, _ round: Int, _ a: (Int) throws -> Void, _ b: (Int) throws -> Void) throws -> (Double, Double) {
            var clock = StoreBench.Stopwatch()
            var times = (0.0, 0.0)
            for i in 0..<count {
                _ = clock.lap()
                if (i + round) % 2 == 0 {
                    try a(i)
                    times.0 += clock.lap()
                    try b(i)
                    times.1 += clock.lap()
                } else {
                    try b(i)
                    times.1 += clock.lap()
                    try a(i)
                    times.0 += clock.lap()
                }
            }
            return times
        }

        var setRates = Array(repeating: [Double](), count: names.count)
        var getRates = Array(repeating: [Double](), count: names.count)
        for round in 0..<options.rounds {
            // Units: the peer (its own process, a block at a time) and each store/raw pair,
            // rotated round by round.
            let units = (peer == nil ? [] : [-1]) + Array(pairs.indices)
            for turn in 0..<units.count {
                let unit = units[(turn + round) % units.count]
                if unit < 0, let peer {
                    let batch = writes(sodar)
                    let seconds = try peer.request("set", batch.map { w in
                        "\(w.project!.uuidString.lowercased())\t\(w.appName)\t\(w.name)\t\(String(decoding: w.data, as: UTF8.self))"
                    }).seconds
                    setRates[0].append(Double(batch.count) / seconds)
                    let keys = keys(sodar)
                    let answer = try peer.request("get", keys.map { "\($0.project.uuidString.lowercased())\t\($0.app)\t\($0.name)" })
                    guard answer.found == keys.count else { throw CacheError.storeFailure("the peer found \(answer.found) of \(keys.count) items") }
                    getRates[0].append(Double(keys.count) / answer.seconds)
                } else if unit >= 0 {
                    let (a, b) = pairs[unit]
                    let (writesA, writesB) = (writes(a.database), writes(b.database))
                    let sets = try alternate(options.sets, round, { try a.set(writesA[$0]) }, { try b.set(writesB[$0]) })
                    let (keysA, keysB) = (keys(a.database), keys(b.database))
                    var found = (0, 0)
                    let gets = try alternate(options.gets, round, { if try a.get(keysA[$0]) { found.0 += 1 } },
                                             { if try b.get(keysB[$0]) { found.1 += 1 } })
                    guard found == (options.gets, options.gets) else {
                        throw CacheError.storeFailure("\(a.name) and \(b.name) found \(found.0) and \(found.1) of \(options.gets) items")
                    }
                    let index = base + 2 * unit
                    setRates[index].append(Double(options.sets) / sets.0)
                    setRates[index + 1].append(Double(options.sets) / sets.1)
                    getRates[index].append(Double(options.gets) / gets.0)
                    getRates[index + 1].append(Double(options.gets) / gets.1)
                }
            }
            PostgresBench.emit("round \(round + 1): sets/s " + setRates.map { StoreBench.format($0.last!) }.joined(separator: " ")
                               + "; gets/s " + getRates.map { StoreBench.format($0.last!) }.joined(separator: " "))
        }

        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        PostgresBench.emit("")
        PostgresBench.emit(StoreBench.pad("side (medians of \(options.rounds) rounds)", 34) + StoreBench.pad("sets/s", 10)
                           + StoreBench.pad("(min-max)", 16) + StoreBench.pad("gets/s", 10) + "(min-max)")
        for (index, name) in names.enumerated() {
            let sets = setRates[index].sorted()
            let gets = getRates[index].sorted()
            PostgresBench.emit(
                StoreBench.pad(name, 34) + StoreBench.pad(StoreBench.format(median(sets)), 10)
                    + StoreBench.pad("\(StoreBench.format(sets.first!))-\(StoreBench.format(sets.last!))", 16)
                    + StoreBench.pad(StoreBench.format(median(gets)), 10) + "\(StoreBench.format(gets.first!))-\(StoreBench.format(gets.last!))")
        }
        func ratio(_ a: Int, _ b: Int) -> String {
            String(format: "sets %.0f%%, gets %.0f%%", 100 * median(setRates[a]) / median(setRates[b]),
                   100 * median(getRates[a]) / median(getRates[b]))
        }
        PostgresBench.emit("")
        PostgresBench.emit("store/raw, SODAR's tables: " + ratio(base, base + 1))
        PostgresBench.emit("store/raw, own schema:     " + ratio(base + 2, base + 3))
        if peer != nil {
            for index in [1, 3] {
                PostgresBench.emit(String(
                    format: "%@ / SODAR Core API: sets %.1fx, gets %.1fx", names[index],
                    median(setRates[index]) / median(setRates[0]), median(getRates[index]) / median(getRates[0])))
            }
        }
    }
}
