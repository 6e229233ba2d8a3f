#!/usr/bin/env bash
# What each way of keeping a delete would cost on sodarcache's own PostgreSQL schema, measured
# in SQL on a private cluster with PostgreSQL's own durability settings (fsync, full-page
# writes and synchronous commit on, as a production server runs).
#
#   scripts/bench-trash-designs.sh [ITEMS] [ROUNDS]      (defaults 100000 and 3)
#
# Needs a built sodarcache (`swift build`): its `init` creates the schema the designs run on.
# Each round fills ITEMS site-wide items of one app (~250-byte payloads), checkpoints, then
# deletes them one way, the designs taking turns:
#   off    DELETE with the trash off (sodarcache.trash_entry unset: the copy trigger does nothing)
#   copy   DELETE with the trash on: schema v9's statement trigger copies the rows (what ships)
#   update a soft delete that marks each row in place (UPDATE of a new, unindexed column)
#   mark   a soft delete that marks rows in a side table (INSERT of the ids), deleting nothing
# Prints each design's median and its ratio to `off`; then one page of 100 items (keyset, as
# the browser reads) with and without the side table's anti-join, by pgbench.
set -euo pipefail
items=${1:-100000}; rounds=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/.build/debug/sodarcache"
[ -x "$bin" ] || { echo "bench-trash-designs: build first (swift build)" >&2; exit 69; }
dir=$(mktemp -d /tmp/sodarcache-trash-designs.XXXXXX)
chmod 0755 "$dir"
trap '"$here/scripts/pg-cluster.sh" stop "$dir" >/dev/null 2>&1 || true' EXIT
PG_DURABLE=1 "$here/scripts/pg-cluster.sh" start "$dir" >/dev/null
export PGHOST=$dir PGUSER=postgres PGDATABASE=postgres
"$bin" --db "postgresql:///postgres?host=$dir&user=postgres" init >/dev/null
psql -qX -v ON_ERROR_STOP=1 <<'EOF'
ALTER TABLE sodarcache_item ADD COLUMN trashed bigint;
CREATE TABLE trash_mark (item_id bigint PRIMARY KEY, entry_id bigint NOT NULL);
EOF
fill() {
    psql -qX -v ON_ERROR_STOP=1 <<EOF >/dev/null
TRUNCATE sodarcache_item, trash_mark, sodarcache_trash_item;
VACUUM sodarcache_item;
INSERT INTO sodarcache_item (sodar_uuid, project_id, app_name, name, user_name, date_modified, size, data)
SELECT gen_random_uuid(), NULL, 'samplesheets', 'item-' || lpad(g::text, 7, '0'), 'admin', now(), 250,
    '{"study":"s' || g || '","assays":[{"name":"a' || g || '","rows":' || (g % 97) || ',"irods":"/sodarZone/projects/'
    || md5(g::text) || '/sample_data/study_' || md5((g + 1)::text) || '"}],"samples":["S1","S2","S3"]}'
FROM generate_series(1, $items) g;
CHECKPOINT;
EOF
}
# The transaction's time in ms, as psql's \timing gives it for each statement.
timed() {
    psql -qAtX -v ON_ERROR_STOP=1 <<EOF | awk '/^Time:/ { s += $2 } END { printf "%.0f", s }'
\\timing on
BEGIN;
$1
COMMIT;
EOF
}
where="app_name = 'samplesheets' AND project_id IS NULL"
declare -A sql=(
    [off]="DELETE FROM sodarcache_item WHERE $where;"
    [update]="UPDATE sodarcache_item SET trashed = 1 WHERE $where AND trashed IS NULL;"
    [mark]="INSERT INTO trash_mark SELECT i.id, 1 FROM sodarcache_item i WHERE $where AND NOT EXISTS (SELECT 1 FROM trash_mark m WHERE m.item_id = i.id);"
)
# The entry goes in first and is named for the transaction, as the engine does it.
sql[copy]="INSERT INTO sodarcache_trash_entry (deleted_at, os_user, host, command) VALUES (now(), 'u', 'h', 'c') RETURNING id \\gset
SELECT set_config('sodarcache.trash_entry', :'id', true) \\g /dev/null
DELETE FROM sodarcache_item WHERE $where;"
designs=(off copy update mark)
declare -A runs
for ((r = 0; r < rounds; r++)); do
    for ((k = 0; k < ${#designs[@]}; k++)); do
        d=${designs[(k + r) % ${#designs[@]}]}
        fill
        runs[$d]="${runs[$d]:-} $(timed "${sql[$d]}")"
    done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
off=$(echo "${runs[off]}" | median)
printf '%-7s %8s %7s   %s\n' design median ratio rounds
for d in "${designs[@]}"; do
    m=$(echo "${runs[$d]}" | median)
    printf '%-7s %6s ms %6.2fx  %s\n' "$d" "$m" "$(echo "$m / $off" | bc -l)" "${runs[$d]# }"
done
# Reads: a page of 100 with and without the anti-join, the side table holding $items marks of
# another app's rows (what a soft delete leaves until its purge).
fill
psql -qX -v ON_ERROR_STOP=1 <<EOF >/dev/null
INSERT INTO sodarcache_item (sodar_uuid, project_id, app_name, name, date_modified, size, data)
SELECT gen_random_uuid(), NULL, 'other', 'o-' || lpad(g::text, 7, '0'), now(), 10, '{}' FROM generate_series(1, $items) g;
INSERT INTO trash_mark SELECT id, 1 FROM sodarcache_item WHERE $where;
ANALYZE;
EOF
page="SELECT id, name, size FROM sodarcache_item i WHERE project_id IS NULL AND app_name = 'other' AND name > 'o-0000500'"
echo "$page ORDER BY name LIMIT 100;" >"$dir/plain.sql"
echo "$page AND NOT EXISTS (SELECT 1 FROM trash_mark m WHERE m.item_id = i.id) ORDER BY name LIMIT 100;" >"$dir/anti.sql"
for q in plain anti; do
    printf 'page of 100, %-5s %s\n' "$q:" "$(pgbench -n -f "$dir/$q.sql" -T 5 2>/dev/null | grep 'latency average')"
done
