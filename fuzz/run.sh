#!/bin/sh
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of sodarcache's parsers of untrusted input.
#
#   fuzz/run.sh --list                 the target names
#   fuzz/run.sh TARGET SECONDS         fuzz one target; exit 1 on a crash, the input is saved in
#                                      fuzz/crashes/TARGET/ (the path is printed)
#   fuzz/run.sh --replay TARGET FILE   run one saved input again (a crasher, a corpus file)
#   fuzz/run.sh --build                only build
#
# The harness is the package in fuzz/ (it depends on the main package by path), built in
# release with --sanitize=fuzzer --sanitize=address in its own scratch path fuzz/.build, so
# the main `swift build`/`swift test` never compile it. New corpus entries go to
# fuzz/.work/TARGET/ (not committed); fuzz/corpus/TARGET/ is the committed seed corpus.
# Extra libFuzzer flags: FUZZ_FLAGS="-jobs=2 -workers=2" fuzz/run.sh json 600
# FUZZ_SKIP_BUILD=1 uses the binary already built (long runs while the sources change).
set -eu
cd "$(dirname "$0")"
TARGETS="json config import splitter arguments browser uri outcome diff"

usage() {
    echo "usage: fuzz/run.sh --list | TARGET SECONDS | --replay TARGET FILE... | --build" >&2
    exit 64
}

# Release builds are whole-module, and swiftc then drops the coverage instrumentation that
# -sanitize=fuzzer implies (measured with Swift 6.3: no __sancov sections): ask for it.
FLAGS="-c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table"

build() {
    if [ -n "${FUZZ_SKIP_BUILD:-}" ]; then
        # shellcheck disable=SC2086
        bin="$(swift build --package-path . --scratch-path .build $FLAGS --show-bin-path)/sodarcache-fuzz"
        return
    fi
    # The first build compiles the dependencies with the sanitizers too: minutes on 2 cores.
    # shellcheck disable=SC2086
    swift build --package-path . --scratch-path .build $FLAGS --product sodarcache-fuzz >&2
    # shellcheck disable=SC2086
    bin="$(swift build --package-path . --scratch-path .build $FLAGS --show-bin-path)/sodarcache-fuzz"
}

known() {
    for t in $TARGETS; do [ "$t" = "$1" ] && return 0; done
    echo "unknown target: $1 (fuzz/run.sh --list)" >&2
    exit 64
}

# Swift's runtime keeps metadata caches alive for the whole process: not leaks. Swift's own
# crash backtracer reads memory ASan then reports as a second crash: libFuzzer reports it.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export SWIFT_BACKTRACE="enable=no"

[ $# -ge 1 ] || usage
case "$1" in
--list)
    for t in $TARGETS; do echo "$t"; done
    exit 0
    ;;
--build)
    build
    echo "$bin"
    exit 0
    ;;
--replay)
    [ $# -ge 3 ] || usage
    known "$2"
    target=$2
    shift 2
    build
    FUZZ_TARGET=$target "$bin" "$@"
    exit $?
    ;;
esac

[ $# -eq 2 ] || usage
target=$1
seconds=$2
known "$target"
case "$seconds" in '' | *[!0-9]*) usage ;; esac
build
mkdir -p ".work/$target" "crashes/$target"
log=".work/$target/log.txt"
# Bigger inputs for the parsers of whole files; the browser reads at most 600 steps.
max_len=8192
[ "$target" = arguments ] && max_len=64
[ "$target" = browser ] && max_len=600
# A browser input is up to 600 steps, each drawing a screen: ~0.1 s alone, but at nice 19
# beside builds one took 12 s (replayed in 1.3 s): not a hang.
timeout=10
[ "$target" = browser ] && timeout=60
dict=""
[ -f "dict/$target.dict" ] && dict="-dict=dict/$target.dict"
# Run a copy: a rebuild during a long run must not replace the binary under it.
cp "$bin" ".work/$target/sodarcache-fuzz"
status=0
# shellcheck disable=SC2086
FUZZ_TARGET=$target ".work/$target/sodarcache-fuzz" ".work/$target" "corpus/$target" $dict \
    -max_total_time="$seconds" -max_len=$max_len -timeout=$timeout -rss_limit_mb=4096 \
    -artifact_prefix="crashes/$target/" -print_final_stats=1 ${FUZZ_FLAGS:-} >"$log" 2>&1 || status=$?
grep -E '^#[0-9]+ +(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 >&2 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" >&2 || true
if [ $status -ne 0 ]; then
    echo "fuzz $target: FAILED (status $status); log: fuzz/$log" >&2
    grep -E 'invariant broken|ERROR: AddressSanitizer|ERROR: libFuzzer|Fatal error|SUMMARY' "$log" | head -5 >&2 || true
    for f in $(grep -oE "crashes/$target/[a-z-]+-[0-9a-f]+" "$log" | sort -u); do echo "crasher: fuzz/$f" >&2; done
    exit 1
fi
echo "fuzz $target: no crash in ${seconds}s; log: fuzz/$log" >&2
