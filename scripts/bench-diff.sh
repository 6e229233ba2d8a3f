#!/bin/sh
# JSONDiff against its peer `diff <(jq -S . OLD) <(jq -S . NEW)`, side by side in one run, on
# generated ~50 MB SODAR-like documents (study tables: big objects of arrays of rows of cell
# objects): a few changes, many changes, and the few changes respelled as jsonb writes them
# (keys sorted, no whitespace, numbers respelled: compared by value). Then `sodarcache diff`
# end to end on a SQLite store holding the two payloads in two projects.
# Usage: scripts/bench-diff.sh [MB] [RUNS]   (release builds, jq from Debian; peak RSS by /usr/bin/time -v)
set -eu
cd "$(dirname "$0")/.."
MB="${1:-50}"
RUNS="${2:-2}"
DIR="${TMPDIR:-/tmp}/sodarcache-bench-diff-${MB}mb"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
. scripts/lib/release-builds.sh
[ -f "$DIR/many.json" ] || "$BENCH" diff generate "$DIR" --mb "$MB" >/dev/null
[ -f "$DIR/few-jsonb.json" ] || jq -S -c . "$DIR/few.json" > "$DIR/few-jsonb.json"
for f in old few many few-jsonb; do
    ls -l "$DIR/$f.json" | awk -v f="$f" '{printf "%s.json: %.1f MB\n", f, $5 / 1e6}'
done
jq --version

# The two timed lines of /usr/bin/time -v, after what the command printed on stdout.
timed() {
    /usr/bin/time -v "$@" 2>"$WORK/time" || true
    grep -E 'Elapsed|Maximum resident' "$WORK/time"
}

peer() {
    timed bash -c "diff <(jq -S . '$DIR/old.json') <(jq -S . '$DIR/$1.json') > /dev/null"
}

for run in $(seq "$RUNS"); do
    for case in few many; do
        echo "== run $run, $case changes: sodarcache-bench diff old.json $case.json"
        timed "$BENCH" diff "$DIR/old.json" "$DIR/$case.json" | grep -vE '^  (changed|added|removed) '
        echo "== run $run, $case changes: diff <(jq -S . old.json) <(jq -S . $case.json)"
        peer "$case"
    done
    echo "== run $run, few changes respelled by jsonb: sodarcache-bench diff old.json few-jsonb.json --by-value"
    timed "$BENCH" diff "$DIR/old.json" "$DIR/few-jsonb.json" --by-value | grep -vE '^  (changed|added|removed) '
    echo "== run $run, few changes respelled by jsonb: diff <(jq -S . old.json) <(jq -S . few-jsonb.json)"
    peer few-jsonb
done

# End to end: the command reads both payloads from the store, compares and prints.
printf '[apps.bench]\ntitle = "Benchmark"\n' > "$WORK/config.toml"
export SODARCACHE_DB="$WORK/cache.sqlite3" SODARCACHE_CONFIG="$WORK/config.toml"
p=$("$SC" project add "Old")
q=$("$SC" project add "Few")
r=$("$SC" project add "Many")
"$SC" set bench big -p "$p" < "$DIR/old.json"
"$SC" set bench big -p "$q" < "$DIR/few.json"
"$SC" set bench big -p "$r" < "$DIR/many.json"
for run in $(seq "$RUNS"); do
    for target in "$q" "$r"; do
        echo "== run $run: sodarcache diff bench big -p OLD --in-project $( [ "$target" = "$q" ] && echo FEW || echo MANY ) > /dev/null"
        timed sh -c "'$SC' diff bench big -p '$p' --in-project '$target' > /dev/null; test \$? -eq 1"
    done
done
"$SC" diff bench big -p "$p" --in-project "$q" | tail -1
