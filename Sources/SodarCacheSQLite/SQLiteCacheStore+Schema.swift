import Foundation
import GRDB
import Logging
import SodarCache
import StoreKernel

extension SQLiteCacheStore {
    /// The schema's versions. Never edit a shipped migration: append a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // Projects: tree order is `sort_key` (titles joined by U+0001, which sorts before
            // any title character, so children follow their parent directly).
            try db.execute(
                sql: """
                    CREATE TABLE project (
                        id INTEGER PRIMARY KEY,
                        uuid BLOB NOT NULL UNIQUE,
                        title TEXT NOT NULL,
                        type TEXT NOT NULL CHECK (type IN ('CATEGORY', 'PROJECT')),
                        parent_uuid BLOB REFERENCES project(uuid) DEFERRABLE INITIALLY DEFERRED,
                        description TEXT NOT NULL DEFAULT '',
                        path TEXT,
                        full_title TEXT NOT NULL,
                        sort_key TEXT NOT NULL COLLATE NOCASE,
                        depth INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX project_tree ON project(sort_key, uuid);
                    CREATE INDEX project_parent ON project(parent_uuid);
                    """)
            // Items: project_id 0 is the site-wide scope, so that (project, app, name) is
            // unique for site-wide items too (SQLite treats NULLs as distinct in UNIQUE).
            // The payload comes last so that list queries never touch it.
            try db.execute(
                sql: """
                    CREATE TABLE cache_item (
                        id INTEGER PRIMARY KEY,
                        uuid BLOB NOT NULL,
                        project_id INTEGER NOT NULL,
                        app_name TEXT NOT NULL,
                        name TEXT NOT NULL,
                        user_name TEXT,
                        user_uuid BLOB,
                        date_modified REAL NOT NULL,
                        size INTEGER NOT NULL,
                        data BLOB NOT NULL
                    );
                    CREATE UNIQUE INDEX cache_item_key ON cache_item(project_id, app_name, name);
                    CREATE UNIQUE INDEX cache_item_uuid ON cache_item(uuid);
                    CREATE INDEX cache_item_app_updated ON cache_item(project_id, app_name, date_modified, uuid);
                    CREATE INDEX cache_item_app_size ON cache_item(project_id, app_name, size, uuid, date_modified);
                    CREATE INDEX cache_item_updated ON cache_item(project_id, date_modified, uuid);
                    CREATE INDEX cache_item_size ON cache_item(project_id, size, uuid);
                    """)
        }
        migrator.registerMigration("v2") { db in
            // The project list's title filter reads full_title from the index, not the table.
            try db.execute(
                sql: """
                    DROP INDEX project_tree;
                    CREATE INDEX project_tree ON project(sort_key, uuid, full_title);
                    """)
        }
        migrator.registerMigration("v3") { db in
            // Totals for the browser's header, kept by triggers: one row update per write
            // instead of a count over every item at each launch.
            try db.execute(
                sql: """
                    CREATE TABLE cache_totals (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        items INTEGER NOT NULL,
                        bytes INTEGER NOT NULL,
                        site_items INTEGER NOT NULL
                    );
                    INSERT INTO cache_totals (id, items, bytes, site_items)
                        SELECT 1, count(*), coalesce(sum(size), 0), count(*) FILTER (WHERE project_id = 0)
                        FROM cache_item INDEXED BY cache_item_size;
                    CREATE TRIGGER cache_totals_insert AFTER INSERT ON cache_item BEGIN
                        UPDATE cache_totals SET items = items + 1, bytes = bytes + new.size,
                            site_items = site_items + (new.project_id = 0) WHERE id = 1;
                    END;
                    CREATE TRIGGER cache_totals_delete AFTER DELETE ON cache_item BEGIN
                        UPDATE cache_totals SET items = items - 1, bytes = bytes - old.size,
                            site_items = site_items - (old.project_id = 0) WHERE id = 1;
                    END;
                    CREATE TRIGGER cache_totals_update AFTER UPDATE OF size, project_id ON cache_item
                    WHEN old.size IS NOT new.size OR old.project_id IS NOT new.project_id BEGIN
                        UPDATE cache_totals SET bytes = bytes + new.size - old.size,
                            site_items = site_items + (new.project_id = 0) - (old.project_id = 0) WHERE id = 1;
                    END;
                    """)
        }
        migrator.registerMigration("v4") { db in
            // Tree-order keys gain each level's UUID: sibling categories with equal titles
            // kept their subtrees interleaved. Frozen: the statement `recomputeTitles` ran when
            // v4 shipped, so that a later change to that function cannot change this migration.
            try db.execute(
                sql: """
                    WITH RECURSIVE t(uuid, full_title, sort_key, depth) AS (
                        SELECT c.uuid, c.title, c.title || char(2) || hex(c.uuid), 0
                        FROM project c WHERE c.parent_uuid IS NULL
                        UNION ALL
                        SELECT c.uuid, t.full_title || ' / ' || c.title,
                            t.sort_key || char(1) || c.title || char(2) || hex(c.uuid), t.depth + 1
                        FROM project c JOIN t ON c.parent_uuid = t.uuid
                    )
                    UPDATE project SET full_title = t.full_title, sort_key = t.sort_key, depth = t.depth
                    FROM t WHERE project.uuid = t.uuid
                    """)
        }
        migrator.registerMigration("v5") { db in
            // Each project's own totals, kept by triggers, so the browser's subtree totals and
            // size orders never count items: one row update per write. The latest update after a
            // delete or an update that lowers it is read back through cache_item_updated.
            // `project_generation` changes with every change to the project table, so that the
            // project tree is read again only when it changed; `project_listing` has every column
            // the tree reads, in tree order: reading 10,000 projects is one index scan (3 ms, where
            // the table lookups took 13).
            try db.execute(
                sql: """
                    CREATE TABLE project_totals (
                        project_id INTEGER PRIMARY KEY,
                        items INTEGER NOT NULL,
                        bytes INTEGER NOT NULL,
                        latest REAL
                    );
                    INSERT INTO project_totals (project_id, items, bytes, latest)
                        SELECT project_id, count(*), total(size), max(date_modified)
                        FROM cache_item INDEXED BY cache_item_app_size GROUP BY project_id;
                    CREATE TRIGGER project_totals_insert AFTER INSERT ON cache_item BEGIN
                        INSERT INTO project_totals (project_id, items, bytes, latest)
                            VALUES (new.project_id, 1, new.size, new.date_modified)
                            ON CONFLICT (project_id) DO UPDATE SET items = items + 1, bytes = bytes + excluded.bytes,
                                latest = max(coalesce(latest, excluded.latest), excluded.latest);
                    END;
                    CREATE TRIGGER project_totals_delete AFTER DELETE ON cache_item BEGIN
                        UPDATE project_totals SET items = items - 1, bytes = bytes - old.size,
                            latest = CASE WHEN old.date_modified < latest THEN latest
                                ELSE (SELECT max(date_modified) FROM cache_item INDEXED BY cache_item_updated
                                      WHERE project_id = old.project_id) END
                        WHERE project_id = old.project_id;
                    END;
                    CREATE TRIGGER project_totals_update AFTER UPDATE OF size, date_modified, project_id ON cache_item
                    WHEN old.size IS NOT new.size OR old.date_modified IS NOT new.date_modified
                        OR old.project_id IS NOT new.project_id BEGIN
                        UPDATE project_totals SET items = items - 1, bytes = bytes - old.size,
                            latest = CASE WHEN old.date_modified < latest THEN latest
                                ELSE (SELECT max(date_modified) FROM cache_item INDEXED BY cache_item_updated
                                      WHERE project_id = old.project_id) END
                        WHERE project_id = old.project_id;
                        INSERT INTO project_totals (project_id, items, bytes, latest)
                            VALUES (new.project_id, 1, new.size, new.date_modified)
                            ON CONFLICT (project_id) DO UPDATE SET items = items + 1, bytes = bytes + excluded.bytes,
                                latest = max(coalesce(latest, excluded.latest), excluded.latest);
                    END;
                    CREATE INDEX project_listing ON project(
                        sort_key, uuid, id, title, type, parent_uuid, full_title, depth, description, path);
                    CREATE TABLE project_generation (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        generation INTEGER NOT NULL
                    );
                    INSERT INTO project_generation (id, generation) VALUES (1, 0);
                    CREATE TRIGGER project_generation_insert AFTER INSERT ON project BEGIN
                        UPDATE project_generation SET generation = generation + 1 WHERE id = 1;
                    END;
                    CREATE TRIGGER project_generation_update AFTER UPDATE ON project BEGIN
                        UPDATE project_generation SET generation = generation + 1 WHERE id = 1;
                    END;
                    CREATE TRIGGER project_generation_delete AFTER DELETE ON project BEGIN
                        UPDATE project_generation SET generation = generation + 1 WHERE id = 1;
                    END;
                    """)
        }
        migrator.registerMigration("v6") { db in
            // The trash: every delete made through sodarcache keeps its items, in the delete's
            // own transaction. A delete writes its entry and a `trash_context` row first; the
            // trigger copies each deleted row under that entry; the context row goes before
            // the commit, so that no other connection ever sees it (and a delete made by
            // another tool, with no context, keeps nothing). AUTOINCREMENT: an id once given
            // is never given again, even after a purge. As a SODAR site's local store, the
            // entries also carry the site's role and, until the site's transaction is known to
            // have committed, its id (`pending_xact`): pending entries are not listed.
            try db.execute(
                sql: """
                    CREATE TABLE trash_entry (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        deleted_at REAL NOT NULL,
                        os_user TEXT NOT NULL,
                        host TEXT NOT NULL,
                        command TEXT NOT NULL,
                        items INTEGER NOT NULL DEFAULT 0,
                        bytes INTEGER NOT NULL DEFAULT 0,
                        db_role TEXT,
                        pending_xact INTEGER
                    );
                    CREATE INDEX trash_entry_time ON trash_entry(deleted_at);
                    CREATE TABLE trash_item (
                        entry_id INTEGER NOT NULL REFERENCES trash_entry(id) ON DELETE CASCADE,
                        uuid BLOB NOT NULL,
                        project_uuid BLOB,
                        app_name TEXT NOT NULL,
                        name TEXT NOT NULL,
                        user_name TEXT,
                        user_uuid BLOB,
                        date_modified REAL NOT NULL,
                        size INTEGER NOT NULL,
                        data BLOB NOT NULL
                    );
                    CREATE INDEX trash_item_entry ON trash_item(entry_id, size);
                    CREATE TABLE trash_context (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        entry_id INTEGER NOT NULL
                    );
                    CREATE TRIGGER trash_keep AFTER DELETE ON cache_item
                    WHEN EXISTS (SELECT 1 FROM trash_context) BEGIN
                        INSERT INTO trash_item
                            (entry_id, uuid, project_uuid, app_name, name, user_name, user_uuid, date_modified, size, data)
                        SELECT c.entry_id, old.uuid, (SELECT p.uuid FROM project p WHERE p.id = old.project_id),
                            old.app_name, old.name, old.user_name, old.user_uuid, old.date_modified, old.size, old.data
                        FROM trash_context c;
                    END;
                    """)
        }
        migrator.registerMigration("v7") { db in
            // History: an overwrite whose payload differs keeps the version it replaced, in the
            // write's own transaction; a rewrite of identical data keeps nothing (SODAR rewrites
            // every item on every sync, and such copies would push the real history out). How
            // many versions is the store's setting (`history_setting`, '' for every app without
            // its own row), so that every host writing the store keeps the same history. A
            // version's id is its revision: AUTOINCREMENT never gives one twice.
            try db.execute(
                sql: """
                    CREATE TABLE history_setting (
                        app_name TEXT PRIMARY KEY,
                        versions INTEGER NOT NULL,
                        max_bytes INTEGER NOT NULL
                    );
                    INSERT INTO history_setting (app_name, versions, max_bytes) VALUES ('', 5, 67108864);
                    CREATE TABLE item_version (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        project_id INTEGER NOT NULL,
                        app_name TEXT NOT NULL,
                        name TEXT NOT NULL,
                        uuid BLOB NOT NULL,
                        user_name TEXT,
                        user_uuid BLOB,
                        date_modified REAL NOT NULL,
                        replaced_at REAL NOT NULL,
                        size INTEGER NOT NULL,
                        data BLOB NOT NULL
                    );
                    CREATE INDEX item_version_key ON item_version(project_id, app_name, name, id);
                    CREATE TRIGGER item_history AFTER UPDATE OF data ON cache_item WHEN old.data IS NOT new.data BEGIN
                        INSERT INTO item_version
                            (project_id, app_name, name, uuid, user_name, user_uuid, date_modified, replaced_at, size, data)
                        SELECT old.project_id, old.app_name, old.name, old.uuid, old.user_name, old.user_uuid,
                            old.date_modified, new.date_modified, old.size, old.data
                        FROM (SELECT versions, max_bytes FROM history_setting WHERE app_name IN (old.app_name, '')
                              ORDER BY app_name DESC LIMIT 1) s
                        WHERE s.versions > 0 AND old.size <= s.max_bytes;
                        DELETE FROM item_version
                        WHERE project_id = old.project_id AND app_name = old.app_name AND name = old.name
                            AND id NOT IN (
                                SELECT id FROM item_version
                                WHERE project_id = old.project_id AND app_name = old.app_name AND name = old.name
                                ORDER BY id DESC
                                LIMIT (SELECT versions FROM history_setting WHERE app_name IN (old.app_name, '')
                                       ORDER BY app_name DESC LIMIT 1));
                    END;
                    """)
        }
        migrator.registerMigration("v8") { db in
            // The audit trail: one entry per change made through sodarcache, written in the
            // change's own transaction (a failure, which has none, is recorded after it).
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at REAL NOT NULL,
                        os_user TEXT NOT NULL,
                        host TEXT NOT NULL,
                        db_role TEXT,
                        command TEXT NOT NULL,
                        action TEXT NOT NULL,
                        what TEXT NOT NULL,
                        outcome TEXT NOT NULL
                    );
                    CREATE INDEX audit_log_at ON audit_log(at);
                    """)
        }
        migrator.registerMigration("v9") { db in
            // A SODAR site's history, in its local store: the versions sodarcache replaced on
            // the site's tables, keyed by project UUID (the site's projects are not this
            // store's). Pending (`pending_xact`, the site's transaction id) until the site's
            // transaction commits, as the trash's entries are. An id is a revision: AUTOINCREMENT
            // never gives one twice. The policy is this store's `history_setting`.
            try db.execute(
                sql: """
                    CREATE TABLE site_version (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        project_uuid BLOB,
                        app_name TEXT NOT NULL,
                        name TEXT NOT NULL,
                        uuid BLOB NOT NULL,
                        user_name TEXT,
                        user_uuid BLOB,
                        date_modified REAL NOT NULL,
                        replaced_at REAL NOT NULL,
                        size INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        pending_xact INTEGER
                    );
                    CREATE INDEX site_version_key ON site_version(app_name, name, project_uuid, id);
                    CREATE INDEX site_version_pending ON site_version(pending_xact) WHERE pending_xact IS NOT NULL;
                    """)
        }
        return migrator
    }()

    /// Migrates a writable store; checks that a read-only one is current.
    func migrate() throws {
        let migrator = Self.migrator
        let known = Set(migrator.migrations)
        let (applied, complete) = try pool.read { db in
            (try migrator.appliedIdentifiers(db), try migrator.hasCompletedMigrations(db))
        }
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty {
            throw CacheError.storeTooNew(location: path, version: unknown.sorted().joined(separator: ", "))
        }
        appliedMigrations.withLock { $0 = applied }
        if complete { return }
        if readOnly {
            guard readsOlderSchema else { throw CacheError.storeNeedsUpgrade(location: path) }
            logger.notice(
                "\(path) has an older schema (v\(applied.count) of v\(known.count)): read as it is; the next write through it upgrades it")
            return
        }
        try migrator.migrate(pool)
        appliedMigrations.withLock { $0 = known }
        ownCommits.withLock { $0 += 1 }
        if !applied.isEmpty {
            try record(AuditNote(action: "schema", what: "migrated from v\(applied.count) to v\(known.count)"))
        }
    }
}

extension SQLiteCacheStore {
    /// Whether the file has the schema `migration` made ("v6": the trash, "v8": the audit
    /// trail): only an older schema read as it is lacks one.
    func hasSchema(_ migration: String) -> Bool {
        appliedMigrations.withLock { $0.contains(migration) }
    }
}

extension SQLiteCacheStore {
    /// Refuses a file whose schema is not this build's, changing nothing: what a command that
    /// must never upgrade (`browse`) checks before its writable open. Read through the
    /// immutable look of `refuseIfNotAStore` when no writer has the store open (no side file
    /// made), else on one read-only connection. A whole read-only store opened and closed for
    /// it cost the browser's launch 1-2 ms at 1M items.
    /// - Throws: `CacheError.storeNeedsUpgrade` (an older schema), `.storeTooNew`,
    ///   `.storeNotDatabase`, `.storeBusy` or `.storeFailure`.
    public static func requireCurrentSchema(path: String) throws {
        let migrator = Self.migrator
        let known = Set(migrator.migrations)
        try guarded(path: path) {
            let applied = try refuseIfNotAStore(path) ?? {
                let queue = try DatabaseQueue(
                    path: readOnlyOpenPath(path), configuration: configuration(readOnly: true, busyTimeout: defaultBusyTimeout))
                defer { try? queue.close() }
                return try queue.read { db in try migrator.appliedIdentifiers(db) }
            }()
            let unknown = applied.subtracting(known)
            if !unknown.isEmpty {
                throw CacheError.storeTooNew(location: path, version: unknown.sorted().joined(separator: ", "))
            }
            if applied != known { throw CacheError.storeNeedsUpgrade(location: path) }
        }
    }

    /// `sodarcache migrate`: upgrades the store at `path` to this build's schema.
    /// - Returns: the versions (migrations applied) before and after.
    public static func migrate(path: String, logger: Logger = Logger(label: "sodarcache.store")) throws -> (from: Int, to: Int) {
        let migrator = Self.migrator
        let before = try guarded(path: path) { () -> Int in
            try refuseIfNotAStore(path)
            let queue = try DatabaseQueue(path: readOnlyOpenPath(path), configuration: configuration(readOnly: true, busyTimeout: defaultBusyTimeout))
            defer { try? queue.close() }
            return try queue.read { db in try migrator.appliedIdentifiers(db).count }
        }
        let store = try SQLiteCacheStore(path: path, registeredApps: [], logger: logger)
        try store.close()
        return (before, migrator.migrations.count)
    }
}
