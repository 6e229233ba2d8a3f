import ArgumentParser
import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// `history APP NAME`: an item's earlier versions, kept when writes replaced them.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List an item's earlier versions (get --rev K prints one; diff --rev K compares).",
        discussion: """
            An overwrite whose payload differs keeps the version it replaced ([history] versions = 5 by default, \
            [apps.NAME] history = N per app, 0: none); a rewrite of identical data keeps nothing. On a SODAR site, \
            the versions sodarcache's own writes, deletes and syncs replace are kept in its local store; versions \
            written by SODAR's other writers are not seen.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var projectOption: ProjectOption
    @Argument(help: "The app the item belongs to.") var app: String
    @Argument(help: "The item name.") var name: String
    @Flag(help: "One JSON object per version, newest first.") var json = false

    func run() throws {
        let (_, store) = try global.open(mustExist: true, readingCommand: true)
        let history = try Self.history(of: store)
        let project = try projectOption.resolve(in: store)
        let current = try store.getCacheItem(appName: app, name: name, project: project?.uuid)
        let versions = try history.versions(appName: app, name: name, project: project?.uuid)
        if current == nil && versions.isEmpty {
            throw CLIError.notAllowed(
                "No item \(app):\(name)\(project.map { " in project \($0.uuid.sodarString)" } ?? " (site-wide)") and no earlier versions of it")
        }
        let out = OutputBuffer()
        if json {
            if let current {
                out.writeJSON(Self.json(rev: nil, date: current.dateModified, user: current.user, size: current.data.count) + "\n")
            }
            for version in versions {
                out.writeJSON(Self.json(rev: version.rev, date: version.dateModified, user: version.user, size: version.size) + "\n")
            }
        } else {
            out.write("REV\tWRITTEN\tUSER\tBYTES\n")
            if let current {
                out.write(Self.row(["current", Self.time(current.dateModified), current.user?.username ?? "-", String(current.data.count)]))
            }
            for version in versions {
                out.write(Self.row([String(version.rev), Self.time(version.dateModified), version.user?.username ?? "-", String(version.size)]))
            }
        }
        out.flush()
    }

    static func history(of store: any StoreEngine) throws -> any ItemHistory {
        guard let history = store.history else {
            throw CLIError.notAllowed(
                "\(store.locationDescription) keeps no history of items (a SODAR site keeps one only with a local store)")
        }
        noteUnseenWriters(history)
        return history
    }

    /// On a SODAR site, says (on stderr, once per command) that the history holds only the
    /// versions sodarcache itself replaced.
    static func noteUnseenWriters(_ history: any ItemHistory) {
        guard !history.seesEveryWriter else { return }
        Console.stderr(unseenWritersNote + "\n")
    }

    static let unseenWritersNote =
        "Note: a SODAR site's history holds the versions sodarcache replaced itself (its writes, deletes and syncs); "
        + "versions written by SODAR's other writers are not seen"

    /// A version of the item `address` names, as an item.
    static func version(_ rev: Int64, of address: ItemAddress, projectOption: ProjectOption, in store: any StoreEngine) throws -> CacheItem {
        let project = try projectOption.resolve(in: store)
        guard let version = try history(of: store).version(rev: rev), let data = version.data,
            version.appName == address.app, version.name == address.name, version.project == project?.uuid
        else {
            throw CLIError.notAllowed(
                "No revision \(rev) of \(address.app ?? ""):\(address.name ?? "") (sodarcache history lists its revisions)")
        }
        return CacheItem(
            uuid: version.uuid, project: version.project, appName: version.appName, name: version.name, user: version.user,
            data: data, dateModified: version.dateModified)
    }

    static func time(_ date: Date) -> String { CacheTimeText.iso(date) }

    /// A tab-separated line, each field escaped.
    static func row(_ fields: [String]) -> String { fields.map { Display.escape($0) }.joined(separator: "\t") + "\n" }

    static func json(rev: Int64?, date: Date, user: User?, size: Int) -> String {
        let fields: [(String, String)] = [
            ("rev", rev.map(String.init) ?? JSON.quote("current")), ("date_modified", JSON.quote(CacheTimeText.iso(date))),
            ("user", user.map { JSON.quote($0.username) } ?? "null"), ("size", String(size)),
        ]
        return "{" + fields.map { JSON.quote($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }
}
