#!/usr/bin/env bash
# A PostgreSQL server for developing against the shared audit ledger (the tests start their own; they need only the
# binaries). `make postgres-up` installs Debian's postgresql when it is missing (and prometheus, for promtool), starts
# a cluster of its own in .postgres/ on 127.0.0.1 (PGPORT, default 55432) and prints the operator's --ledger URL;
# `make postgres-down` stops it. Under root the server runs as the 'postgres' user: PostgreSQL refuses root.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/.postgres"
# The port of the first start is kept, so later commands find the same server.
port="${PGPORT:-$(cat "$dir/port" 2>/dev/null || echo 55432)}"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_server() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

case "${1:-}" in
  up)
    if [ -z "$(bindir)" ] || ! command -v promtool >/dev/null 2>&1; then
      sudo_if_needed apt-get update -qq
      sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql prometheus
    fi
    bin="$(bindir)"
    if [ ! -d "$dir/data" ]; then
      mkdir -p "$dir"
      head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/password"
      echo "$port" > "$dir/port"
      chmod 700 "$dir"
      [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
      as_server "$bin/initdb" -D "$dir/data" -U apikey --pwfile "$dir/password" --auth scram-sha-256 -E UTF8 --locale C >/dev/null
    fi
    if ! as_server "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start >/dev/null
    fi
    password="$(cat "$dir/password")"
    export PGPASSWORD="$password"
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U apikey -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'apikey'" | grep -q 1; then
      "$bin/psql" -h 127.0.0.1 -p "$port" -U apikey -d postgres -qc "CREATE DATABASE apikey" >/dev/null
    fi
    echo "PostgreSQL is up on 127.0.0.1:$port (data in .postgres/; make postgres-down stops it). Run the operator with:"
    echo "  --ledger=postgres://apikey:$password@127.0.0.1:$port/apikey"
    ;;
  down)
    bin="$(bindir)"
    if [ -n "$bin" ] && [ -d "$dir/data" ] && as_server "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
      echo "PostgreSQL stopped (data kept in .postgres/; delete it to start afresh)"
    else
      echo "PostgreSQL is not running"
    fi
    ;;
  *)
    echo "usage: hack/postgres.sh up|down" >&2
    exit 2
    ;;
esac
