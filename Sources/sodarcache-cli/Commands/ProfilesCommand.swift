import ArgumentParser
import CacheBrowser
import Foundation
import JSONKit
import SodarCache
import SodarCacheSync
import StoreKernel
import StoreOpening

/// `profiles`: the stores the config names, and whether each can be reached now.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles", abstract: "List the stores the config names ([profiles.NAME]) and whether each can be reached.",
        discussion: """
            Each store is opened read-only, all at once, with a connection timeout of \(timeout) s; one that \
            cannot be opened says why in one line. The store is shown without its password. * marks the \
            profile in use (--profile, else $SODARCACHE_PROFILE).
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "One JSON object per profile, one per line.") var json = false

    /// Seconds a PostgreSQL store may take to answer (a connection attempt, per host).
    static let timeout = 3

    /// A profile as listed.
    struct Row {
        var profile: Profile
        var location: StoreLocation
        /// nil: reachable; else why not.
        var problem: String?
        /// What the store is when reached, beyond the reach: "hot standby, caught up"; nil: nothing more.
        var detail: String?
    }

    func run() throws {
        global.bootstrapLogging()
        let setup = global.setup
        let config = try SodarConfig.load(explicit: setup.config, environment: setup.environment)
        guard let path = config.path else {
            let looked = SodarConfig.resolvePath(explicit: setup.config, environment: setup.environment)
            Console.stderr("No config file (looked for \(Display.escape(looked))): profiles are [profiles.NAME] tables in it\n")
            return
        }
        guard !config.profiles.isEmpty else {
            Console.stderr("\(Display.escape(path)) names no profiles ([profiles.NAME] tables)\n")
            return
        }
        let rows = Self.check(config.profiles, config: config, setup: setup)
        let active = setup.profileName
        let out = OutputBuffer()
        if json {
            for row in rows { out.writeJSON(Self.json(row, active: row.profile.name == active) + "\n") }
        } else {
            out.write(" \tNAME\tTITLE\tSTORE\tFLAGS\tSTATUS\n")
            for row in rows {
                let flags = [row.profile.readOnly ? "read-only" : nil, row.profile.confirm ? "confirm" : nil].compactMap { $0 }
                let status = row.problem.map { "unreachable: " + $0 } ?? "ok" + (row.detail.map { " (\($0))" } ?? "")
                out.write(
                    [row.profile.name == active ? "*" : " ", row.profile.name, row.profile.title ?? "", row.location.description,
                     flags.isEmpty ? "-" : flags.joined(separator: ","), status]
                        .map { Display.escape($0) }.joined(separator: "\t") + "\n")
            }
        }
        out.flush()
    }

    /// Opens every profile's store read-only, all at once (each may wait `timeout` seconds).
    static func check(_ profiles: [Profile], config: SodarConfig, setup: CommandSetup) -> [Row] {
        let rows = Locked<[Int: Row]>([:])
        // A thread each, not one per core: each mostly waits on the network.
        let queue = DispatchQueue(label: "sodarcache.profiles", attributes: .concurrent)
        let group = DispatchGroup()
        for index in profiles.indices {
            queue.async(group: group) {
                let row = check(profiles[index], config: config.applying(profiles[index]), setup: setup)
                rows.withLock { $0[index] = row }
            }
        }
        group.wait()
        let found = rows.withLock { $0 }
        return profiles.indices.compactMap { found[$0] }
    }

    /// Opens one profile's store read-only and says what it found.
    static func check(_ profile: Profile, config: SodarConfig, setup: CommandSetup) -> Row {
        var probe = setup
        probe.db = profile.db
        let location = probe.location
        var options = probe.factoryOptions(config: config)
        options.readOnly = true
        options.readingCommand = true
        options.mustExist = true
        options.connectTimeout = timeout
        options.readTimeout = 2 * timeout
        do {
            let store = try StoreFactory.open(location, options: options).store
            defer { try? store.close() }
            // Opened read-only here, so what the role may do is not what this says: only a standby.
            let detail = try store.standbyStatus().map(BrowserFormat.standby)
            return Row(profile: profile, location: location, problem: nil, detail: detail)
        } catch {
            let message = String(describing: error)
            let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
            return Row(profile: profile, location: location, problem: oneLine, detail: nil)
        }
    }

    /// A row as one JSON object.
    static func json(_ row: Row, active: Bool) -> String {
        let fields: [(String, String)] = [
            ("name", JSON.quote(row.profile.name)), ("title", row.profile.title.map(JSON.quote) ?? "null"),
            ("store", JSON.quote(row.location.description)), ("read_only", String(row.profile.readOnly)),
            ("confirm", String(row.profile.confirm)), ("color", row.profile.color.map(JSON.quote) ?? "null"),
            ("active", String(active)), ("reachable", String(row.problem == nil)),
            ("problem", row.problem.map(JSON.quote) ?? "null"), ("standby", row.detail.map(JSON.quote) ?? "null"),
        ]
        return "{" + fields.map { JSON.quote($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }
}
