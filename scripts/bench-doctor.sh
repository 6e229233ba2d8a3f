#!/bin/sh
# The doctor and the metrics at 1M items: `sodarcache-bench doctor` (the doctor's pass against
# the same findings as raw SQL aggregates, taking turns, on SQLite and, on a private throwaway
# cluster, PostgreSQL in both layouts), then the real binary's `doctor`, `metrics` and
# `metrics --no-doctor` end to end on each store (RUNS times each, wall time from process start
# to exit). The cluster is stopped and removed at exit; the SQLite store is kept for reuse.
# Usage: scripts/bench-doctor.sh [RUNS] [STORE]
#   STORE defaults to $TMPDIR/sodarcache-bench-doctor.sqlite3; built when missing (~30 s, ~650 MB).
#   SCRATCH=DIR  build directory (default .build)
set -eu
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
STORE="${2:-${TMPDIR:-/tmp}/sodarcache-bench-doctor.sqlite3}"
. scripts/lib/release-builds.sh
WORK=$(mktemp -d)
chmod 0755 "$WORK"  # the cluster runs as postgres when root
CLUSTER="$WORK/pg"
trap 'scripts/pg-cluster.sh stop "$CLUSTER"; rm -rf "$WORK"' EXIT
URI=$(scripts/pg-cluster.sh start "$CLUSTER")
echo "cluster: $URI (scripts/pg-cluster.sh: unix socket, fsync=off, synchronous_commit=off, shared_buffers 128MB)"
# The bench's thresholds and expectation, so that the binary finds what the pass finds.
cat > "$WORK/config.toml" <<'TOML'
[apps.samplesheets]
expect = ["irods/stats"]
[apps."samplesheets.assayapps.cytof"]
[apps."samplesheets.assayapps.dna_sequencing"]
[apps."samplesheets.studyapps.germline"]
[doctor]
stale = "30d"
oversized = "64KB"
TOML
export LANG=C.UTF-8 SODARCACHE_CONFIG="$WORK/config.toml"

echo "== sodarcache-bench doctor --runs $RUNS --store $STORE --uri $URI"
"$BENCH" doctor --runs "$RUNS" --store "$STORE" --uri "$URI"

# wall RUNS LABEL ARGS...: min and median wall seconds of the binary from start to exit.
wall() {
    runs=$1; label=$2; shift 2
    : > "$WORK/times"
    i=0
    while [ "$i" -lt "$runs" ]; do
        start=$(date +%s.%N)
        "$SC" "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        echo "$end - $start" | bc >> "$WORK/times"
        i=$((i + 1))
    done
    sort -n "$WORK/times" | awk -v label="$label" '{ v[NR] = $1 } END {
        printf "%-40s min %.2f  median %.2f  max %.2f s (%d runs)\n", label, v[1], v[int((NR + 1) / 2)], v[NR], NR }'
}

for DB in "$STORE" \
    "$(echo "$URI" | sed 's|:///postgres?|:///sodarcache_bench_doctor_store?|')" \
    "$(echo "$URI" | sed 's|:///postgres?|:///sodarcache_bench_doctor_sodar?|')"; do
    echo "== the binary on $DB"
    "$SC" --read-only --db "$DB" doctor | head -n 1
    wall "$RUNS" "sodarcache doctor" --read-only --db "$DB" doctor
    wall "$RUNS" "sodarcache metrics" --read-only --db "$DB" metrics
    wall "$RUNS" "sodarcache metrics --no-doctor" --read-only --db "$DB" metrics --no-doctor
done
