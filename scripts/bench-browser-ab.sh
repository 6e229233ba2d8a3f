#!/bin/sh
# Two builds of the browser's launch side by side: RUNS launches of each, taking turns, under a
# pty (120x40) at nice -19 (the box is shared), on one store. Prints per build min/median/max of
# `run()` -> first full frame and process start -> first full frame, the store open, and the RSS.
# Usage: scripts/bench-browser-ab.sh BASE_BIN NEW_BIN STORE [RUNS]
#   BASE_BIN, NEW_BIN: two `sodarcache` release binaries (e.g. main's built in a worktree).
#   STORE: a store built by `sodarcache-bench browser --store STORE`.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 BASE_BIN NEW_BIN STORE [RUNS]" >&2; exit 64; }
BASE=$1 NEW=$2 RUNS=${4:-20}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
: > "$WORK/config.toml"
export LANG=C.UTF-8 TERM=xterm-256color SODARCACHE_DB="$3" SODARCACHE_CONFIG="$WORK/config.toml"
i=0
while [ "$i" -lt "$RUNS" ]; do
    for which in base new; do
        if [ "$which" = base ]; then bin=$BASE; else bin=$NEW; fi
        nice -n -19 script -qfc "stty rows 40 cols 120; exec $bin browse --benchmark-first-frame 2>$WORK/run" /dev/null >/dev/null
        full=$(sed -n 's/^first full frame: \([0-9.]*\) ms after run(), \([0-9.]*\) ms after process start.*/\1 \2/p' "$WORK/run")
        open=$(sed -n 's/^store open: \([0-9.]*\) ms after run().*/\1/p' "$WORK/run")
        rss=$(sed -n 's/.*VmRSS: \([0-9]*\) kB.*/\1/p' "$WORK/run")
        echo "$which $full $open $rss" >> "$WORK/all"
    done
    i=$((i + 1))
done
for which in base new; do
    for col in 2 3 4; do
        grep "^$which " "$WORK/all" | cut -d' ' -f$col | sort -n | awk -v w="$which" -v c="$col" '{ v[NR] = $1 } END {
            label = (c == 2 ? "run() -> first full frame" : c == 3 ? "process start -> first full frame" : "store open (after run())")
            printf "%-4s %-34s min %.1f  median %.1f  max %.1f ms (%d runs)\n", w, label, v[1], v[int((NR + 1) / 2)], v[NR], NR }'
    done
    grep "^$which " "$WORK/all" | cut -d' ' -f5 | sort -n | awk -v w="$which" '{ v[NR] = $1 } END {
        printf "%-4s %-34s %.1f-%.1f MB\n", w, "RSS at the first full frame", v[1] / 1024, v[NR] / 1024 }'
done
