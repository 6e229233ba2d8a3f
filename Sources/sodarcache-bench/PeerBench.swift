import Foundation
import Logging
import SodarCache
import SodarCachePostgres

/// `sodarcache-bench postgres-peer --uri URI --sodar-db NAME [--peer COMMAND] [--items N]
/// [--projects M] [--rounds R] [--sets S] [--gets G]`
///
/// Single sets and gets of random existing items, side by side in one run, round by round (each
/// round rotates which side goes first):
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
        var uri = ProcessInfo.processInfo.environment["SODARCACHE_BENCH_PG"] ?? ""
        var sodarDatabase = "sodarcache_peer_sodar"
        var peer: String?
        var items = 1_000_000
        var projects = 10_000
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
        for (argument, value) in try BenchArguments.pairs(arguments) {
            switch argument {
            case "--uri": options.uri = value
            case "--sodar-db": options.sodarDatabase = value
            case "--peer": options.peer = value
            default:
                let number = try BenchArguments.count(argument, value)
                switch argument {
                case "--items": options.items = number
                case "--projects": options.projects = number
                case "--rounds": options.rounds = number
                case "--sets": options.sets = number
                case "--gets": options.gets = number
                default: throw CacheError.invalidArgument("unknown option \(argument)")
                }
            }
        }
        guard PostgresLocation.isURI(options.uri) else {
            throw CacheError.invalidArgument("--uri needs a postgresql:// URI (or set SODARCACHE_BENCH_PG)")
        }
        options.projects = max(2, min(options.projects, options.items))
        return options
    }

    /// One database as the bench uses it: its projects in id order and their row ids.
    struct Database {
        let layout: PostgresCacheStore.Layout
        let raw: PostgresBench.Raw
        let store: PostgresCacheStore
        let uuids: [UUID]
        let ids: [UUID: Int]
        let perProject: Int
        let user: User

        func key(_ i: Int) -> (project: UUID, app: String, name: String) {
            (uuids[min(i / perProject, uuids.count - 1)], apps[i % apps.count], "irods/rows/\(i)")
        }

        func rawUpsert(_ write: CacheWrite) throws {
            let stamp = String(CacheWriteRules.storedTime(Date()).timeIntervalSince1970)
            let projectID = String(ids[write.project!]!)
            let parameters: [PostgresBench.Raw.Parameter]
            switch layout {
            case .sodar:
                parameters = [.text(write.appName), .text(write.name), .text(stamp), .data(write.data), .text(projectID),
                              write.user.map { .text($0.username) } ?? .null]
            case .sodarcache:
                parameters = [.text(projectID), .text(write.appName), .text(write.name),
                              write.user.map { .text($0.username) } ?? .null,
                              write.user?.uuid.map { .text($0.uuidString.lowercased()) } ?? .null,
                              .text(stamp), .text(String(write.data.count)), .data(write.data)]
            }
            guard try raw.execPrepared("upsert", parameters) == 1 else { throw CacheError.storeFailure("raw upsert wrote nothing") }
        }
    }

    static func open(
        _ layout: PostgresCacheStore.Layout, uri: String, items: Int, projects: Int, logger: Logger
    ) throws -> Database {
        let raw = try PostgresBench.Raw(uri: uri)
        let categories = max(1, projects / 100)
        let projectCount = projects - categories
        let perProject = (items + projectCount - 1) / projectCount
        let itemTable = layout == .sodar ? "sodarcache_jsoncacheitem" : "sodarcache_item"
        if try raw.value("SELECT count(*) FROM (SELECT 1 FROM \(itemTable) LIMIT 1) s") == "0" {
            var clock = StoreBench.Stopwatch()
            try PostgresBench.fill(raw, layout, items: items, categories: categories, projects: projectCount, perProject: perProject)
            PostgresBench.emit(String(format: "filled %@ server-side in %.1f s", itemTable, clock.lap()))
        }
        let projectTable = layout == .sodar ? "projectroles_project" : "sodarcache_project"
        let uuids = try raw.rows(
            "SELECT sodar_uuid::text FROM \(projectTable) WHERE type = 'PROJECT' ORDER BY id"
        ).compactMap { UUID(uuidString: $0[0]) }
        guard uuids.count == projectCount else {
            throw CacheError.storeFailure("\(projectTable) has \(uuids.count) projects, expected \(projectCount) (another --projects?)")
        }
        let statements = PostgresCacheStore.itemStatements(layout: layout)
        try raw.prepare("get", statements.get, parameters: 3)
        try raw.prepare("upsert", statements.upsert, parameters: layout == .sodar ? 6 : 8)
        let user = User(username: "bench", uuid: UUID(uuidString: try raw.value(
            layout == .sodar ? "SELECT sodar_uuid::text FROM users_user WHERE username = 'bench'" : "SELECT gen_random_uuid()::text")))
        let store = try PostgresCacheStore(location: PostgresLocation(uri)!, registeredApps: apps, logger: logger)
        guard store.layout == layout else { throw CacheError.storeFailure("the store took \(uri) for \(store.layout.rawValue)") }
        return Database(
            layout: layout, raw: raw, store: store, uuids: uuids, ids: try raw.projectIDs(projectTable), perProject: perProject,
            user: user)
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
        let admin = try PostgresBench.Raw(uri: options.uri)
        PostgresBench.emit("server: " + (try admin.value("SELECT version()")))
        try admin.exec("DROP DATABASE IF EXISTS sodarcache_peer_store")
        try admin.exec("CREATE DATABASE sodarcache_peer_store")
        let storeURI = PostgresBench.uri(options.uri, database: "sodarcache_peer_store")
        _ = try PostgresCacheStore(location: PostgresLocation(storeURI)!, registeredApps: apps, logger: quiet)
        let own = try open(.sodarcache, uri: storeURI, items: options.items, projects: options.projects, logger: quiet)
        let sodar = try open(
            .sodar, uri: PostgresBench.uri(options.uri, database: options.sodarDatabase), items: options.items,
            projects: options.projects, logger: quiet)
        let peer = try options.peer.map { try Peer(command: $0) }
        PostgresBench.emit("\(options.rounds) rounds of \(options.sets) single sets and \(options.gets) gets per side, random existing items")

        var rng = SplitMix64(seed: 7)
        typealias Side = (name: String, sets: ([CacheWrite]) throws -> Double, gets: ([(project: UUID, app: String, name: String)]) throws -> (Double, Int))
        func storeSide(_ name: String, _ database: Database) -> Side {
            (name, { writes in
                var clock = StoreBench.Stopwatch()
                for write in writes {
                    try database.store.setCacheItem(
                        appName: write.appName, name: write.name, data: write.data, dataType: "json", project: write.project,
                        user: write.user)
                }
                return clock.lap()
            }, { keys in
                var clock = StoreBench.Stopwatch()
                var found = 0
                for k in keys where try database.store.getCacheItem(appName: k.app, name: k.name, project: k.project) != nil {
                    found += 1
                }
                return (clock.lap(), found)
            })
        }
        func rawSide(_ name: String, _ database: Database) -> Side {
            (name, { writes in
                var clock = StoreBench.Stopwatch()
                for write in writes { try database.rawUpsert(write) }
                return clock.lap()
            }, { keys in
                var clock = StoreBench.Stopwatch()
                var found = 0
                for k in keys where try database.raw.get(app: k.app, name: k.name, projectID: database.ids[k.project]!) != nil {
                    found += 1
                }
                return (clock.lap(), found)
            })
        }
        var sides: [(side: Side, database: Database)] = [
            (storeSide("store, SODAR's tables", sodar), sodar), (rawSide("raw libpq, SODAR's tables", sodar), sodar),
            (storeSide("store, own schema", own), own), (rawSide("raw libpq, own schema", own), own),
        ]
        if let peer {
            let side: Side = ("SODAR Core API, SODAR's tables", { writes in
                try peer.request("set", writes.map { w in
                    "\(w.project!.uuidString.lowercased())\t\(w.appName)\t\(w.name)\t\(String(decoding: w.data, as: UTF8.self))"
                }).seconds
            }, { keys in
                let answer = try peer.request("get", keys.map { "\($0.project.uuidString.lowercased())\t\($0.app)\t\($0.name)" })
                return (answer.seconds, answer.found)
            })
            sides.insert((side, sodar), at: 0)
        }

        var setRates = Array(repeating: [Double](), count: sides.count)
        var getRates = Array(repeating: [Double](), count: sides.count)
        for round in 0..<options.rounds {
            for turn in 0..<sides.count {
                let index = (turn + round) % sides.count
                let (side, database) = sides[index]
                let writes = (0..<options.sets).map { _ -> CacheWrite in
                    let i = Int(rng.next() % UInt64(options.items))
                    let k = database.key(i)
                    return CacheWrite(
                        appName: k.app, name: k.name, data: StoreBench.payload(i, &rng), project: k.project, user: database.user)
                }
                setRates[index].append(Double(writes.count) / (try side.sets(writes)))
            }
            for turn in 0..<sides.count {
                let index = (turn + round) % sides.count
                let (side, database) = sides[index]
                let keys = (0..<options.gets).map { _ in database.key(Int(rng.next() % UInt64(options.items))) }
                let (seconds, found) = try side.gets(keys)
                guard found == keys.count else { throw CacheError.storeFailure("\(side.name) found \(found) of \(keys.count) items") }
                getRates[index].append(Double(keys.count) / seconds)
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
        for (index, entry) in sides.enumerated() {
            let sets = setRates[index].sorted()
            let gets = getRates[index].sorted()
            PostgresBench.emit(
                StoreBench.pad(entry.side.name, 34) + StoreBench.pad(StoreBench.format(median(sets)), 10)
                    + StoreBench.pad("\(StoreBench.format(sets.first!))-\(StoreBench.format(sets.last!))", 16)
                    + StoreBench.pad(StoreBench.format(median(gets)), 10) + "\(StoreBench.format(gets.first!))-\(StoreBench.format(gets.last!))")
        }
        func ratio(_ a: Int, _ b: Int) -> String {
            String(format: "sets %.0f%%, gets %.0f%%", 100 * median(setRates[a]) / median(setRates[b]),
                   100 * median(getRates[a]) / median(getRates[b]))
        }
        let base = peer == nil ? 0 : 1
        PostgresBench.emit("")
        PostgresBench.emit("store/raw, SODAR's tables: " + ratio(base, base + 1))
        PostgresBench.emit("store/raw, own schema:     " + ratio(base + 2, base + 3))
        if peer != nil {
            for index in [1, 3] {
                PostgresBench.emit(String(
                    format: "%@ / SODAR Core API: sets %.1fx, gets %.1fx", sides[index].side.name,
                    median(setRates[index]) / median(setRates[0]), median(getRates[index]) / median(getRates[0])))
            }
        }
    }
}
