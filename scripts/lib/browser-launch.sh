# Sourced by the benchmark scripts: the real browser's launch to its first full frame, and its
# resident memory after browsing. Expects $SC (the sodarcache binary), $WORK (a scratch
# directory), LANG and TERM set, and the store in $SODARCACHE_DB.

# launch_frames RUNS: RUNS launches under a pty (120x40); min/median/max since process start
# and since run() began. The first launch's whole report is printed too.
launch_frames() {
    : > "$WORK/frames"
    i=0
    while [ "$i" -lt "$1" ]; do
        script -qfc "stty rows 40 cols 120; exec $SC browse --benchmark-first-frame 2>$WORK/run" /dev/null >/dev/null
        grep 'first full frame' "$WORK/run" | sed 's/.*frame: \([0-9.]*\) ms after run(), \([0-9.]*\) ms after process.*/\2 \1/' >> "$WORK/frames"
        [ "$i" -eq 0 ] && cat "$WORK/run"
        i=$((i + 1))
    done
    cut -d' ' -f1 "$WORK/frames" | launch_stats "since process start (/proc, 10 ms ticks):"
    cut -d' ' -f2 "$WORK/frames" | launch_stats "since run() began:"
}

launch_stats() { sort -n | awk -v label="$1" '{ v[NR] = $1 } END {
    printf "%-42s min %.1f  median %.1f  max %.1f ms (%d runs)\n", label, v[1], v[int((NR + 1) / 2)], v[NR], NR }'; }

# browse_rss: the browser in tmux (120x40) on a tmux server of its own (a running server would
# start the session with its own environment, not ours), driven through ~30 keys that page,
# open payloads, fold and order; then its VmRSS/VmHWM.
browse_rss() {
    sock="$WORK/tmux.sock"
    tmux -S "$sock" new-session -d -s sodarcache-bench -x 120 -y 40 \
        "exec env LANG=C.UTF-8 TERM=xterm-256color SODARCACHE_CONFIG='$SODARCACHE_CONFIG' $SC browse --db '$SODARCACHE_DB'"
    pid=$(tmux -S "$sock" list-panes -t sodarcache-bench -F '#{pane_pid}')
    sleep 2
    for keys in "j j j j j j j j j j" "NPage NPage NPage" "Enter" "j j" "Enter" "j j j j j" "End" "Home" "Escape Escape" "Home j" "Space" "o" "o o" "z" "Z"; do
        # shellcheck disable=SC2086
        tmux -S "$sock" send-keys -t sodarcache-bench $keys
        sleep 0.3
    done
    echo "process $pid ($(cat /proc/"$pid"/comm 2>/dev/null)):"
    grep -E 'VmRSS|VmHWM|RssAnon|RssFile' /proc/"$pid"/status || echo "the browser is gone"
    tmux -S "$sock" send-keys -t sodarcache-bench q
    sleep 0.5
    tmux -S "$sock" kill-server 2>/dev/null || true
}
