import Foundation
import SodarCache

extension PostgresCacheStore {
    /// The SODAR tables and the columns this build reads and writes (SODAR Core 1.x).
    static let sodarColumns: [(table: String, columns: [String])] = [
        ("sodarcache_jsoncacheitem", ["id", "app_name", "name", "date_modified", "sodar_uuid", "data", "project_id", "user_id"]),
        ("projectroles_project", ["id", "title", "type", "description", "sodar_uuid", "parent_id"]),
    ]
    static let userColumns = ["id", "username", "sodar_uuid"]

    /// sodarcache's own schema, one entry per version. Never edit a shipped one: append.
    static let migrations: [String] = [
        // v1. Projects keep their tree as parent ids; tree order and full titles are computed
        // from the rows (see ProjectTree). Items: NULL project_id is a site-wide item, unique
        // per (app, name) through a partial index (a UNIQUE constraint lets NULLs repeat).
        """
        CREATE TABLE sodarcache_project (
            id bigserial PRIMARY KEY,
            sodar_uuid uuid NOT NULL UNIQUE,
            title text NOT NULL,
            type text NOT NULL CHECK (type IN ('CATEGORY', 'PROJECT')),
            parent_id bigint REFERENCES sodarcache_project (id) DEFERRABLE INITIALLY DEFERRED,
            description text NOT NULL DEFAULT '',
            path text
        );
        CREATE INDEX sodarcache_project_parent ON sodarcache_project (parent_id);
        CREATE TABLE sodarcache_item (
            id bigserial PRIMARY KEY,
            sodar_uuid uuid NOT NULL UNIQUE,
            project_id bigint,
            app_name text NOT NULL,
            name text NOT NULL,
            user_name text,
            user_uuid uuid,
            date_modified timestamptz NOT NULL,
            size bigint NOT NULL,
            data text NOT NULL,
            CONSTRAINT sodarcache_item_key UNIQUE (project_id, app_name, name)
        );
        CREATE UNIQUE INDEX sodarcache_item_site_key ON sodarcache_item (app_name, name) WHERE project_id IS NULL;
        CREATE INDEX sodarcache_item_updated ON sodarcache_item (project_id, app_name, date_modified);
        CREATE INDEX sodarcache_item_size ON sodarcache_item (project_id, app_name, size);
        -- Header totals, kept per statement from its transition tables.
        CREATE TABLE sodarcache_totals (
            id integer PRIMARY KEY CHECK (id = 1),
            items bigint NOT NULL,
            bytes bigint NOT NULL,
            site_items bigint NOT NULL
        );
        INSERT INTO sodarcache_totals VALUES (1, 0, 0, 0);
        CREATE FUNCTION sodarcache_totals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE sodarcache_totals SET
                items = items + (SELECT count(*) FROM new_rows),
                bytes = bytes + (SELECT coalesce(sum(size), 0) FROM new_rows),
                site_items = site_items + (SELECT count(*) FROM new_rows WHERE project_id IS NULL)
            WHERE id = 1;
            RETURN NULL;
        END $$;
        CREATE FUNCTION sodarcache_totals_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE sodarcache_totals SET
                items = items - (SELECT count(*) FROM old_rows),
                bytes = bytes - (SELECT coalesce(sum(size), 0) FROM old_rows),
                site_items = site_items - (SELECT count(*) FROM old_rows WHERE project_id IS NULL)
            WHERE id = 1;
            RETURN NULL;
        END $$;
        CREATE FUNCTION sodarcache_totals_updated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE sodarcache_totals SET
                bytes = bytes + (SELECT coalesce(sum(size), 0) FROM new_rows) - (SELECT coalesce(sum(size), 0) FROM old_rows),
                site_items = site_items + (SELECT count(*) FROM new_rows WHERE project_id IS NULL)
                    - (SELECT count(*) FROM old_rows WHERE project_id IS NULL)
            WHERE id = 1;
            RETURN NULL;
        END $$;
        CREATE TRIGGER sodarcache_totals_insert AFTER INSERT ON sodarcache_item
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sodarcache_totals_inserted();
        CREATE TRIGGER sodarcache_totals_delete AFTER DELETE ON sodarcache_item
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sodarcache_totals_deleted();
        CREATE TRIGGER sodarcache_totals_update AFTER UPDATE ON sodarcache_item
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sodarcache_totals_updated();
        """,
        // v2. Each project's own totals (0: the site-wide items), kept per statement like the
        // header's, so subtree totals and size orders never count items. The latest update of a
        // project that lost rows is read back through sodarcache_item_updated.
        """
        -- Writers wait while the totals are counted and the triggers made: a row committed in
        -- between would never be counted.
        LOCK TABLE sodarcache_item IN SHARE ROW EXCLUSIVE MODE;
        -- The latest update of one project, read back when it lost its latest row.
        CREATE INDEX sodarcache_item_project_updated ON sodarcache_item (project_id, date_modified);
        CREATE TABLE sodarcache_project_totals (
            project_id bigint PRIMARY KEY,
            items bigint NOT NULL,
            bytes bigint NOT NULL,
            latest timestamptz
        );
        INSERT INTO sodarcache_project_totals (project_id, items, bytes, latest)
            SELECT coalesce(project_id, 0), count(*), sum(size), max(date_modified) FROM sodarcache_item GROUP BY 1;
        CREATE FUNCTION sodarcache_project_totals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE sodarcache_project_totals t SET items = t.items - o.items, bytes = t.bytes - o.bytes
                FROM (SELECT coalesce(project_id, 0) AS project_id, count(*) AS items, sum(size) AS bytes
                      FROM old_rows GROUP BY 1) o
                WHERE t.project_id = o.project_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO sodarcache_project_totals AS t (project_id, items, bytes, latest)
                    SELECT coalesce(project_id, 0), count(*), sum(size), max(date_modified) FROM new_rows GROUP BY 1
                    ON CONFLICT (project_id) DO UPDATE SET items = t.items + excluded.items,
                        bytes = t.bytes + excluded.bytes, latest = greatest(t.latest, excluded.latest);
            END IF;
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE sodarcache_project_totals t SET latest = CASE WHEN t.project_id = 0
                    THEN (SELECT max(date_modified) FROM sodarcache_item WHERE project_id IS NULL)
                    ELSE (SELECT max(date_modified) FROM sodarcache_item WHERE project_id = t.project_id) END
                FROM (SELECT coalesce(project_id, 0) AS project_id, max(date_modified) AS latest
                      FROM old_rows GROUP BY 1) o
                WHERE t.project_id = o.project_id AND (t.latest IS NULL OR o.latest >= t.latest);
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER sodarcache_project_totals_insert AFTER INSERT ON sodarcache_item
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sodarcache_project_totals_changed();
        CREATE TRIGGER sodarcache_project_totals_delete AFTER DELETE ON sodarcache_item
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sodarcache_project_totals_changed();
        CREATE TRIGGER sodarcache_project_totals_update AFTER UPDATE ON sodarcache_item
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
            EXECUTE FUNCTION sodarcache_project_totals_changed();
        """,
        // v3. The totals triggers read each transition table once and leave the totals row alone
        // when nothing changed: an upsert fires both the INSERT and the UPDATE trigger, and one
        // of them always has no rows; an update that keeps the size changes no total.
        """
        CREATE OR REPLACE FUNCTION sodarcache_totals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            n bigint; b bigint; s bigint;
        BEGIN
            SELECT count(*), coalesce(sum(size), 0), count(*) FILTER (WHERE project_id IS NULL) INTO n, b, s FROM new_rows;
            IF n > 0 THEN
                UPDATE sodarcache_totals SET items = items + n, bytes = bytes + b, site_items = site_items + s WHERE id = 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION sodarcache_totals_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            n bigint; b bigint; s bigint;
        BEGIN
            SELECT count(*), coalesce(sum(size), 0), count(*) FILTER (WHERE project_id IS NULL) INTO n, b, s FROM old_rows;
            IF n > 0 THEN
                UPDATE sodarcache_totals SET items = items - n, bytes = bytes - b, site_items = site_items - s WHERE id = 1;
            END IF;
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION sodarcache_totals_updated() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            b bigint; s bigint;
        BEGIN
            SELECT coalesce(sum(size), 0), count(*) FILTER (WHERE project_id IS NULL) INTO b, s FROM new_rows;
            SELECT b - coalesce(sum(size), 0), s - count(*) FILTER (WHERE project_id IS NULL) INTO b, s FROM old_rows;
            IF b <> 0 OR s <> 0 THEN
                UPDATE sodarcache_totals SET bytes = bytes + b, site_items = site_items + s WHERE id = 1;
            END IF;
            RETURN NULL;
        END $$;
        """,
        // v4. `--orphans` over the whole store: an index led by the app finds the apps that are
        // not registered in one step per app, and each such app's projects in one step per
        // project, instead of one step per (project, app) pair of the whole table.
        """
        CREATE INDEX sodarcache_item_app ON sodarcache_item (app_name, project_id);
        """,
    ]

