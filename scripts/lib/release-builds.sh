# Sourced by the bench scripts: builds sodarcache and sodarcache-bench in release into $SCRATCH
# (default .build; another folder measures another checkout's build) and sets BENCH and SC to
# the two binaries, as absolute paths.
SCRATCH="${SCRATCH:-$PWD/.build}"
swift build -c release --product sodarcache-bench --scratch-path "$SCRATCH" >/dev/null
swift build -c release --product sodarcache --scratch-path "$SCRATCH" >/dev/null
BENCH=$SCRATCH/release/sodarcache-bench
SC=$SCRATCH/release/sodarcache
