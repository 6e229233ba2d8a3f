#!/usr/bin/env bash
# Fills an empty PostgreSQL database with SODAR Core 1.4.5's cache, project and user tables
# and the demo's projects, users and items, written as SODAR writes them (jsonb, users by id):
# a SODAR site's database to try sodarcache on without a SODAR server.
#
#   scripts/sodar-demo.sh URI [CONFIG]   e.g. postgresql:///sodar_demo?host=/tmp/sc-pg&user=postgres
#
# CONFIG, when given, receives the demo's config (its apps), to pass as --config.
#
# Needs psql and python3; builds the demo with the sodarcache binary (SODARCACHE_BIN, else
# .build/debug/sodarcache).
set -euo pipefail
uri=${1:?usage: scripts/sodar-demo.sh URI [CONFIG]}
config_out=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SODARCACHE_BIN:-$root/.build/debug/sodarcache}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" demo --db "$work/demo.sqlite3" --no-browse >/dev/null
config="$work/demo.sqlite3.demo/config.toml"
"$bin" project list --json --db "$work/demo.sqlite3" --config "$config" >"$work/projects.json"
"$bin" ls --json --db "$work/demo.sqlite3" --config "$config" >"$work/items.json"

python3 - "$bin" "$work" "$config" >"$work/load.sql" <<'PY'
import json, subprocess, sys
bin, work, config = sys.argv[1:4]
def q(text):
    return "NULL" if text is None else "'" + str(text).replace("'", "''") + "'"
projects = json.load(open(f"{work}/projects.json"))
items = json.load(open(f"{work}/items.json"))
ids = {p["sodar_uuid"]: i + 1 for i, p in enumerate(projects)}
print("BEGIN;")
for p in projects:
    parent = p.get("parent")
    print("INSERT INTO projectroles_project (id, title, type, description, sodar_uuid, parent_id, full_title,"
          " has_public_children, archive) VALUES (%d, %s, %s, %s, %s, %s, %s, false, false);" % (
          ids[p["sodar_uuid"]], q(p["title"]), q(p["type"]), q(p.get("description") or ""), q(p["sodar_uuid"]),
          str(ids[parent]) if parent else "NULL", q(p["full_title"])))
users = sorted({i["user"] for i in items if i["user"]})
for n, user in enumerate(users, 1):
    print("INSERT INTO users_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,"
          " is_active, date_joined, name, sodar_uuid) VALUES (%d, '', false, %s, '', '', '', false, true, now(), %s,"
          " gen_random_uuid());" % (n, q(user), q(user)))
for i in items:
    args = [bin, "get", i["app_name"], i["name"], "--compact", "--db", f"{work}/demo.sqlite3", "--config", config]
    if i["project"]:
        args += ["-p", i["project"]]
    data = subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()
    user = "(SELECT id FROM users_user WHERE username = %s)" % q(i["user"]) if i["user"] else "NULL"
    print("INSERT INTO sodarcache_jsoncacheitem (app_name, name, date_modified, sodar_uuid, data, project_id, user_id)"
          " VALUES (%s, %s, %s, gen_random_uuid(), %s::jsonb, %s, %s);" % (
          q(i["app_name"]), q(i["name"]), q(i["date_modified"]), q(data),
          str(ids[i["project"]]) if i["project"] else "NULL", user))
print("SELECT setval(pg_get_serial_sequence('projectroles_project', 'id'), (SELECT max(id) FROM projectroles_project));")
print("COMMIT;")
PY
psql "$uri" -X -q -v ON_ERROR_STOP=1 -f "$root/Tests/StoreContractTests/Support/sodar-core-1.4.5.sql"
psql "$uri" -X -q -v ON_ERROR_STOP=1 -f "$work/load.sql" >/dev/null
echo "SODAR demo database: $uri ($(python3 -c "import json;print(len(json.load(open('$work/items.json'))))" ) items)"
if [ -n "$config_out" ]; then cp "$config" "$config_out"; echo "config: $config_out"; fi
