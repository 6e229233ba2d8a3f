#!/bin/sh
# JSONKit against jq 1.6 on the same generated ~50 MB SODAR-like document.
# Usage: scripts/bench-json.sh [MB]   (release build of sodarcache-bench, then both tools)
set -eu
cd "$(dirname "$0")/.."
MB="${1:-50}"
FILE="${TMPDIR:-/tmp}/sodarcache-bench-${MB}mb.json"
swift build -c release --product sodarcache-bench >/dev/null
BENCH=.build/release/sodarcache-bench
[ -f "$FILE" ] || "$BENCH" json --mb "$MB" >/dev/null
echo "== sodarcache-bench json $FILE"
"$BENCH" json "$FILE"
echo "== /usr/bin/time -v jq . $FILE > /dev/null"
/usr/bin/time -v jq . "$FILE" 2>&1 >/dev/null | grep -E 'Elapsed|Maximum resident'
echo "== /usr/bin/time -v sodarcache-bench json $FILE (whole process)"
/usr/bin/time -v "$BENCH" json "$FILE" 2>&1 >/dev/null | grep -E 'Elapsed|Maximum resident'
