#!/usr/bin/env bash
# The product page with one database server against two (a streaming replica taking the
# storefront's reads), in one run on the release build. Catalog caching and kept pages are off,
# so every request reads the database: this measures what the replica takes off the primary,
# not the caches in front of it. Prints a Markdown table for docs/PERFORMANCE.md.
#   scripts/bench-replica.sh path/to/release/server [seconds (15)] [connections (32)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
server=$(realpath "${1:?usage: $0 path/to/release/server [seconds] [connections]}")
seconds=${2:-15}
connections=${3:-32}
work=$root/.data/bench-replica
# free_port, shared with the other loopback checks (its pg is replaced by this bench's own).
source "$root/scripts/lib/loopback.sh"
pg_port=$(free_port) replica_port=$(free_port) port=$(free_port)
pg() { PG_CLUSTER=test PG_DATA_DIR=$work/primary PG_PORT=$pg_port scripts/pg.sh "$@"; }
replica() { PG_CLUSTER=test PG_DATA_DIR=$work/replica PG_PORT=$replica_port scripts/pg.sh "$@"; }
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  replica stop 2>/dev/null || true
  pg stop 2>/dev/null || true
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$work/data"
scripts/apt-install.sh wrk

pg start >/dev/null
primary_url=$(pg createdb marketplace)
export DATABASE_URL=$primary_url APP_ENV=demo RUN_JOBS=false RUST_LOG=${RUST_LOG:-warn} DATA_DIR=$work/data \
  LEPTOS_SITE_ADDR=127.0.0.1:$port PUBLIC_URL=http://127.0.0.1:$port CATALOG_CACHE_TTL_SECS=0 PAGE_CACHE_TTL_SECS=0
"$server" migrate >/dev/null
"$server" seed-demo >/dev/null
psql() { runuser -u postgres -- "$(pg bin)/psql" -X -Atq "$@"; }
slugs=$(psql "$primary_url" -c "select slug from products where status = 'active' order by slug limit 64")

install -d -m 700 -o postgres -g postgres "$work/replica"
runuser -u postgres -- "$(pg bin)/pg_basebackup" -d "$(pg url postgres)" -D "$work/replica" -R -X stream \
  --checkpoint=fast 2>"$work/basebackup.log"
replica start >/dev/null
replica_url=$(replica url marketplace)

# Rotating product pages, each request a different one, through a wrk script.
lua=$work/products.lua
{
  echo "local paths = {"
  for slug in $slugs; do echo "  \"/p/$slug\","; done
  echo "}"
  echo "local i = 0"
  echo "request = function() i = i % #paths + 1; return wrk.format(\"GET\", paths[i]) end"
} >"$lua"

# CPU seconds a cluster's processes spent, from /proc (the postmaster's children included).
cluster_cpu() {
  local dir=$1 total=0 ticks
  ticks=$(getconf CLK_TCK)
  local leader
  leader=$(head -1 "$dir/postmaster.pid")
  for p in $leader $(pgrep -P "$leader"); do
    total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo $(( total * 100 / ticks ))
}

run() {
  local name=$1
  "$server" serve >"$work/server-$name.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.1; done
  if [ "$name" = two ]; then
    for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/readyz" | grep -q '"replica":"ok"' && break; sleep 0.1; done
    curl -s "http://127.0.0.1:$port/readyz" | grep -q '"replica":"ok"' || { echo "the replica never kept up" >&2; exit 1; }
  fi
  wrk -t1 -c"$connections" -d3s -s "$lua" "http://127.0.0.1:$port" >/dev/null
  local p_before r_before out
  p_before=$(cluster_cpu "$work/primary") r_before=$(cluster_cpu "$work/replica")
  out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port")
  local p_cpu r_cpu rps p99
  p_cpu=$(( $(cluster_cpu "$work/primary") - p_before )) r_cpu=$(( $(cluster_cpu "$work/replica") - r_before ))
  echo "$out" >"$work/wrk-$name.txt"
  # Errors and timeouts make the run's figures meaningless: said, not hidden.
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then echo "$name: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ')" >&2; fi
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  printf '| %s | %s | %s | %d.%02d s | %d.%02d s |\n' "$2" "$rps" "$p99" \
    $(( p_cpu / 100 )) $(( p_cpu % 100 )) $(( r_cpu / 100 )) $(( r_cpu % 100 ))
}

echo "$(nproc) cores; $(psql "$primary_url" -c "select count(*) from products") products; product pages rotating over 64;" \
  "catalog cache and kept pages off; wrk -t1 -c$connections, ${seconds} s each; server, both PostgreSQL servers and wrk on the same machine."
echo
echo "| database servers | requests/s | p99 | primary CPU | replica CPU |"
echo "|---|---:|---:|---:|---:|"
run one "one (primary)"
export DATABASE_REPLICA_URL=$replica_url
run two "two (primary + replica for reads)"
