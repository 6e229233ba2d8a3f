#!/bin/sh
# The browser on a 1M-item store: the headless harness (first frame, key latency, 50 MB payload,
# peak RSS), then the real binary's launch to first full frame under a pty (RUNS times) and its
# resident memory with the store open in tmux.
# Usage: scripts/bench-browser.sh [STORE] [RUNS]
#   STORE defaults to $TMPDIR/sodarcache-bench-browser-1m.sqlite3; built when missing (~2 min, ~5 GB).
set -eu
cd "$(dirname "$0")/.."
STORE="${1:-${TMPDIR:-/tmp}/sodarcache-bench-browser-1m.sqlite3}"
RUNS="${2:-10}"
swift build -c release --product sodarcache-bench >/dev/null
swift build -c release --product sodarcache >/dev/null
BENCH=$PWD/.build/release/sodarcache-bench
SC=$PWD/.build/release/sodarcache
WORK=$(mktemp -d)
# A tmux server of its own: a running server would start the session with its own
# environment, not this script's SODARCACHE_DB.
TMUX_SOCK="$WORK/tmux.sock"
trap 'tmux -S "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
: > "$WORK/config.toml"
export LANG=C.UTF-8 TERM=xterm-256color SODARCACHE_DB="$STORE" SODARCACHE_CONFIG="$WORK/config.toml"

echo "== headless: sodarcache-bench browser --store $STORE"
"$BENCH" browser --store "$STORE"

echo "== real binary: launch -> first full frame, $RUNS runs under a pty (120x40)"
: > "$WORK/frames"
i=0
while [ "$i" -lt "$RUNS" ]; do
    script -qfc "stty rows 40 cols 120; exec $SC browse --benchmark-first-frame 2>$WORK/run" /dev/null >/dev/null
    grep 'first full frame' "$WORK/run" | sed 's/.*frame: \([0-9.]*\) ms after run(), \([0-9.]*\) ms after process.*/\2 \1/' >> "$WORK/frames"
    [ "$i" -eq 0 ] && cat "$WORK/run"
    i=$((i + 1))
done
stats() { sort -n | awk -v label="$1" '{ v[NR] = $1 } END {
    printf "%-42s min %.1f  median %.1f  max %.1f ms (%d runs)\n", label, v[1], v[int((NR + 1) / 2)], v[NR], NR }'; }
cut -d' ' -f1 "$WORK/frames" | stats "since process start (/proc, 10 ms ticks):"
cut -d' ' -f2 "$WORK/frames" | stats "since run() began:"

echo "== real binary: resident memory with the store open (tmux 120x40, after browsing)"
tmux -S "$TMUX_SOCK" new-session -d -s sodarcache-bench -x 120 -y 40 \
    "SODARCACHE_DB='$STORE' SODARCACHE_CONFIG='$WORK/config.toml' LANG=C.UTF-8 exec $SC browse"
PID=$(tmux -S "$TMUX_SOCK" list-panes -t sodarcache-bench -F '#{pane_pid}')
sleep 1
for keys in "j j j j j j j j j j" "NPage NPage NPage" "Enter" "j j" "Enter" "j j j j j" "End" "Home" "Escape Escape" "Home j" "Space" "o" "o o" "z" "Z"; do
    # shellcheck disable=SC2086
    tmux -S "$TMUX_SOCK" send-keys -t sodarcache-bench $keys
    sleep 0.3
done
echo "process $PID ($(cat /proc/"$PID"/comm)):"
grep -E 'VmRSS|VmHWM|RssAnon|RssFile' /proc/"$PID"/status
tmux -S "$TMUX_SOCK" send-keys -t sodarcache-bench q
sleep 0.5
