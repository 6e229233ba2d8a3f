#!/bin/sh
# SODAR Core's own cache API beside sodarcache's PostgreSQL store, in one run on a private
# throwaway cluster (scripts/pg-cluster.sh): single sets and gets of random existing items, round
# by round, through `set_cache_item`/`get_cache_item`, the store on the same database, the store on
# its own schema, and a raw libpq loop on each (`sodarcache-bench postgres-peer`).
#
# SODAR Core is installed at bench time into a venv in a temp dir (`pip install
# django-sodar-core==$SODAR_CORE_VERSION 'psycopg[binary]'`; needs python3 with venv and PyPI),
# with a minimal Django site written by scripts/sodar_peer.py; its migrations make the database.
# Nothing is kept: the venv, the site and the cluster are removed at exit.
#
# Usage: scripts/bench-sodar-peer.sh [extra sodarcache-bench postgres-peer options]
#   SCRATCH=DIR              build directory (default .build)
#   SODAR_CORE_VERSION=V     default 1.4.5 (the DDL the contract tests use)
#   VENV=DIR                 use this venv (SODAR Core and psycopg installed) instead of a new one
#   URI=postgresql://...     use this server (its superuser) instead of a new cluster
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
SCRATCH="${SCRATCH:-$PWD/.build}"
SODAR_CORE_VERSION="${SODAR_CORE_VERSION:-1.4.5}"
swift build -c release --product sodarcache-bench --scratch-path "$SCRATCH" >/dev/null
BENCH=$SCRATCH/release/sodarcache-bench
# The cluster's directory is a direct child of /tmp (a unix socket path must stay short).
WORK=$(mktemp -d /tmp/sodarpeer.XXXXXX)
chmod 0755 "$WORK"  # the cluster runs as postgres when root
CLUSTER=""
cleanup() {
    [ -n "$CLUSTER" ] && scripts/pg-cluster.sh stop "$CLUSTER"
    rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${URI:-}" ]; then
    CLUSTER="$WORK/pg"
    URI=$(scripts/pg-cluster.sh start "$CLUSTER")
    echo "cluster: $URI (scripts/pg-cluster.sh: unix socket, fsync=off, synchronous_commit=off, shared_buffers 128MB)"
fi

if [ -z "${VENV:-}" ]; then
    VENV="$WORK/venv"
    python3 -m venv "$VENV" || {
        echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
    "$VENV/bin/pip" install -q --disable-pip-version-check "django-sodar-core==$SODAR_CORE_VERSION" 'psycopg[binary]'
fi
PY="$VENV/bin/python"
"$PY" scripts/sodar_peer.py site "$WORK/site"

DB=sodarcache_peer_sodar
DBURI=$(echo "$URI" | sed "s|:///postgres?|:///$DB?|")
psql -X -q "$URI" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export PYTHONPATH="$WORK/site" DJANGO_SETTINGS_MODULE=benchsite.settings SODAR_PEER_URI="$DBURI"
echo "== Django migrations of SODAR Core into $DB"
(cd "$WORK/site" && "$PY" "$ROOT/scripts/sodar_peer.py" setup)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== sodarcache-bench postgres-peer --uri $URI --sodar-db $DB $*"
"$BENCH" postgres-peer --uri "$URI" --sodar-db "$DB" --peer "cd '$WORK/site' && exec '$PY' '$ROOT/scripts/sodar_peer.py' serve" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
