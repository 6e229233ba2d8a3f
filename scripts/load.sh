#!/usr/bin/env bash
# Load on one store: W writer processes (each N `sodarcache set`s), a synccache running over
# and over, R readers (`ls`, `get`) and a browser in tmux, all at once. Then it counts.
#
#   scripts/load.sh [WRITERS] [SETS] [READERS] [STORE]     defaults: 16 200 4, a fresh SQLite file
#
# STORE: a SQLite path, or a postgresql:// URI (integrity is
# then checked by reading every item back instead of PRAGMA integrity_check).
# Prints: attempted, failed and lost writes (a set that exited 0 whose item is not there with
# its data), "locked"/"busy" errors, reader and sync runs and failures, integrity, wall time.
# Uses $SODARCACHE_BIN, else the debug build (built when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
W="${1:-16}"
N="${2:-200}"
R="${3:-4}"
work=$(mktemp -d "${TMPDIR:-/tmp}/sodarcache-load.XXXXXX")
STORE="${4:-$work/cache.sqlite3}"
if [ -z "${SODARCACHE_BIN:-}" ]; then
    [ -x .build/debug/sodarcache ] || swift build --product sodarcache >&2
    SODARCACHE_BIN="$PWD/.build/debug/sodarcache"
fi
SC="$SODARCACHE_BIN"
session="sc-load-$$"
socket="$work/tmux"
cleanup() {
    tmux -S "$socket" kill-server 2>/dev/null || true
    [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/config.toml" <<EOF
[apps.load]
title = "Load"

[apps.tick]
title = "Tick"
command = ["/bin/sh", "-c", "printf '{\"tick\": \"%s\"}' \"\$(date +%s%N)\""]
item = "status"
EOF
export SODARCACHE_DB="$STORE" SODARCACHE_CONFIG="$work/config.toml" LANG=C.UTF-8
# A PostgreSQL database is made a store only by init (an empty one; a store already there is kept).
case "$STORE" in postgres://* | postgresql://*) "$SC" init >/dev/null 2>&1 || true ;; esac
for p in 1 2 3 4; do "$SC" project add "Load project $p" >"$work/project$p"; done
project=$(cat "$work/project1")

# The browser, on the items of project 1's app `load` once they exist.
tmux -S "$socket" new-session -d -s "$session" -x 100 -y 30 "exec '$SC' --db '$STORE' --config '$work/config.toml'"

start=$(date +%s.%N)
writer() {
    local w=$1 fails=0 locked=0
    for i in $(seq 1 "$N"); do
        if ! "$SC" set load "w$w/item$i" -p "$project" --data "{\"w\": $w, \"i\": $i}" 2>>"$work/w$w.err"; then
            fails=$((fails + 1))
            echo "w$w/item$i" >>"$work/w$w.failed"
        fi
    done
    echo "$fails" >"$work/w$w.fails"
}
for w in $(seq 1 "$W"); do writer "$w" & done
writers_done="$work/writers.done"

# synccache over and over, and the readers, until the writers are done.
(
    runs=0 failed=0
    while [ ! -e "$writers_done" ]; do
        runs=$((runs + 1))
        "$SC" synccache -a tick >/dev/null 2>>"$work/sync.err" || failed=$((failed + 1))
    done
    echo "$runs $failed" >"$work/sync.result"
) &
sync_pid=$!
for r in $(seq 1 "$R"); do
    (
        runs=0 failed=0
        while [ ! -e "$writers_done" ]; do
            runs=$((runs + 1))
            if [ $((runs % 2)) -eq 0 ]; then
                "$SC" ls -p "$project" -a load >/dev/null 2>>"$work/r$r.err" || failed=$((failed + 1))
            else
                "$SC" get load "w$(( (runs % W) + 1 ))/item1" -p "$project" >/dev/null 2>>"$work/r$r.err.get" || true
            fi
        done
        echo "$runs $failed" >"$work/r$r.result"
    ) &
done
# Wait for the writers only (their pids are the first W background jobs).
for pid in $(jobs -p | head -n "$W"); do wait "$pid"; done
end=$(date +%s.%N)
touch "$writers_done"
wait

# The browser must still be alive and showing the store.
tmux -S "$socket" send-keys -t "$session" r
sleep 1
screen=$(tmux -S "$socket" capture-pane -t "$session" -p || true)
browser_alive=$([ "$(tmux -S "$socket" list-panes -t "$session" -F '#{pane_dead}' 2>/dev/null || echo 1)" = "0" ] && echo yes || echo no)
browser_shows=$(echo "$screen" | grep -q "Load project" && echo yes || echo no)
tmux -S "$socket" send-keys -t "$session" q

attempted=$((W * N))
failed=0
for w in $(seq 1 "$W"); do failed=$((failed + $(cat "$work/w$w.fails"))); done
# Every set that succeeded must have its item with its data: read them all back in one listing.
"$SC" ls -p "$project" -a load --json >"$work/items.json"
present=$(grep -c '"name"' "$work/items.json" || true)
expected=$((attempted - failed))
lost=$((expected > present ? expected - present : 0))
# Spot-check data: one item of every writer.
bad=0
for w in $(seq 1 "$W"); do
    if [ ! -e "$work/w$w.failed" ] || ! grep -qx "w$w/item$N" "$work/w$w.failed"; then
        out=$("$SC" get load "w$w/item$N" -p "$project" --compact 2>/dev/null || true)
        [ "$out" = "{\"w\": $w, \"i\": $N}" ] || bad=$((bad + 1))
    fi
done
locked=$(cat "$work"/*.err "$work"/*.err.get 2>/dev/null | grep -ciE 'locked|busy' || true)
read -r sync_runs sync_failed <"$work/sync.result"
reader_runs=0 reader_failed=0
for r in $(seq 1 "$R"); do
    read -r a b <"$work/r$r.result"
    reader_runs=$((reader_runs + a))
    reader_failed=$((reader_failed + b))
done
case "$STORE" in
postgres://* | postgresql://*) integrity="(PostgreSQL: every item read back: $present present, $bad bad)" ;;
*) integrity=$(sqlite3 "$STORE" "PRAGMA integrity_check") ;;
esac
elapsed=$(echo "$end - $start" | bc)

echo "store:            $STORE"
echo "writers:          $W x $N sets, $R readers, synccache looping, browser in tmux"
echo "attempted writes: $attempted"
echo "failed writes:    $failed"
echo "lost writes:      $lost (present $present of $expected; $bad of $W spot-checked payloads wrong)"
echo "locked errors:    $locked"
echo "readers:          $reader_runs runs, $reader_failed failed"
echo "synccache:        $sync_runs runs, $sync_failed failed"
echo "browser:          alive $browser_alive, shows the store $browser_shows"
echo "integrity:        $integrity"
printf 'writers wall:     %.1f s (%.0f sets/s)\n' "$elapsed" "$(echo "$attempted / $elapsed" | bc -l)"
if [ "$failed" -ne 0 ] || [ "$lost" -ne 0 ] || [ "$bad" -ne 0 ]; then
    echo "first errors:" >&2
    cat "$work"/*.err 2>/dev/null | sort | uniq -c | sort -rn | head -5 >&2
    exit 1
fi
