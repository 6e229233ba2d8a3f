#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real binary: builds it, makes a demo store, drives the
# browser in tmux (100x30, UTF-8), captures each screen with its colours and renders it to PNG.
# Needs tmux, Python 3 (Pillow and pyte are installed into .build-screenshots/venv from PyPI) and
# fonts from Debian (fonts-dejavu-core; fonts-noto-cjk and fonts-noto-color-emoji for wide text).
# Usage: scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
swift build --product sodarcache >/dev/null
BIN=$ROOT/.build/debug/sodarcache
VENV=$ROOT/.build-screenshots/venv
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q pillow pyte
fi
WORK=$(mktemp -d)
SOCK=$WORK/tmux.sock
cleanup() { tmux -S "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN" demo --db "$WORK/cache.sqlite3" --no-browse >/dev/null
# The demo's config, plus a slow app (so the progress line shows) and one that fails.
cp "$WORK/cache.sqlite3.demo/config.toml" "$WORK/config.toml"
cat >> "$WORK/config.toml" <<'TOML'
[apps.verify]
title = "Checksum verification (slow)"
command = ["/bin/sh", "-c", "sleep 2; printf '{\"verified\": true}'"]
item = "checksums/verified"

[apps.irodsstats]
title = "iRODS statistics (failing)"
command = ["/bin/sh", "-c", "echo 'irods-stats: connection refused (sodarZone:1247)' >&2; exit 2"]
item = "irods/stats"
TOML

tmux -S "$SOCK" new-session -d -s shots -x 100 -y 30 \
    "LANG=C.UTF-8 TZ=UTC '$BIN' browse --db '$WORK/cache.sqlite3' --config '$WORK/config.toml'"

wait_for() {
    for _ in $(seq 1 400); do
        tmux -S "$SOCK" capture-pane -t shots -p | grep -qF -- "$1" && return 0
        sleep 0.05
    done
    echo "timed out waiting for: $1" >&2
    tmux -S "$SOCK" capture-pane -t shots -p >&2
    exit 1
}
keys() { tmux -S "$SOCK" send-keys -t shots "$@"; sleep 0.3; }
# shot NAME [COLUMNS]: the session's screen (100 columns unless it was started wider).
shot() {
    sleep 0.3
    tmux -S "$SOCK" capture-pane -t shots -p -e > "$WORK/$1.txt"
    "$VENV/bin/python" scripts/ansi2png.py "$WORK/$1.txt" "screenshots/$1.png" --cols "${2:-100}" --rows 30
    echo "screenshots/$1.png"
}

wait_for "Projects"
keys Down Down Down Down
shot 01-project-tree
keys Enter
wait_for "microarray"
keys Enter
wait_for "sheet/tables"
shot 02-items
keys Space Space Space
shot 03-marked-items
keys U
keys d
wait_for "Delete"
shot 04-delete-confirmation
keys Escape
keys G
keys Up Up
keys Enter
wait_for "top_header"
keys Down Down Down Enter
shot 05-payload-folding
# y copies the value at the cursor through OSC 52 (tmux keeps it with set-clipboard on); the
# cursor then goes back, so that the shots after this one do not change.
tmux -S "$SOCK" set-option -s set-clipboard on
keys Down
keys y
wait_for "Copied value of"
shot 13-copied
keys Up
keys "?"
shot 06-help
keys Escape
# Wrap mode: the first item's long track-hub path, its rows under the start of the value.
keys Escape
keys g
keys Enter
wait_for "track_hubs"
keys w
keys Down Down Down Down Down
shot 12-payload-wrap
# Back as it was (wrap lasts for the session): the sheet item open, lines cut.
keys w
keys Escape
keys G
keys Up Up
keys Enter
wait_for "top_header"
keys Escape Escape Escape
keys S
wait_for "failed (F)"
shot 07-sync-progress
wait_for "Synced"
keys F
shot 08-sync-failures
keys Enter
shot 09-failure-details

# The project tree for daily work, in a fresh browser: sizes and bars ordered by size, then
# folded categories (z folds every one, Space opens the selected one again). 120 columns: the
# size bars show from 112, where a nested name still has its room beside them.
tmux -S "$SOCK" kill-session -t shots 2>/dev/null || true
tmux -S "$SOCK" new-session -d -s shots -x 120 -y 30 \
    "LANG=C.UTF-8 TZ=UTC '$BIN' browse --db '$WORK/cache.sqlite3' --config '$WORK/config.toml'"
wait_for "Projects"
keys Down
keys o
wait_for "siblings ordered by size"
shot 14-tree-by-size 120
keys o o
keys z
wait_for "Folded every category"
keys Down Space
wait_for "Unfolded"
shot 15-folded-tree 120

# An item's versions (H) and the diff of one against the current payload (Enter, issue 20):
# the site-wide zone status written three times by the CLI, with a delete between the last two,
# so that the list shows revisions and a trashed copy.
tmux -S "$SOCK" kill-session -t shots 2>/dev/null || true
sc() { "$BIN" --db "$WORK/cache.sqlite3" --config "$WORK/config.toml" "$@" >/dev/null 2>&1; }
zones() {  # zones NAME:STATUS:LATENCY... -- EXTRA (members after the zones)
    local out='{"zones": [' sep=''
    while [ "$1" != "--" ]; do
        IFS=: read -r name status latency <<<"$1"
        out+="$sep{\"name\": \"$name\", \"status\": \"$status\", \"latency_ms\": $latency}"
        sep=', '
        shift
    done
    shift
    printf '%s], %s}' "$out" "$1"
}
sc set samplesheets irods/zone/status --user cubi-sync --data "$(zones sodarZone0:ok:41 sodarZone1:ok:28 \
    sodarZone2:ok:36 sodarZone3:ok:24 sodarZone4:ok:15 sodarZone5:ok:23 -- '"checked_by": "cubi-sync", "note": "weekly check"')"
sc set samplesheets irods/zone/status --user cubi-sync --data "$(zones sodarZone0:ok:44 sodarZone1:ok:27 \
    sodarZone2:ok:36 sodarZone3:down:0 sodarZone4:ok:15 sodarZone5:ok:23 -- '"checked_by": "cubi-sync"')"
sc delete samplesheets irods/zone/status
sc set samplesheets irods/zone/status --user jdoe --data "$(zones sodarZone0:ok:41 sodarZone1:ok:31 \
    sodarZone2:ok:36 sodarZone2b:ok:19 sodarZone3:ok:24 sodarZone4:degraded:15 sodarZone5:ok:23 \
    -- '"checked_by": "cubi-sync", "checked_at": "2026-12-07T09:00:00Z"')"
tmux -S "$SOCK" new-session -d -s shots -x 100 -y 30 \
    "LANG=C.UTF-8 TZ=UTC '$BIN' browse --db '$WORK/cache.sqlite3' --config '$WORK/config.toml'"
wait_for "Projects"
keys Enter
wait_for "samplesheets"
keys Enter
wait_for "irods/zone/status"
keys H
wait_for "revision"
shot 17-versions
keys Down
keys Enter
wait_for "changes:"
keys "]" "]"
wait_for "Change 3 of 5"
shot 18-diff

# The browser on a SODAR site's PostgreSQL database (a private cluster, the demo loaded as
# SODAR writes it), when a PostgreSQL server is installed.
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    tmux -S "$SOCK" kill-session -t shots 2>/dev/null || true
    PG=$(mktemp -d /tmp/sc-shots-pg.XXXXXX)
    trap 'scripts/pg-cluster.sh stop "$PG" >/dev/null 2>&1; cleanup' EXIT
    SERVER=$(scripts/pg-cluster.sh start "$PG")
    psql "$SERVER" -X -q -c "CREATE DATABASE sodar"
    SODAR="postgresql:///sodar?host=$PG&user=postgres"
    SODARCACHE_BIN=$BIN scripts/sodar-demo.sh "$SODAR" "$WORK/sodar.toml" >/dev/null
    tmux -S "$SOCK" new-session -d -s shots -x 100 -y 30 \
        "LANG=C.UTF-8 TZ=UTC '$BIN' browse --db '$SODAR' --config '$WORK/sodar.toml'"
    wait_for "Colorectal"
    keys Down Down Down Down
    keys Enter
    wait_for "microarray"
    keys Enter
    wait_for "sheet/tables"
    shot 10-sodar-site
    keys G
    keys Up Up
    keys Enter
    # jsonb orders keys by length: col_values comes first.
    wait_for "col_values"
    shot 11-sodar-site-payload
    # A role with the README's read grants only: the header says what it may do, d says why not.
    tmux -S "$SOCK" kill-session -t shots 2>/dev/null || true
    psql "$SODAR" -X -q -c "CREATE ROLE sodarcache_ro LOGIN" \
        -c "GRANT SELECT ON sodarcache_jsoncacheitem, projectroles_project, users_user, djangoplugins_plugin TO sodarcache_ro"
    tmux -S "$SOCK" new-session -d -s shots -x 100 -y 30 \
        "LANG=C.UTF-8 TZ=UTC '$BIN' browse --db '${SODAR/user=postgres/user=sodarcache_ro}' --config '$WORK/sodar.toml'"
    wait_for "Colorectal"
    keys Down Down Down Down
    keys Enter
    wait_for "microarray"
    keys Enter
    wait_for "sheet/tables"
    keys d
    wait_for "Cannot delete"
    shot 16-sodar-read-only-role
fi
