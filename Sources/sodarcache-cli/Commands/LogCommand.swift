import ArgumentParser
import Foundation
import JSONKit
import SodarCache
import StoreKernel

/// `log`: the audit trail, newest first.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The audit trail: every write, delete, restore, sync and schema change sodarcache made, newest first.",
        discussion: """
            On sodarcache's own stores each entry is written in the same transaction as its change (every host's \
            changes in one place); on a SODAR site in this host's local store (this host's changes only). Entries \
            are kept 90 days. Passwords and payloads never appear in it.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only entries of the last duration (90s, 30m, 12h, 7d, 2w).") var since: String?
    @Option(name: [.customShort("n"), .long], help: "At most this many entries.") var limit = 100
    @Flag(help: "One JSON object per entry, one per line.") var json = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
    }

    func run() throws {
        let age = try since.map(DurationParser.seconds)
        let (_, store) = try global.open(mustExist: true, readingCommand: true)
        guard let audit = store.audit else { throw CLIError.notAllowed("\(store.locationDescription) keeps no audit trail") }
        let entries = try audit.auditEntries(since: age.map { Date().addingTimeInterval(-$0) }, limit: limit)
        let out = OutputBuffer()
        if json {
            for entry in entries { out.writeJSON(Self.json(entry) + "\n") }
        } else if entries.isEmpty {
            Console.stderr("No entries\(since.map { " in the last \($0)" } ?? "")\n")
        } else {
            out.write("TIME\tBY\tCOMMAND\tACTION\tWHAT\tOUTCOME\n")
            for entry in entries {
                let who = entry.osUser + "@" + entry.host + (entry.role.map { " (\($0))" } ?? "")
                out.write(
                    [CacheTimeText.iso(entry.at), who, entry.command, entry.action, entry.what, entry.outcome]
                        .map { Display.escape($0) }.joined(separator: "\t") + "\n")
            }
        }
        out.flush()
    }

    static func json(_ entry: AuditEntry) -> String {
        let fields: [(String, String)] = [
            ("id", String(entry.id)), ("at", JSON.quote(CacheTimeText.iso(entry.at))), ("os_user", JSON.quote(entry.osUser)),
            ("host", JSON.quote(entry.host)), ("role", entry.role.map(JSON.quote) ?? "null"), ("command", JSON.quote(entry.command)),
            ("action", JSON.quote(entry.action)), ("what", JSON.quote(entry.what)), ("outcome", JSON.quote(entry.outcome)),
        ]
        return "{" + fields.map { JSON.quote($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }
}