    /// An arbitrary constant: the advisory lock that serialises schema creation and upgrades.
    static let schemaLockKey = 7_411_035_229

    /// Recognises the database by its tables; creates or upgrades sodarcache's schema.
    static func recognise(
        _ connection: PGConnection, userTable: String, readOnly: Bool, location: String
    ) throws -> (Layout, Tables) {
        let found = try connection.query(
            """
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND table_name IN ('sodarcache_jsoncacheitem', 'projectroles_project', 'sodarcache_schema', $1)
            """, [.text(userTable)])
        var columns: [String: Set<String>] = [:]
        for row in 0..<found.rowCount {
            columns[found.string(row, 0) ?? "", default: []].insert(found.string(row, 1) ?? "")
        }
        if columns["sodarcache_jsoncacheitem"] != nil || columns["projectroles_project"] != nil {
            for (table, needed) in sodarColumns + [(userTable, userColumns)] {
                guard let present = columns[table] else {
                    throw CacheError.storeFailure(
                        "\(location) looks like a SODAR site's database but has no table \(table)"
                            + (table == userTable ? " (set the site's user table with [postgres] user_table in the config)" : ""))
                }
                if let missing = needed.first(where: { !present.contains($0) }) {
                    throw CacheError.storeFailure(
                        "\(location): SODAR's table \(table) has no column \(missing); this sodarcache knows SODAR Core 1.x tables")
                }
            }
            return (.sodar, Tables(items: "sodarcache_jsoncacheitem", projects: "projectroles_project", users: userTable))
        }
        let tables = Tables(items: "sodarcache_item", projects: "sodarcache_project", users: nil, schemaTable: "sodarcache_schema")
        try migrate(connection, readOnly: readOnly, location: location)
        return (.sodarcache, tables)
    }

