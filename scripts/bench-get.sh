#!/bin/sh
# `sodarcache get` of a ~50 MB item against `jq .` on the same bytes, end to end.
# Usage: scripts/bench-get.sh [MB]   (release builds, then both tools side by side)
set -eu
cd "$(dirname "$0")/.."
MB="${1:-50}"
FILE="${TMPDIR:-/tmp}/sodarcache-bench-${MB}mb.json"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. scripts/lib/release-builds.sh
[ -f "$FILE" ] || "$BENCH" json --mb "$MB" >/dev/null
printf '[apps.bench]\ntitle = "Benchmark"\n' > "$WORK/config.toml"
export SODARCACHE_DB="$WORK/cache.sqlite3" SODARCACHE_CONFIG="$WORK/config.toml"
"$SC" set bench big < "$FILE"
ls -l "$FILE" | awk '{printf "payload: %.1f MB\n", $5 / 1e6}'
for run in 1 2 3; do
    echo "== run $run: sodarcache get bench big > /dev/null"
    /usr/bin/time -v "$SC" get bench big 2>&1 >/dev/null | grep -E 'Elapsed|Maximum resident'
    echo "== run $run: jq . FILE > /dev/null"
    /usr/bin/time -v jq . "$FILE" 2>&1 >/dev/null | grep -E 'Elapsed|Maximum resident'
done
