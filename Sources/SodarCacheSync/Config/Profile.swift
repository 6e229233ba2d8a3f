import Foundation

/// A named store of the config (`[profiles.NAME]`), picked with `--profile NAME` or
/// `$SODARCACHE_PROFILE`, as k9s and kubectl pick a context: its store, its safety (read-only,
/// a question before each delete) and what marks it in the browser.
///
/// A profile may carry the tables that describe a site: `apps.*`, `postgres`, `project_paths`,
/// `trash` and `history`. Each replaces the top-level one whole for that profile (keys it does
/// not give take their defaults, never the top level's: another site's setting must not leak in);
/// an app table replaces the top-level app of that name, and the top-level apps it does not name
/// stay registered.
public struct Profile: Sendable, Hashable {
    /// The table's key, as `--profile` takes it.
    public var name: String
    /// The store: a SQLite file (an absolute path) or a PostgreSQL URI.
    public var db: String
    /// What the browser's header and the confirmation questions call it; nil: the name.
    public var title: String?
    /// Every write and delete is refused, as with `--read-only`, whatever the role could do.
    public var readOnly = false
    /// Every command that deletes asks first on a terminal, and needs `--yes` elsewhere.
    public var confirm = false
    /// The browser's header bar in this colour (one of `Profile.colors`); nil: the usual header.
    public var color: String?

    /// `[profiles.NAME.apps.*]`: each replaces the top-level app of its name.
    public var apps: [AppDeclaration] = []
    /// `[profiles.NAME.postgres]`, replacing `[postgres]`.
    public var postgres: PostgresSettings?
    /// `[profiles.NAME.project_paths]`, replacing `[project_paths]`.
    public var projectPaths: ProjectPaths?
    /// `[profiles.NAME.trash]`, replacing `[trash]`.
    public var trash: TrashSettings?
    /// `[profiles.NAME.history]`, replacing `[history]`.
    public var history: HistorySettings?

    public init(name: String, db: String) {
        self.name = name
        self.db = db
    }

    /// The title, else the name: what questions and the header call the store.
    public var shownName: String { title ?? name }

    /// The colours a profile may mark its header with (the terminal's eight, less black, which
    /// is many terminals' background).
    public static let colors = ["red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The keys of a profile's table, for the unknown-key message.
    static let keys = ["apps", "color", "confirm", "db", "history", "postgres", "project_paths", "read_only", "title", "trash"]
}
