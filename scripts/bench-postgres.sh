#!/bin/sh
# PostgreSQL benchmarks on a private throwaway cluster (scripts/pg-cluster.sh): the store against
# a raw libpq loop and every browsing query's first page, in both layouts (sodarcache's schema
# and SODAR Core 1.4.5's tables), 1M items over 10k projects; then the real browser's launch to
# its first full frame (RUNS times under a pty, 120x40) and its resident memory (tmux, after
# browsing) on each database. The cluster is stopped and removed at exit.
# Usage: scripts/bench-postgres.sh [RUNS] [-- extra sodarcache-bench postgres options]
#   SCRATCH=DIR  build directory (default .build)
set -eu
cd "$(dirname "$0")/.."
RUNS="${1:-10}"
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
SCRATCH="${SCRATCH:-$PWD/.build}"
swift build -c release --product sodarcache-bench --scratch-path "$SCRATCH" >/dev/null
swift build -c release --product sodarcache --scratch-path "$SCRATCH" >/dev/null
BENCH=$SCRATCH/release/sodarcache-bench
SC=$SCRATCH/release/sodarcache
WORK=$(mktemp -d)
chmod 0755 "$WORK"  # the cluster runs as postgres when root
CLUSTER="$WORK/pg"
SESSION="sodarcache-pgbench-$$"
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; scripts/pg-cluster.sh stop "$CLUSTER"; rm -rf "$WORK"' EXIT
URI=$(scripts/pg-cluster.sh start "$CLUSTER")
echo "cluster: $URI (scripts/pg-cluster.sh: unix socket, fsync=off, synchronous_commit=off, shared_buffers 128MB)"
: > "$WORK/config.toml"
export LANG=C.UTF-8 TERM=xterm-256color SODARCACHE_CONFIG="$WORK/config.toml"

echo "== sodarcache-bench postgres --uri $URI $*"
"$BENCH" postgres --uri "$URI" "$@"

stats() { sort -n | awk -v label="$1" '{ v[NR] = $1 } END {
    printf "%-42s min %.1f  median %.1f  max %.1f ms (%d runs)\n", label, v[1], v[int((NR + 1) / 2)], v[NR], NR }'; }
for DB in sodarcache_bench_store sodarcache_bench_sodar; do
    DBURI=$(echo "$URI" | sed "s|:///postgres?|:///$DB?|")
    export SODARCACHE_DB="$DBURI"
    echo "== real binary on $DB: launch -> first full frame, $RUNS runs under a pty (120x40)"
    : > "$WORK/frames"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        script -qfc "stty rows 40 cols 120; exec $SC browse --benchmark-first-frame 2>$WORK/run" /dev/null >/dev/null
        grep 'first full frame' "$WORK/run" | sed 's/.*frame: \([0-9.]*\) ms after run(), \([0-9.]*\) ms after process.*/\2 \1/' >> "$WORK/frames"
        [ "$i" -eq 0 ] && cat "$WORK/run"
        i=$((i + 1))
    done
    cut -d' ' -f1 "$WORK/frames" | stats "since process start (/proc, 10 ms ticks):"
    cut -d' ' -f2 "$WORK/frames" | stats "since run() began:"

    echo "== real binary on $DB: resident memory (tmux 120x40, after browsing)"
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    # The tmux server may be older than this script: its sessions do not inherit our environment.
    tmux new-session -d -s "$SESSION" -x 120 -y 40 \
        "exec env LANG=C.UTF-8 TERM=xterm-256color SODARCACHE_CONFIG='$WORK/config.toml' $SC browse --db '$DBURI'"
    PID=$(tmux list-panes -t "$SESSION" -F '#{pane_pid}')
    sleep 2
    for keys in "j j j j j j j j j j" "NPage NPage NPage" "Enter" "j j" "Enter" "j j j j j" "End" "Home" "Escape Escape" "Home j" "Space" "o" "o o" "z" "Z"; do
        # shellcheck disable=SC2086
        tmux send-keys -t "$SESSION" $keys
        sleep 0.3
    done
    echo "process $PID ($(cat /proc/"$PID"/comm)):"
    grep -E 'VmRSS|VmHWM|RssAnon|RssFile' /proc/"$PID"/status || echo "the browser is gone"
    tmux send-keys -t "$SESSION" q
    sleep 0.5
    tmux kill-session -t "$SESSION" 2>/dev/null || true
done
