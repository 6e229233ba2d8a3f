import ArgumentParser
import Foundation
import JSONKit
import SodarCache
import SodarCacheSync
import StoreKernel

/// `trash`: the deletes a store kept, to list, show, restore and purge.
struct TrashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trash",
        abstract: "List, restore and purge deleted items (every delete keeps what it deletes, for a while).",
        discussion: """
            Deletes made through sodarcache keep their items: on sodarcache's own stores in the store (every host \
            sees them), on a SODAR site in this host's local store ($XDG_DATA_HOME/sodarcache/sites/, or [trash] \
            local_store). [trash] keep = "14d" and max_size = "2GB" bound it; --no-trash deletes for good.
            """,
        subcommands: [List.self, Show.self, Restore.self, Purge.self],
        defaultSubcommand: List.self)

    /// The store's trash, or a one-line refusal.
    static func trash(of store: any StoreEngine) throws -> any TrashKeeping {
        guard let trash = store.trash else {
            throw CLIError.notAllowed("\(store.locationDescription) keeps no trash")
        }
        return trash
    }

    /// "2026-12-07 11:40" in local time.
    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// What a delete took, in a few words: "timeline, samplesheets in 3 projects".
    static func what(_ entry: TrashEntry) -> String {
        let apps = entry.apps.count > 3 ? entry.apps.prefix(3).joined(separator: ", ") + ", ..." : entry.apps.joined(separator: ", ")
        return apps + (entry.projects > 1 ? " in \(entry.projects) projects" : "")
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the deletes kept, newest first.")

        @OptionGroup var global: GlobalOptions
        @Option(name: [.customShort("n"), .long], help: "At most this many deletes.") var limit = 50
        @Flag(help: "One JSON object per delete, one per line.") var json = false

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        }

        func run() throws {
            let (_, store) = try global.open(mustExist: true, readingCommand: true)
            let entries = try TrashCommand.trash(of: store).trashEntries(limit: limit)
            let out = OutputBuffer()
            if json {
                for entry in entries { out.writeJSON(TrashCommand.json(entry) + "\n") }
            } else if entries.isEmpty {
                Console.stderr("The trash is empty\n")
            } else {
                out.write("ID\tDELETED\tBY\tCOMMAND\tITEMS\tBYTES\tWHAT\n")
                for entry in entries {
                    let who = entry.osUser + "@" + entry.host + (entry.role.map { " (\($0))" } ?? "")
                    out.write(
                        [String(entry.id), TrashCommand.time(entry.deletedAt), who, entry.command, String(entry.items),
                         String(entry.bytes), TrashCommand.what(entry)]
                            .map { Display.escape($0) }.joined(separator: "\t") + "\n")
                }
            }
            out.flush()
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "List the items one delete kept.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The delete's ID (sodarcache trash lists them).") var id: Int64

        func run() throws {
            let (_, store) = try global.open(mustExist: true, readingCommand: true)
            let trash = try TrashCommand.trash(of: store)
            guard try trash.trashEntry(id: id) != nil else {
                throw CLIError.notAllowed("No delete \(id) in the trash (sodarcache trash lists them)")
            }
            let out = OutputBuffer()
            for item in try trash.trashedItems(entry: id) {
                out.write(
                    [item.project?.sodarString ?? "(site-wide)", item.appName, item.name, TrashCommand.time(item.dateModified),
                     String(item.data.count)].map { Display.escape($0) }.joined(separator: "\t") + "\n")
            }
            out.flush()
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Put deleted items back as they were (UUID, payload, user, update time), in one transaction.",
            discussion: "An item written since the delete is kept: the restore skips it and says so.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The deletes' IDs (sodarcache trash lists them).") var ids: [Int64] = []
        @Flag(help: "The newest delete.") var last = false

        func validate() throws {
            if last == !ids.isEmpty { throw ValidationError("give the deletes' IDs, or --last") }
        }

        func run() throws {
            let (config, store) = try global.open(mustExist: true, needs: .write("trash restore"))
            let trash = try TrashCommand.trash(of: store)
            var ids = self.ids
            if last {
                guard let newest = try trash.trashEntries(limit: 1).first else { throw CLIError.notAllowed("The trash is empty") }
                ids = [newest.id]
            }
            // Every ID checked before anything is changed, the history policy included.
            for id in ids where try trash.trashEntry(id: id) == nil {
                throw CLIError.notAllowed("No delete \(id) in the trash (sodarcache trash lists them)")
            }
            try global.applyHistoryPolicy(of: config, to: store)
            let report = try trash.restore(entries: ids)
            TrashCommand.say(report, store: store)
            if report.restored.isEmpty && !report.skipped.isEmpty { throw ExitCode.failure }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "purge", abstract: "Delete kept deletes for good: all, or those older than a duration.")

        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("older-than"), help: "Only deletes made longer ago than this (90s, 30m, 12h, 7d, 2w).")
        var olderThan: String?

        func run() throws {
            let age = try olderThan.map(DurationParser.seconds)
            let (config, store) = try global.open(mustExist: true, needs: .write("trash purge"))
            let trash = try TrashCommand.trash(of: store)
            let before = age.map { Date().addingTimeInterval(-$0) }
            if global.mustConfirm(config) {
                let entries = try trash.trashEntries(limit: Int(Int32.max)).filter { before == nil || $0.deletedAt < before! }
                if !entries.isEmpty {
                    let items = entries.reduce(0) { $0 + $1.items }
                    let title = config.activeProfile?.shownName ?? ""
                    try global.confirm(
                        "Purge \(GlobalOptions.counted(entries.count, "delete")) (\(GlobalOptions.counted(items, "item"))) from \(title)'s trash for good?",
                        config: config, command: "trash purge", nothing: "Nothing was purged")
                }
            }
            try global.applyHistoryPolicy(of: config, to: store)
            let purged = try trash.purgeTrash(before: before)
            Console.stderr("Purged \(purged.entries) delete\(purged.entries == 1 ? "" : "s") (\(purged.items) item\(purged.items == 1 ? "" : "s"))\n")
        }
    }

    /// What a restore did, on stderr: a line for the restored, one per skipped item.
    static func say(_ report: RestoreReport, store: any StoreEngine) {
        let count = report.restored.count
        var text = "Restored \(count) item\(count == 1 ? "" : "s")"
        if store.itemAges == .commitTime {
            text += " (as they were, date_modified included; their commit time is now the restore's)"
        }
        Console.stderr(Display.escape(text) + "\n")
        for skipped in report.skipped {
            let item = skipped.item
            let line = "Skipped \(item.appName):\(item.name) (\(item.project?.sodarString ?? "site-wide")): \(skipped.reason)"
            Console.stderr(Display.escape(line) + "\n")
        }
    }

    /// After a delete: where its items went, and how to get them back.
    static func sayKept(by store: any StoreEngine, config: SodarConfig) {
        let policy = config.trash.policy
        guard policy.enabled, let trash = store.trash, let id = trash.deletesThisSession.last,
            let entry = try? trash.trashEntry(id: id)
        else { return }
        let until = time(entry.deletedAt.addingTimeInterval(policy.keep))
        Console.stderr("Kept in the trash until \(until): `sodarcache trash restore \(id)` puts \(entry.items == 1 ? "it" : "them") back\n")
    }

    /// A delete as one JSON object.
    static func json(_ entry: TrashEntry) -> String {
        let fields: [(String, String)] = [
            ("id", String(entry.id)), ("deleted_at", JSON.quote(CacheTimeText.iso(entry.deletedAt))),
            ("os_user", JSON.quote(entry.osUser)), ("host", JSON.quote(entry.host)),
            ("role", entry.role.map(JSON.quote) ?? "null"), ("command", JSON.quote(entry.command)),
            ("items", String(entry.items)), ("bytes", String(entry.bytes)),
            ("apps", "[" + entry.apps.map(JSON.quote).joined(separator: ", ") + "]"), ("projects", String(entry.projects)),
        ]
        return "{" + fields.map { JSON.quote($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }
}
