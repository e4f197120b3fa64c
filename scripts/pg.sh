#!/usr/bin/env bash
# A private PostgreSQL cluster in a git-ignored directory, on its own port.
#   scripts/pg.sh start|stop|status|url [database]|createdb NAME|recreatedb NAME|bin
# PG_CLUSTER=run (default; durable) or test (throwaway settings), each on a port derived from its path.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cluster=${PG_CLUSTER:-run}
case "$cluster" in
  run) extra="" ;;
  test) extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" ;;
  *) echo "PG_CLUSTER must be run or test" >&2; exit 2 ;;
esac
data=${PG_DATA_DIR:-$root/.data/postgres-$cluster}
# Each data directory gets its own port, derived from its path, so clones side by side (and
# their run and test clusters) never collide. The ports lie below the kernel's ephemeral range
# (32768 and up), which it hands out to outgoing connections and to the checks' free ports:
# a port from there may be taken by the time the cluster starts. PG_PORT overrides.
derived_port=$(( 20000 + $(printf %s "$data" | cksum | cut -d" " -f1) % 12000 ))
port=${PG_PORT:-$derived_port}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "PostgreSQL server binaries not found; installing Debian's postgresql package..." >&2
    "$root/scripts/apt-install.sh" postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

# initdb refuses to run as root: the cluster then belongs to the postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Over the cluster's Unix socket when its path is plain and short enough for one (108 bytes):
# every query then skips loopback TCP, which costs both sides CPU. Otherwise TCP on 127.0.0.1.
url() {
  local socket=$data/.s.PGSQL.$port
  if [[ $data =~ ^/[A-Za-z0-9/._-]+$ ]] && [ ${#socket} -lt 108 ]; then
    echo "postgres://postgres@localhost/${1:-marketplace}?host=$data&port=$port"
  else
    echo "postgres://postgres@127.0.0.1:$port/${1:-marketplace}"
  fi
}

running() {
  [ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
  mkdir -p "$(dirname "$data")"
  if [ ! -f "$data/PG_VERSION" ]; then
    install -d -m 700 "$data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
    if ! as_owner test -w "$data"; then
      echo "The postgres user cannot write $data (a parent directory is private). Set PG_DATA_DIR." >&2
      exit 1
    fi
    echo "Creating a private PostgreSQL cluster in $data" >&2
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if running; then
    return 0
  fi
  # A stale pid file from a crash would block the start; pg_ctl status said it is not running.
  rm -f "$data/postmaster.pid"
  as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB $extra" \
    start >/dev/null || {
      echo "PostgreSQL did not start on port $port; see $data/server.log (PG_PORT picks another port)" >&2
      tail -n 5 "$data/server.log" >&2
      exit 1
    }
  echo "PostgreSQL ($cluster) listening on 127.0.0.1:$port" >&2
}

stop() {
  if running; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    echo "PostgreSQL ($cluster) stopped" >&2
  fi
}

# Creates the database if it does not exist.
createdb_if_missing() {
  local name=$1
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc \
      "select 1 from pg_database where datname = '$name'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
  fi
}

recreatedb() {
  local name=$1
  as_owner "$bin/dropdb" -h 127.0.0.1 -p "$port" -U postgres --if-exists --force "$name"
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
}

bin=$(pg_bin)
# A cluster already running (started when its port was derived otherwise) keeps its port.
if [ -z "${PG_PORT:-}" ] && running; then
  port=$(sed -n 4p "$data/postmaster.pid")
fi
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo running; else echo stopped; exit 1; fi ;;
  url) url "${2:-}" ;;
  bin) echo "$bin" ;;
  createdb) start; createdb_if_missing "${2:?database name}"; url "$2" ;;
  recreatedb) start; recreatedb "${2:?database name}"; url "$2" ;;
  *) echo "usage: $0 start|stop|status|url [db]|createdb db|recreatedb db|bin" >&2; exit 2 ;;
esac
