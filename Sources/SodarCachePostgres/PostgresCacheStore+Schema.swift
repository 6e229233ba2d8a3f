import Foundation
import PostgresDriver
import SodarCache
import StoreKernel

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
        // v5. App and item names in byte order whatever the database's collation, as on SQLite
        // and in memory: pages, keyset comparisons and their indexes (rebuilt by the change)
        // all follow the column's collation. An en_US or ICU default sorted "Zebra" among the
        // z's here and before "apple" on SQLite.
        """
        ALTER TABLE sodarcache_item ALTER COLUMN app_name TYPE text COLLATE "C", ALTER COLUMN name TYPE text COLLATE "C";
        """,
        // v6. The trash: a delete made through sodarcache writes its entry and sets
        // `sodarcache.trash_entry` for its transaction only (SET LOCAL's scope: PgBouncer in
        // transaction mode keeps it); the statement trigger copies the deleted rows under it
        // from the delete's transition table. A delete by another tool keeps nothing.
        """
        CREATE TABLE sodarcache_trash_entry (
            id bigserial PRIMARY KEY,
            deleted_at timestamptz NOT NULL,
            os_user text NOT NULL,
            db_role text NOT NULL DEFAULT current_user,
            host text NOT NULL,
            command text NOT NULL,
            items bigint NOT NULL DEFAULT 0,
            bytes bigint NOT NULL DEFAULT 0
        );
        CREATE INDEX sodarcache_trash_entry_time ON sodarcache_trash_entry (deleted_at);
        CREATE TABLE sodarcache_trash_item (
            entry_id bigint NOT NULL REFERENCES sodarcache_trash_entry (id) ON DELETE CASCADE,
            sodar_uuid uuid NOT NULL,
            project_uuid uuid,
            app_name text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            user_name text,
            user_uuid uuid,
            date_modified timestamptz NOT NULL,
            size bigint NOT NULL,
            data text NOT NULL
        );
        CREATE INDEX sodarcache_trash_item_entry ON sodarcache_trash_item (entry_id, size);
        CREATE FUNCTION sodarcache_trash_keep() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            entry text := current_setting('sodarcache.trash_entry', true);
        BEGIN
            IF coalesce(entry, '') <> '' THEN
                INSERT INTO sodarcache_trash_item
                    (entry_id, sodar_uuid, project_uuid, app_name, name, user_name, user_uuid, date_modified, size, data)
                SELECT entry::bigint, o.sodar_uuid, p.sodar_uuid, o.app_name, o.name, o.user_name, o.user_uuid,
                    o.date_modified, o.size, o.data
                FROM old_rows o LEFT JOIN sodarcache_project p ON p.id = o.project_id;
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER sodarcache_trash_keep AFTER DELETE ON sodarcache_item
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sodarcache_trash_keep();
        """,
        // v7. History: an overwrite whose payload differs keeps the version it replaced, in the
        // write's own transaction (identical rewrites keep nothing). The store's setting says
        // how many ('' for every app without its own row). Versions key site-wide items as
        // project 0, so that one index serves every lookup. The id is the revision.
        """
        CREATE TABLE sodarcache_history_setting (
            app_name text COLLATE "C" PRIMARY KEY,
            versions integer NOT NULL,
            max_bytes bigint NOT NULL
        );
        INSERT INTO sodarcache_history_setting (app_name, versions, max_bytes) VALUES ('', 5, 67108864);
        CREATE TABLE sodarcache_item_version (
            id bigserial PRIMARY KEY,
            project_id bigint NOT NULL,
            app_name text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            sodar_uuid uuid NOT NULL,
            user_name text,
            user_uuid uuid,
            date_modified timestamptz NOT NULL,
            replaced_at timestamptz NOT NULL,
            size bigint NOT NULL,
            data text NOT NULL
        );
        CREATE INDEX sodarcache_item_version_key ON sodarcache_item_version (project_id, app_name, name, id);
        CREATE FUNCTION sodarcache_item_history() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            keep integer; cap bigint; project bigint := coalesce(OLD.project_id, 0);
        BEGIN
            SELECT versions, max_bytes INTO keep, cap FROM sodarcache_history_setting
            WHERE app_name IN (OLD.app_name, '') ORDER BY app_name DESC LIMIT 1;
            IF coalesce(keep, 0) > 0 AND OLD.size <= cap THEN
                INSERT INTO sodarcache_item_version
                    (project_id, app_name, name, sodar_uuid, user_name, user_uuid, date_modified, replaced_at, size, data)
                VALUES (project, OLD.app_name, OLD.name, OLD.sodar_uuid, OLD.user_name, OLD.user_uuid, OLD.date_modified,
                    NEW.date_modified, OLD.size, OLD.data);
                DELETE FROM sodarcache_item_version
                WHERE project_id = project AND app_name = OLD.app_name AND name = OLD.name AND id NOT IN (
                    SELECT id FROM sodarcache_item_version
                    WHERE project_id = project AND app_name = OLD.app_name AND name = OLD.name ORDER BY id DESC LIMIT keep);
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER sodarcache_item_history AFTER UPDATE ON sodarcache_item
            FOR EACH ROW WHEN (OLD.data IS DISTINCT FROM NEW.data) EXECUTE FUNCTION sodarcache_item_history();
        """,
        // v8. The audit trail: one entry per change made through sodarcache, in the change's own
        // transaction (a failure, which has none, is recorded after it). Every host's changes
        // in one place.
        """
        CREATE TABLE sodarcache_audit_log (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            os_user text NOT NULL,
            host text NOT NULL,
            db_role text NOT NULL DEFAULT current_user,
            command text NOT NULL,
            action text NOT NULL,
            what text NOT NULL,
            outcome text NOT NULL
        );
        CREATE INDEX sodarcache_audit_log_at ON sodarcache_audit_log (at);
        """,
        // v9. The trash's cost on a delete (4.35x a bare delete of 100,000 items): its copy
        // paid a foreign-key check per row and a btree entry per row. Entries now drop their
        // items themselves (no cascade); a BRIN index on the entry id, which only grows as rows
        // are added, finds an entry's items; the trigger counts what it kept as it keeps it.
        """
        ALTER TABLE sodarcache_trash_item DROP CONSTRAINT sodarcache_trash_item_entry_id_fkey;
        DROP INDEX sodarcache_trash_item_entry;
        CREATE INDEX sodarcache_trash_item_entry ON sodarcache_trash_item USING brin (entry_id);
        CREATE OR REPLACE FUNCTION sodarcache_trash_keep() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            entry text := current_setting('sodarcache.trash_entry', true);
        BEGIN
            IF coalesce(entry, '') <> '' THEN
                WITH kept AS (
                    INSERT INTO sodarcache_trash_item
                        (entry_id, sodar_uuid, project_uuid, app_name, name, user_name, user_uuid, date_modified, size, data)
                    SELECT entry::bigint, o.sodar_uuid, p.sodar_uuid, o.app_name, o.name, o.user_name, o.user_uuid,
                        o.date_modified, o.size, o.data
                    FROM old_rows o LEFT JOIN sodarcache_project p ON p.id = o.project_id
                    RETURNING size
                )
                UPDATE sodarcache_trash_entry e SET items = e.items + k.n, bytes = e.bytes + k.b
                FROM (SELECT count(*) AS n, coalesce(sum(size), 0) AS b FROM kept) k
                WHERE e.id = entry::bigint AND k.n > 0;
            END IF;
            RETURN NULL;
        END $$;
        """,
        // v10. The trash marks rather than copies (a soft delete): a delete writes each row's id
        // to sodarcache_trash_mark, with what the totals need, and deletes nothing; the rows stay
        // where they are until the trash lets them go. Copying wrote every row again (2.1x a bare
        // delete of 100,000 items on a durable server). Reads go through sodarcache_item_live,
        // which hides marked rows; the totals leave marked rows out from the moment they are
        // marked. A marked row goes to the copy table (`sodarcache_trash_settle`) when a write
        // needs its name, a restore its entry or a delete its project; the purge deletes it.
        // Roles keep what they had: the views check the grants on the tables beneath them.
        """
        CREATE TABLE sodarcache_trash_mark (
            item_id bigint PRIMARY KEY,
            entry_id bigint NOT NULL,
            project_id bigint,
            size bigint NOT NULL,
            date_modified timestamptz NOT NULL
        );
        CREATE INDEX sodarcache_trash_mark_entry ON sodarcache_trash_mark USING brin (entry_id);
        -- A sentinel (no item has id 0; no entry is 0): the table never looks empty to the
        -- planner, which would otherwise plan a delete's anti-join against it as a nested loop
        -- over a table the delete is filling. Written before the triggers: no total counts it.
        INSERT INTO sodarcache_trash_mark VALUES (0, 0, NULL, 0, 'epoch');
        -- From PostgreSQL 15 the views check the privileges of the role that uses them on the
        -- tables beneath (security_invoker): a role reads, writes and deletes through them what
        -- it was granted on sodarcache_item and the trash tables, and nothing more, and the
        -- views themselves are open to all. Before 15 a view runs as its owner: each role gets
        -- on a view what it has on the table beneath. The marks hold row ids, project ids, sizes
        -- and times, no names or payloads: every reader reads them.
        DO $$
        DECLARE
            invoker boolean := current_setting('server_version_num')::integer >= 150000;
            options text := CASE WHEN current_setting('server_version_num')::integer >= 150000
                THEN ' WITH (security_invoker = true)' ELSE '' END;
            g record;
        BEGIN
            EXECUTE 'CREATE VIEW sodarcache_item_live' || options || ' AS
                SELECT i.*, i.xmin::text::bigint AS row_version FROM sodarcache_item i
                WHERE NOT EXISTS (SELECT 1 FROM sodarcache_trash_mark m WHERE m.item_id = i.id)';
            EXECUTE 'CREATE VIEW sodarcache_trash_row' || options || ' AS
                SELECT entry_id, sodar_uuid, project_uuid, app_name, name, user_name, user_uuid, date_modified, size, data
                FROM sodarcache_trash_item
                UNION ALL
                SELECT m.entry_id, i.sodar_uuid, p.sodar_uuid, i.app_name, i.name, i.user_name, i.user_uuid, i.date_modified,
                    i.size, i.data
                FROM sodarcache_trash_mark m JOIN sodarcache_item i ON i.id = m.item_id
                    LEFT JOIN sodarcache_project p ON p.id = i.project_id';
            IF invoker THEN
                GRANT SELECT, INSERT, UPDATE, DELETE ON sodarcache_item_live TO PUBLIC;
                GRANT SELECT ON sodarcache_trash_row TO PUBLIC;
            ELSE
                FOR g IN
                    SELECT c.relname::text AS relation, a.privilege_type AS privilege,
                        CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee
                    FROM pg_class c, aclexplode(c.relacl) a
                    WHERE c.oid IN ('sodarcache_item'::regclass, 'sodarcache_trash_item'::regclass) AND a.grantee <> c.relowner
                LOOP
                    IF g.relation = 'sodarcache_item' AND g.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE') THEN
                        EXECUTE format('GRANT %s ON sodarcache_item_live TO %s', g.privilege, g.grantee);
                    ELSIF g.relation = 'sodarcache_trash_item' AND g.privilege = 'SELECT' THEN
                        EXECUTE format('GRANT SELECT ON sodarcache_trash_row TO %s', g.grantee);
                    END IF;
                END LOOP;
            END IF;
        END $$;
        -- Marked rows leave the totals and join their entry's count; a project whose latest
        -- item went is read again through the live view.
        CREATE FUNCTION sodarcache_trash_marked() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            ps bigint[]; es bigint[]; ns bigint[]; bs bigint[]; ls timestamptz[];
        BEGIN
            -- One pass over the marked rows, by project and entry (a delete has one entry).
            SELECT array_agg(p), array_agg(e), array_agg(n), array_agg(b), array_agg(l) INTO ps, es, ns, bs, ls
            FROM (SELECT coalesce(project_id, 0) AS p, entry_id AS e, count(*) AS n, sum(size) AS b, max(date_modified) AS l
                  FROM marked GROUP BY 1, 2) k;
            IF ps IS NULL THEN RETURN NULL; END IF;
            UPDATE sodarcache_project_totals t SET items = t.items - u.n, bytes = t.bytes - u.b,
                -- Read again only when the latest went and items are left: the read walks back
                -- past every marked row (100,000 of them: 25-38 ms).
                latest = CASE WHEN t.items = u.n THEN NULL
                    WHEN t.latest IS NOT NULL AND u.l < t.latest THEN t.latest
                    WHEN t.project_id = 0 THEN (SELECT max(date_modified) FROM sodarcache_item_live WHERE project_id IS NULL)
                    ELSE (SELECT max(date_modified) FROM sodarcache_item_live WHERE project_id = t.project_id) END
            FROM (SELECT p, sum(n) AS n, sum(b) AS b, max(l) AS l FROM unnest(ps, ns, bs, ls) v(p, n, b, l) GROUP BY 1) u
            WHERE t.project_id = u.p;
            -- The project totals before the header's, in the order the item table's triggers
            -- take them (by name): two writers never wait for each other the other way round.
            UPDATE sodarcache_totals SET items = items - (SELECT sum(x) FROM unnest(ns) x),
                bytes = bytes - (SELECT sum(x) FROM unnest(bs) x),
                site_items = site_items - coalesce((SELECT sum(u.n) FROM unnest(ps, ns) u(p, n) WHERE u.p = 0), 0)
            WHERE id = 1;
            UPDATE sodarcache_trash_entry t SET items = t.items + u.n, bytes = t.bytes + u.b
            FROM (SELECT e, sum(n) AS n, sum(b) AS b FROM unnest(es, ns, bs) v(e, n, b) GROUP BY 1) u
            WHERE t.id = u.e;
            RETURN NULL;
        END $$;
        CREATE TRIGGER sodarcache_trash_marked AFTER INSERT ON sodarcache_trash_mark
            REFERENCING NEW TABLE AS marked FOR EACH STATEMENT EXECUTE FUNCTION sodarcache_trash_marked();
        -- A mark goes only with its row (settled or purged): the row's delete takes it out of
        -- the totals a second time, so the totals take it back once here.
        CREATE FUNCTION sodarcache_trash_unmarked() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE sodarcache_project_totals t SET items = t.items + k.n, bytes = t.bytes + k.b
            FROM (SELECT coalesce(project_id, 0) AS p, count(*) AS n, sum(size) AS b FROM unmarked GROUP BY 1) k
            WHERE t.project_id = k.p;
            UPDATE sodarcache_totals t SET items = t.items + k.n, bytes = t.bytes + k.b, site_items = t.site_items + k.s
            FROM (SELECT count(*) AS n, coalesce(sum(size), 0) AS b, count(*) FILTER (WHERE project_id IS NULL) AS s
                  FROM unmarked) k
            WHERE t.id = 1 AND k.n > 0;
            RETURN NULL;
        END $$;
        CREATE TRIGGER sodarcache_trash_unmarked AFTER DELETE ON sodarcache_trash_mark
            REFERENCING OLD TABLE AS unmarked FOR EACH STATEMENT EXECUTE FUNCTION sodarcache_trash_unmarked();
        -- Marked rows to the copy table, under their own entries, and gone from the item table.
        -- Runs as the store's owner: a role that may only write settles a trashed occupant of
        -- a name it writes, and nothing is lost by it (it moves marked rows, nothing else). Its
        -- search path (set below) names the store's schema and then pg_temp: a caller's
        -- temporary table cannot stand in for one of the store's.
        CREATE FUNCTION sodarcache_trash_settle(ids bigint[]) RETURNS bigint LANGUAGE plpgsql
        SECURITY DEFINER AS $$
        DECLARE
            entry text := coalesce(current_setting('sodarcache.trash_entry', true), '');
            moved bigint[];
        BEGIN
            -- The marks go first: two writers settling one row wait for each other here, and the
            -- second finds nothing left to copy.
            WITH gone AS (
                DELETE FROM sodarcache_trash_mark WHERE item_id = ANY(ids) AND item_id <> 0 RETURNING item_id, entry_id
            ), kept AS (
                INSERT INTO sodarcache_trash_item
                    (entry_id, sodar_uuid, project_uuid, app_name, name, user_name, user_uuid, date_modified, size, data)
                SELECT g.entry_id, i.sodar_uuid, p.sodar_uuid, i.app_name, i.name, i.user_name, i.user_uuid,
                    i.date_modified, i.size, i.data
                FROM gone g JOIN sodarcache_item i ON i.id = g.item_id LEFT JOIN sodarcache_project p ON p.id = i.project_id
            )
            SELECT coalesce(array_agg(item_id), '{}') INTO moved FROM gone;
            PERFORM set_config('sodarcache.trash_entry', '', true);
            DELETE FROM sodarcache_item WHERE id = ANY(moved);
            PERFORM set_config('sodarcache.trash_entry', entry, true);
            RETURN cardinality(moved);
        END $$;
        DO $$
        BEGIN
            EXECUTE format('ALTER FUNCTION sodarcache_trash_settle(bigint[]) SET search_path = %I, pg_temp', current_schema());
        END $$;
        -- The latest item of a project that lost rows, read through the live view.
        CREATE OR REPLACE FUNCTION sodarcache_project_totals_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
                    THEN (SELECT max(date_modified) FROM sodarcache_item_live WHERE project_id IS NULL)
                    ELSE (SELECT max(date_modified) FROM sodarcache_item_live WHERE project_id = t.project_id) END
                FROM (SELECT coalesce(project_id, 0) AS project_id, max(date_modified) AS latest
                      FROM old_rows GROUP BY 1) o
                WHERE t.project_id = o.project_id AND (t.latest IS NULL OR o.latest >= t.latest);
            END IF;
            RETURN NULL;
        END $$;
        GRANT SELECT ON sodarcache_trash_mark TO PUBLIC;
        -- A role that deletes keeps marking its deletes in the trash.
        DO $$
        DECLARE
            g record;
        BEGIN
            FOR g IN
                SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee
                FROM pg_class c, aclexplode(c.relacl) a
                WHERE c.oid = 'sodarcache_item'::regclass AND a.grantee <> c.relowner AND a.privilege_type = 'DELETE'
            LOOP
                EXECUTE format('GRANT INSERT, DELETE ON sodarcache_trash_mark TO %s', g.grantee);
            END LOOP;
        END $$;
        """,
    ]

    /// The version that made `sodarcache_item_live` and the trash's marks.
    static let liveViewVersion = 10

    /// An arbitrary constant: the advisory lock that serialises schema creation and upgrades.
    static let schemaLockKey = 7_411_035_229

    /// sodarcache's own tables and functions, by name: what `init` creates and `remove-store`
    /// drops (the triggers go with their tables).
    static let ownViews = ["sodarcache_trash_row", "sodarcache_item_live"]
    static let ownTables = ["sodarcache_trash_mark", "sodarcache_audit_log", "sodarcache_item_version", "sodarcache_history_setting", "sodarcache_trash_item", "sodarcache_trash_entry", "sodarcache_project_totals", "sodarcache_totals", "sodarcache_item", "sodarcache_project", "sodarcache_schema"]
    static let ownFunctions = [
        "sodarcache_totals_inserted", "sodarcache_totals_deleted", "sodarcache_totals_updated",
        "sodarcache_project_totals_changed", "sodarcache_trash_keep", "sodarcache_item_history",
        "sodarcache_trash_marked", "sodarcache_trash_unmarked", "sodarcache_trash_settle",
    ]

    /// `"name"`, for an identifier read from the catalog (never a value).
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A qualified name as messages show it: `public.sodarcache_jsoncacheitem`.
    static func shown(_ qualified: String) -> String {
        qualified.replacingOccurrences(of: "\"", with: "")
    }

    /// One table the catalog knows, with what this role may do with it.
    struct FoundTable {
        var schema: String
        var name: String
        var oid: String
        var schemaUsage: Bool
        var select: Bool
        var insert: Bool
        var update: Bool
        var delete: Bool

        var qualified: String { PostgresCacheStore.quoted(schema) + "." + PostgresCacheStore.quoted(name) }
        var shown: String { schema + "." + name }
    }

    /// Recognises the database by its tables, found in the catalog (`pg_class`, which every
    /// role reads, unlike `information_schema`, which hides what a role may not see) in whatever
    /// schema they sit. Reads only: it never creates or upgrades anything.
    static func recognise(
        _ connection: PGConnection, userTable: String, schema: String?, location: String, upgrading: Bool = false,
        changes: ChangePolicy = .standard
    ) throws -> (Layout, Tables, StoreCapabilities) {
        let userName = String(userTable.split(separator: ".").last ?? "")
        let userSchema = userTable.contains(".") ? String(userTable.split(separator: ".").first ?? "") : nil
        let found = try connection.query(
            """
            SELECT n.nspname::text, c.relname::text, c.oid::text,
                has_schema_privilege(n.oid, 'USAGE'), has_table_privilege(c.oid, 'SELECT'),
                has_table_privilege(c.oid, 'INSERT'), has_table_privilege(c.oid, 'UPDATE'),
                has_table_privilege(c.oid, 'DELETE')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p')
              AND c.relname IN ('sodarcache_jsoncacheitem', 'projectroles_project', 'djangoplugins_plugin', 'sodarcache_schema', $1)
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
              AND ($2::text IS NULL OR n.nspname = $2::text OR c.relname = $1)
            ORDER BY n.nspname, c.relname
            """, [.text(userName), PGValue(schema)])
        var tables: [FoundTable] = []
        for row in 0..<found.rowCount {
            tables.append(FoundTable(
                schema: found.string(row, 0) ?? "", name: found.string(row, 1) ?? "", oid: found.string(row, 2) ?? "0",
                schemaUsage: found.bool(row, 3) == true, select: found.bool(row, 4) == true, insert: found.bool(row, 5) == true,
                update: found.bool(row, 6) == true, delete: found.bool(row, 7) == true))
        }
        let sodarSchemas = Set(tables.filter { $0.name == "sodarcache_jsoncacheitem" || $0.name == "projectroles_project" }.map(\.schema))
        if sodarSchemas.count > 1 {
            throw CacheError.storeFailure(
                "\(location) holds SODAR's tables in several schemas (\(sodarSchemas.sorted().joined(separator: ", "))): "
                    + "name one with [postgres] schema in the config")
        }
        if let sodar = sodarSchemas.first {
            return try recogniseSODAR(
                connection, tables: tables, schema: sodar, userName: userName, userSchema: userSchema, location: location)
        }
        let stores = tables.filter { $0.name == "sodarcache_schema" }
        if stores.count > 1 {
            throw CacheError.storeFailure(
                "\(location) holds sodarcache stores in several schemas (\(stores.map(\.schema).joined(separator: ", "))): "
                    + "name one with [postgres] schema in the config")
        }
        if let store = stores.first {
            return try recogniseOwn(connection, table: store, location: location, upgrading: upgrading, changes: changes)
        }
        if let schema {
            throw CacheError.storeFailure(
                "\(location) has no SODAR tables and no sodarcache store in schema \(schema) (the config's [postgres] schema)")
        }
        if try isEmpty(connection) {
            throw CacheError.storeFailure("\(location) holds no tables: create a store there with `sodarcache init`, or check the database name")
        }
        throw neitherKind(location)
    }

    /// SODAR's tables in `schema`: every column this build reads and writes, the unique
    /// constraint its upserts target, and what the role may do.
    private static func recogniseSODAR(
        _ connection: PGConnection, tables: [FoundTable], schema: String, userName: String, userSchema: String?,
        location: String
    ) throws -> (Layout, Tables, StoreCapabilities) {
        func table(_ name: String, in wanted: String?) -> FoundTable? {
            let inSchema = tables.filter { $0.name == name && $0.schema == (wanted ?? schema) }
            if let first = inSchema.first { return first }
            // The user table may sit elsewhere (on the search path) when not named with a schema.
            return wanted == nil ? tables.first { $0.name == name } : nil
        }
        guard let items = table("sodarcache_jsoncacheitem", in: schema) else {
            throw CacheError.storeFailure("\(location) looks like a SODAR site's database but has no table \(schema).sodarcache_jsoncacheitem")
        }
        guard let projects = table("projectroles_project", in: schema) else {
            throw CacheError.storeFailure("\(location) looks like a SODAR site's database but has no table \(schema).projectroles_project")
        }
        guard let users = table(userName, in: userSchema ?? schema) ?? (userSchema == nil ? table(userName, in: nil) : nil) else {
            throw CacheError.storeFailure(
                "\(location) looks like a SODAR site's database but has no table \(userSchema ?? schema).\(userName) "
                    + "(set the site's user table with [postgres] user_table in the config)")
        }
        let registry = table("djangoplugins_plugin", in: schema)
        // Privileges first: without USAGE on the schema the columns below are still listed
        // (pg_attribute), but every statement would fail.
        let role = try connection.query("SELECT current_user::text").string(0, 0) ?? "?"
        var ungranted: [String] = []
        for schemaName in Set([items, projects, users].map(\.schema)).sorted() where ![items, projects, users].first(where: { $0.schema == schemaName })!.schemaUsage {
            ungranted.append("GRANT USAGE ON SCHEMA \(quoted(schemaName)) TO \(quoted(role))")
        }
        let unreadable = [items, projects, users].filter { !$0.select }
        if !unreadable.isEmpty {
            ungranted.append("GRANT SELECT ON \(unreadable.map(\.shown).joined(separator: ", ")) TO \(quoted(role))")
        }
        if !ungranted.isEmpty {
            throw CacheError.storeUnreadable(
                location: location,
                reason: "role \(role) may not read SODAR's tables (\(([items, projects, users].filter { !$0.select || !$0.schemaUsage }).map(\.shown).joined(separator: ", "))); "
                    + ungranted.joined(separator: "; "))
        }
        let columns = try connection.query(
            """
            SELECT c.relname::text, a.attname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
            """, [.text("{\(items.oid),\(projects.oid),\(users.oid)}")])
        var present: [String: Set<String>] = [:]
        for row in 0..<columns.rowCount {
            present[columns.string(row, 0) ?? "", default: []].insert(columns.string(row, 1) ?? "")
        }
        for (name, needed) in sodarColumns + [(userName, userColumns)] {
            let have = present[name] ?? []
            let missing = needed.filter { !have.contains($0) }
            if !missing.isEmpty {
                throw CacheError.storeFailure(
                    "\(location): SODAR's table \(name) has no column \(missing.joined(separator: ", ")); "
                        + "this sodarcache knows SODAR Core 1.x tables and changes nothing in others")
            }
        }
        // The upserts target the column list (project_id, app_name, name): its unique index must exist.
        let unique = try connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = $1::oid AND x.indisunique
                AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text) FROM pg_attribute a
                     WHERE a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)) = ARRAY['app_name', 'name', 'project_id'])
            """, [.text(items.oid)])
        if unique.bool(0, 0) != true {
            throw CacheError.storeFailure(
                "\(location): SODAR's table sodarcache_jsoncacheitem has no unique constraint on (project_id, app_name, name); "
                    + "this sodarcache knows SODAR Core 1.x tables and changes nothing in others")
        }
        let capabilities = StoreCapabilities(
            role: role,
            canDelete: items.delete,
            canWrite: items.insert && items.update,
            whyNotDelete: items.delete ? nil : "role \(role) has no DELETE on \(items.shown)",
            whyNotWrite: items.insert && items.update
                ? nil : "role \(role) has no \([items.insert ? nil : "INSERT", items.update ? nil : "UPDATE"].compactMap { $0 }.joined(separator: " or ")) on \(items.shown)")
        return (.sodar, Tables(
            items: items.qualified, projects: projects.qualified, users: users.qualified,
            registry: registry.flatMap { $0.select && $0.schemaUsage ? $0.qualified : nil }), capabilities)
    }

    /// sodarcache's own schema: its version, and what the role may do (`ownGrants`).
    private static func recogniseOwn(
        _ connection: PGConnection, table: FoundTable, location: String, upgrading: Bool, changes: ChangePolicy
    ) throws -> (Layout, Tables, StoreCapabilities) {
        let role = try connection.query("SELECT current_user::text").string(0, 0) ?? "?"
        if !table.select || !table.schemaUsage {
            throw CacheError.storeUnreadable(
                location: location,
                reason: "role \(role) may not read the store's tables; "
                    + (table.schemaUsage ? "" : "GRANT USAGE ON SCHEMA \(quoted(table.schema)) TO \(quoted(role)); ")
                    + "GRANT SELECT ON ALL TABLES IN SCHEMA \(quoted(table.schema)) TO \(quoted(role))")
        }
        let version = try connection.query("SELECT max(version) FROM \(table.qualified)").int(0, 0) ?? 0
        if version > migrations.count { throw CacheError.storeTooNew(location: location, version: "v\(version)") }
        if version < migrations.count && !upgrading {
            throw CacheError.storeFailure(
                "\(location) is a sodarcache store of schema v\(version) and this sodarcache reads v\(migrations.count): "
                    + "run `sodarcache migrate` (hosts that still run the older sodarcache then cannot open it); nothing was changed")
        }
        let qualified = { (name: String) in quoted(table.schema) + "." + quoted(name) }
        let capabilities = try ownGrants(connection, schema: table.schema, role: role, changes: changes)
        // Reads and deletes go through the live view, which hides the trash's marked rows
        // (`migrate` opens a store from before it).
        let live = version >= liveViewVersion
        return (.sodarcache, Tables(
            items: qualified(live ? "sodarcache_item_live" : "sodarcache_item"),
            projects: qualified("sodarcache_project"), users: nil,
            schemaTable: table.qualified, ownSchema: table.schema, itemTable: live ? qualified("sodarcache_item") : nil,
            versionColumn: live ? "i.row_version" : "i.xmin::text::bigint"), capabilities)
    }

    static func neitherKind(_ location: String) -> CacheError {
        .storeFailure(
            "\(location) is neither a SODAR site's database (no sodarcache_jsoncacheitem or projectroles_project table in any schema) "
                + "nor a sodarcache store (no sodarcache_schema table); check the database name")
    }

    /// Whether the database holds no tables, views or sequences at all, in any schema (the
    /// catalog shows them whatever the role may read).
    static func isEmpty(_ connection: PGConnection) throws -> Bool {
        try connection.query(
            """
            SELECT NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%')
            """).bool(0, 0) == true
    }

    // MARK: - Administration: init, migrate, remove-store

    /// Creates sodarcache's schema in the database's current schema, which must hold no tables
    /// at all (asked of the catalog). Returns the version created.
    static func createStore(_ connection: PGConnection, location: String) throws -> Int {
        try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [PGValue(schemaLockKey)])
            guard try isEmpty(connection) else {
                throw CacheError.storeFailure(
                    "\(location) is not empty: `sodarcache init` creates a store only in a database that holds no tables at all")
            }
            try connection.execute("CREATE TABLE sodarcache_schema (version integer NOT NULL)")
            for index in 0..<migrations.count {
                try connection.execute(migrations[index])
                try connection.query("INSERT INTO sodarcache_schema (version) VALUES ($1::integer)", [PGValue(index + 1)])
            }
        }
        return migrations.count
    }

    /// Brings sodarcache's schema to the current version; several processes may race here.
    /// Returns the versions before and after.
    static func upgrade(_ connection: PGConnection, schemaTable: String, location: String) throws -> (from: Int, to: Int) {
        let current = migrations.count
        return try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [PGValue(schemaLockKey)])
            let start = try connection.query("SELECT coalesce(max(version), 0) FROM \(schemaTable)").int(0, 0) ?? 0
            if start > current { throw CacheError.storeTooNew(location: location, version: "v\(start)") }
            for index in start..<max(start, current) {
                try connection.execute(migrations[index])
                try connection.query("INSERT INTO sodarcache_schema (version) VALUES ($1::integer)", [PGValue(index + 1)])
            }
            return (start, max(start, current))
        }
    }

    /// sodarcache's objects in the database, as `kind name` lines (tables with their triggers,
    /// functions), found by name in the catalog's non-system schemas.
    static func ownObjects(_ connection: PGConnection) throws -> [(kind: String, schema: String, name: String)] {
        let result = try connection.query(
            """
            SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END, n.nspname::text, c.relname::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v') AND c.relname = ANY($1::text[])
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            UNION ALL
            SELECT 'trigger', n.nspname::text, t.tgname::text || ' on ' || c.relname::text
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND t.tgname LIKE 'sodarcache\\_%' AND c.relname = ANY($1::text[])
            UNION ALL
            SELECT 'function', n.nspname::text, p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proname = ANY($2::text[]) AND p.pronargs = CASE WHEN p.proname = 'sodarcache_trash_settle' THEN 1 ELSE 0 END
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            ORDER BY 1 DESC, 2, 3
            """, [.text("{" + (ownViews + ownTables).joined(separator: ",") + "}"), .text("{" + ownFunctions.joined(separator: ",") + "}")])
        return (0..<result.rowCount).map { (result.string($0, 0) ?? "", result.string($0, 1) ?? "", result.string($0, 2) ?? "") }
    }

    /// Drops sodarcache's objects (`ownObjects`) in one transaction, never with CASCADE: an
    /// object of someone else's that depends on one of ours makes the whole drop fail.
    static func dropOwnObjects(_ connection: PGConnection, _ objects: [(kind: String, schema: String, name: String)]) throws {
        try connection.transaction {
            try connection.query("SELECT pg_advisory_xact_lock($1::bigint)", [PGValue(schemaLockKey)])
            // Views, then tables (their triggers go with them), in the order that frees references.
            for view in ownViews {
                for object in objects where object.kind == "view" && object.name == view {
                    try connection.execute("DROP VIEW \(quoted(object.schema)).\(quoted(object.name))")
                }
            }
            for table in ownTables {
                for object in objects where object.kind == "table" && object.name == table {
                    try connection.execute("DROP TABLE \(quoted(object.schema)).\(quoted(object.name))")
                }
            }
            for object in objects where object.kind == "function" {
                // By its exact signature: another function of that name (someone else's, with other
                // arguments) stays, and the drop never has to guess between them.
                let signatures = try connection.query(
                    """
                    SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = $1 AND p.proname = $2 AND p.pronargs = CASE WHEN $2 = 'sodarcache_trash_settle' THEN 1 ELSE 0 END
                    """, [.text(object.schema), .text(object.name)])
                for row in 0..<signatures.rowCount {
                    guard let signature = signatures.string(row, 0) else { continue }
                    try connection.execute("DROP FUNCTION \(signature)")
                }
            }
        }
    }
}
