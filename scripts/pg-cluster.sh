#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb in a directory of its own, listening
# on a unix socket there and on no TCP port.
#
#   scripts/pg-cluster.sh start DIR   creates and starts it, prints its URI on stdout
#   scripts/pg-cluster.sh restart DIR restarts it (fast shutdown: sessions are cut)
#   scripts/pg-cluster.sh pgbouncer DIR starts PgBouncer (transaction pooling, otherwise Debian's
#                                     stock settings) in front of it, prints its URI on stdout
#   scripts/pg-cluster.sh standby DIR SDIR  a hot standby of DIR's cluster in SDIR (pg_basebackup
#                                     -R), listening on SDIR's socket; prints its URI
#   scripts/pg-cluster.sh stop DIR    stops them and removes DIR
#
# PG_DURABLE=1 starts the cluster with PostgreSQL's own durability settings (fsync, full-page
# writes, synchronous commit on), as a production server runs: for benchmarks whose cost is
# the server's I/O. The tests' default turns them off.
#
# As root the server runs as the `postgres` user (it refuses root). The superuser role is
# `postgres`; the socket directory is DIR.
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|restart|pgbouncer|stop DIR" >&2; exit 64; }
# Absolute: the server's commands run from / (see as_owner).
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "pg-cluster: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 69; }

# The server must not keep descriptors it inherits (a test runner's pipes): a reader of such a
# pipe would wait for an end of file that never comes while the server runs. Bash reads this
# script through fd 255, which stays.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null && [ "$fd" -lt 255 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
done

# As root, the server's commands run as `postgres` and from /: the caller's folder may be one
# that `postgres` cannot enter (a checkout under root's home or in a 0700 `mktemp -d` folder),
# and initdb and pg_ctl then complain that they cannot change to it.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

case "$cmd" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    chmod 0755 "$dir"
    # The data and the socket live in DIR: every folder above it must let `postgres` in, or
    # initdb fails with a bare "Permission denied" (and clients could not reach the socket).
    if [ "$(id -u)" -eq 0 ] && ! as_owner test -w "$dir" -a -x "$dir"; then
        echo "pg-cluster: the postgres user cannot reach $dir (a folder above it is closed to others, such as root's home or a 0700 mktemp -d folder); use one it can enter, such as \$(mktemp -d /tmp/sodarcache-pg.XXXXXX)" >&2
        rmdir "$dir" 2>/dev/null || true
        exit 1
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    # One role must give a password, so that the tests can try a wrong one.
    { echo "local all sodarcache_pw scram-sha-256"; cat "$dir/data/pg_hba.conf"; } >"$dir/pg_hba.new"
    as_owner cp "$dir/pg_hba.new" "$dir/data/pg_hba.conf"
    # Unix socket only; fsync off: a test cluster, thrown away after the run.
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-}" = 1 ] && durability=""
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $dir $durability -c max_connections=200" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$dir&user=postgres"
    ;;
restart)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    ;;
standby)
    sdir=${3:-}
    [ -n "$sdir" ] || { echo "usage: $0 standby DIR SDIR" >&2; exit 64; }
    case "$sdir" in /*) ;; *) sdir="$PWD/$sdir" ;; esac
    mkdir -p "$sdir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$sdir"
    chmod 0755 "$sdir"
    as_owner "$bindir/pg_basebackup" -h "$dir" -U postgres -R --checkpoint=fast -D "$sdir/data" >"$sdir/basebackup.log" 2>&1 ||
        { cat "$sdir/basebackup.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$sdir/data" -l "$sdir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $sdir -c port=5433 -c max_connections=200 -c fsync=off" start >/dev/null || { cat "$sdir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$sdir&port=5433&user=postgres"
    ;;
pgbouncer)
    bouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    [ -x "$bouncer" ] || { echo "pg-cluster: no pgbouncer installed (apt-get install pgbouncer)" >&2; exit 69; }
    # Every database of the cluster, as any role the tests use; no password (trust), unix socket
    # only. pool_mode = transaction is what sites pooling Django use; nothing else is changed
    # from the stock file: no ignore_startup_parameters, so a client sending `options` is refused.
    printf '"postgres" ""\n"sodarcache_reader" ""\n"sodarcache_deleter" ""\n' >"$dir/pgbouncer-users.txt"
    {
        echo "[databases]"
        echo "* = host=$dir port=5432"
        echo "[pgbouncer]"
        echo "logfile = $dir/pgbouncer.log"
        echo "pidfile = $dir/pgbouncer.pid"
        echo "listen_addr ="
        echo "listen_port = 6432"
        echo "unix_socket_dir = $dir"
        echo "auth_type = trust"
        echo "auth_file = $dir/pgbouncer-users.txt"
        echo "pool_mode = transaction"
        echo "max_client_conn = 400"
        echo "default_pool_size = 20"
    } >"$dir/pgbouncer.ini"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir/pgbouncer.ini" "$dir/pgbouncer-users.txt"
    as_owner "$bouncer" -d "$dir/pgbouncer.ini" >/dev/null 2>&1 || { cat "$dir/pgbouncer.log" >&2; exit 1; }
    for _ in $(seq 1 100); do [ -S "$dir/.s.PGSQL.6432" ] && break; sleep 0.1; done
    [ -S "$dir/.s.PGSQL.6432" ] || { echo "pg-cluster: pgbouncer did not start" >&2; cat "$dir/pgbouncer.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$dir&port=6432&user=postgres"
    ;;
stop)
    if [ -f "$dir/pgbouncer.pid" ]; then kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; fi
    if [ -d "$dir/data" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|restart|stop DIR" >&2; exit 64 ;;
esac