    static func neitherKind(_ location: String) -> CacheError {
        .storeFailure(
            "\(location) is neither a SODAR site's database (no sodarcache_jsoncacheitem or projectroles_project table) "
                + "nor a sodarcache store (no sodarcache_schema table), and it is not empty")
    }

    /// Brings sodarcache's schema to the current version; several processes may race here.
    static func migrate(_ connection: PGConnection, readOnly: Bool, location: String) throws {
        let current = migrations.count
        func version() throws -> Int? {
            // A scan of the catalog with this statement's snapshot: to_regclass() may answer from
            // a cache that has not yet seen the table another session just committed.
            let exists = try connection.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'sodarcache_schema')")
            guard exists.bool(0, 0) == true else { return nil }
            return try connection.execute("SELECT max(version) FROM sodarcache_schema").int(0, 0) ?? 0
        }
        func isEmpty() throws -> Bool {
            try connection.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()").int(0, 0) == 0
        }
        if let found = try version() {
            if found > current { throw CacheError.storeTooNew(location: location, version: "v\(found)") }
            if found == current { return }
            if readOnly { throw CacheError.storeNeedsUpgrade(location: location) }
        } else if readOnly {
            if try !isEmpty() { throw neitherKind(location) }
            throw CacheError.storeFailure("\(location) is an empty database; open it once without --read-only to create a store")
        }
        // Creation and upgrades wait for each other: another process may be doing it right now.
        try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [PGValue(schemaLockKey)])
            let found = try version()
            if found == nil {
                if try !isEmpty() { throw neitherKind(location) }
                try connection.execute("CREATE TABLE sodarcache_schema (version integer NOT NULL)")
            }
            let start = found ?? 0
            if start > current { throw CacheError.storeTooNew(location: location, version: "v\(start)") }
            if start == current { return }
            for index in start..<current {
                try connection.execute(migrations[index])
                try connection.query("INSERT INTO sodarcache_schema (version) VALUES ($1::integer)", [PGValue(index + 1)])
            }
        }
    }
}
