#!/bin/sh
# The browser on a 1M-item store: its loop on a scripted terminal (first frame, key latency, 50 MB payload,
# peak RSS), then the real binary's launch to first full frame under a pty (RUNS times) and its
# resident memory with the store open in tmux.
# Usage: scripts/bench-browser.sh [STORE] [RUNS]
#   STORE defaults to $TMPDIR/sodarcache-bench-browser-1m.sqlite3; built when missing (~2 min, ~5 GB).
set -eu
cd "$(dirname "$0")/.."
STORE="${1:-${TMPDIR:-/tmp}/sodarcache-bench-browser-1m.sqlite3}"
RUNS="${2:-10}"
. scripts/lib/release-builds.sh
WORK=$(mktemp -d)
trap 'tmux -S "$WORK/tmux.sock" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
. scripts/lib/browser-launch.sh
: > "$WORK/config.toml"
export LANG=C.UTF-8 TERM=xterm-256color SODARCACHE_DB="$STORE" SODARCACHE_CONFIG="$WORK/config.toml"

echo "== the loop on a scripted terminal: sodarcache-bench browser --store $STORE"
"$BENCH" browser --store "$STORE"

echo "== real binary: launch -> first full frame, $RUNS runs under a pty (120x40)"
launch_frames "$RUNS"

echo "== real binary: resident memory with the store open (tmux 120x40, after browsing)"
browse_rss
