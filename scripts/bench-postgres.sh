#!/bin/sh
# PostgreSQL benchmarks on a private throwaway cluster (scripts/pg-cluster.sh): the store against
# a raw libpq loop and every browsing query's first page, in both layouts (sodarcache's schema
# and SODAR Core 1.4.5's tables), 1M items over 10k projects; then the real browser's launch to
# its first full frame (RUNS times under a pty, 120x40) and its resident memory (tmux, after
# browsing) on each database. Single upserts and gets are measured again through PgBouncer in
# transaction mode: the store's pooled route against a raw loop of the same pipelines. The cluster is stopped and removed at exit.
# Usage: scripts/bench-postgres.sh [RUNS] [-- extra sodarcache-bench postgres options]
#   SCRATCH=DIR  build directory (default .build)
set -eu
cd "$(dirname "$0")/.."
RUNS="${1:-10}"
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
. scripts/lib/release-builds.sh
WORK=$(mktemp -d)
chmod 0755 "$WORK"  # the cluster runs as postgres when root
CLUSTER="$WORK/pg"
trap 'tmux -S "$WORK/tmux.sock" kill-server 2>/dev/null || true; scripts/pg-cluster.sh stop "$CLUSTER"; rm -rf "$WORK"' EXIT
. scripts/lib/browser-launch.sh
URI=$(scripts/pg-cluster.sh start "$CLUSTER")
echo "cluster: $URI (scripts/pg-cluster.sh: unix socket, fsync=off, synchronous_commit=off, shared_buffers 128MB)"
: > "$WORK/config.toml"
export LANG=C.UTF-8 TERM=xterm-256color SODARCACHE_CONFIG="$WORK/config.toml"

BOUNCER=$(scripts/pg-cluster.sh pgbouncer "$CLUSTER")
echo "pgbouncer: $BOUNCER (transaction mode, Debian's pgbouncer $(pgbouncer --version | head -n 1 | cut -d' ' -f2))"
echo "== sodarcache-bench postgres --uri $URI --pooled-uri $BOUNCER $*"
"$BENCH" postgres --uri "$URI" --pooled-uri "$BOUNCER" "$@"

for DB in sodarcache_bench_store sodarcache_bench_sodar; do
    export SODARCACHE_DB
    SODARCACHE_DB=$(echo "$URI" | sed "s|:///postgres?|:///$DB?|")
    echo "== real binary on $DB: launch -> first full frame, $RUNS runs under a pty (120x40)"
    launch_frames "$RUNS"
    echo "== real binary on $DB: resident memory (tmux 120x40, after browsing)"
    browse_rss
done
