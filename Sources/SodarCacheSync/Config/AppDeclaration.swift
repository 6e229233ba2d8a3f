import Foundation
import SodarCache

/// One `[apps.NAME]` table of the config file: a registered app, optionally with a command
/// that produces its data on sync.
public struct AppDeclaration: Sendable, Hashable {
    /// The default `timeout`, in seconds.
    public static let defaultTimeout: TimeInterval = 300
    /// The default `max_output`, in bytes (256 MB).
    public static let defaultMaxOutput = 256 * 1024 * 1024

    /// The app name items are stored under (the table's key).
    public var name: String
    /// A human title; the name when the table gives none.
    public var title: String
    /// The argv to run on sync, with placeholders; nil for an app fed only through `set`.
    public var command: [String]?
    /// The item name when the command prints one payload; nil when it prints an object of items.
    public var item: String?
    public var scope: PluginScope
    /// Seconds before the command (and its children) are killed.
    public var timeout: TimeInterval
    /// The most bytes of stdout accepted.
    public var maxOutput: Int
    /// The working directory of the command, or nil for the current one.
    public var cwd: String?
    /// Variables added to the inherited environment of the command.
    public var env: [String: String]
    /// The command writes the cache itself (SODAR's `manage.py synccache -p {project_uuid}`):
    /// its stdout is not read as items; its exit status and its lines (`outcome`) say whether
    /// it worked.
    public var writesCache = false
    /// Earlier versions of its items to keep, over `[history] versions` (nil: that).
    public var history: Int?
    /// For a whole-site sync (no project asked for), run this once instead of `command` once
    /// per project (SODAR's `manage.py synccache` without `-p`). Only with `writesCache`.
    public var siteCommand: [String]?
    /// The lines a `writesCache` command reports with (`failure_pattern`, `success_line`);
    /// nil: SODAR's `synccache` lines.
    public var outcomeLines: OutcomeLines?
    /// Item names every project should have of this app (a site-scope app: site-wide items),
    /// which `sodarcache doctor` reports when missing (`expect = ["irods/stats"]`).
    public var expect: [String] = []

    /// The lines this app's command is judged by: nil for a command that prints items.
    public var effectiveOutcomeLines: OutcomeLines? {
        writesCache ? (outcomeLines ?? .sodar) : nil
    }

    public init(
        name: String, title: String? = nil, command: [String]? = nil, item: String? = nil,
        scope: PluginScope = .project, timeout: TimeInterval = AppDeclaration.defaultTimeout,
        maxOutput: Int = AppDeclaration.defaultMaxOutput, cwd: String? = nil, env: [String: String] = [:]
    ) {
        self.name = name
        self.title = title ?? name
        self.command = command
        self.item = item
        self.scope = scope
        self.timeout = timeout
        self.maxOutput = maxOutput
        self.cwd = cwd
        self.env = env
    }
}
