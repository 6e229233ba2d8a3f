#!/bin/sh
# Runs the whole test suite under ThreadSanitizer and under AddressSanitizer, each in its own
# scratch path (.build-thread, .build-address), with the end-to-end tests driving a binary
# built with the same sanitizer (SODARCACHE_BIN; the tmux tests take it from CLI.binary too).
#
#   scripts/sanitize.sh                  both
#   scripts/sanitize.sh thread           one (thread or address)
#   SWIFT_TEST_ARGS="--filter X" scripts/sanitize.sh address
#
# Every process (the test runner, each sodarcache a test starts, the browser inside tmux)
# writes its sanitizer reports to a file under the printed reports folder, so a report from
# a child process whose exit status a test does not look at is not lost. Exit status: 0 when
# the tests pass and no process reported anything. Slow: on 2 cores a clean build of each
# takes several minutes and the tests run several times slower than without.
set -eu
cd "$(dirname "$0")/.."
sanitizers="${*:-thread address}"
overall=0
for sanitizer in $sanitizers; do
    case "$sanitizer" in thread | address) ;; *) echo "unknown sanitizer: $sanitizer (thread or address)" >&2; exit 64 ;; esac
    scratch=".build-$sanitizer"
    reports=$(mktemp -d "${TMPDIR:-/tmp}/sodarcache-$sanitizer-reports.XXXXXX")
    # The fault tests run the binary as another user too: let it write its reports here.
    chmod 1777 "$reports"
    log="$reports/swift-test.log"
    echo "== $sanitizer: building in $scratch" >&2
    start=$(date +%s)
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" >&2
    built=$(date +%s)
    SODARCACHE_BIN="$(swift build --sanitize="$sanitizer" --scratch-path "$scratch" --show-bin-path)/sodarcache"
    export SODARCACHE_BIN
    # Swift's crash backtracer would run inside a sanitized process that is already failing.
    export SWIFT_BACKTRACE="enable=no"
    export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=${SANITIZE_LEAKS:-0}:abort_on_error=0"
    export TSAN_OPTIONS="log_path=$reports/tsan:halt_on_error=0:second_deadlock_stack=1"
    echo "== $sanitizer: testing (reports go to $reports)" >&2
    status=0
    # shellcheck disable=SC2086
    swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" ${SWIFT_TEST_ARGS:-} >"$log" 2>&1 || status=$?
    done_at=$(date +%s)
    found=$(find "$reports" -name 'asan.*' -o -name 'tsan.*' | wc -l)
    echo "== $sanitizer: build $((built - start)) s, tests $((done_at - built)) s, swift test exit $status, $found report file(s)" >&2
    grep -E '(✔|✘) Test run|Executed [0-9]+ tests' "$log" | tail -3 >&2 || true
    if [ "$found" -gt 0 ]; then
        for f in $(find "$reports" -name 'asan.*' -o -name 'tsan.*' | head -5); do
            echo "-- $f" >&2
            grep -E '^(WARNING|ERROR|SUMMARY)' "$f" | head -3 >&2
        done
        overall=1
    fi
    [ "$status" -eq 0 ] || { grep -E '✘|error:' "$log" | head -20 >&2; overall=1; }
    echo "== $sanitizer: log $log" >&2
done
exit $overall
