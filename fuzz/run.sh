#!/bin/sh
# Long randomized robustness run of JSONKit: mutated generated documents must never crash
# and must be accepted or rejected identically by validate, the streaming printer and
# JSONDocument. Usage: fuzz/run.sh [SECONDS] [SEED]   (defaults: 600 s, seed 42)
set -eu
cd "$(dirname "$0")/.."
JSONKIT_FUZZ_SECONDS="${1:-600}" JSONKIT_FUZZ_SEED="${2:-42}" \
    swift test -c release --filter 'JSONKitTests.FuzzTests'
