#!/usr/bin/env bash
# Measures the operators' overview at scale: seeds the demo catalogue, writes N paid orders
# spread over 120 days (default 100,000) straight into the database, times the rollups (the
# first full build and a minute's refresh), then runs the overview's own queries for the last
# 30 and 90 days with pgbench and prints p50/p99, then exports two reports over the whole
# span (`server export`) and prints their time, size and peak memory. Usage:
#   scripts/bench-overview.sh path/to/server [orders]
# Runs on the test cluster (scripts/pg.sh) in a database of its own, marketplace_bench_stats.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
server=${1:?usage: scripts/bench-overview.sh path/to/server [orders]}
orders=${2:-100000}
clients=${BENCH_CLIENTS:-4}
duration=${BENCH_SECONDS:-20}
export DATABASE_URL=$(PG_CLUSTER=test scripts/pg.sh recreatedb marketplace_bench_stats)
export APP_ENV=demo DATA_DIR="$root/.data/bench-stats" RUST_LOG=warn
bin=$(PG_CLUSTER=test scripts/pg.sh bin)
psql() { "$bin/psql" "$DATABASE_URL" -v ON_ERROR_STOP=1 -q "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$server" migrate >/dev/null
"$server" seed-demo --products 2000 >/dev/null
start=$(date +%s.%N)
psql -v orders="$orders" -f scripts/bench/paid-orders.sql
echo "wrote $orders paid orders in $(echo "$(date +%s.%N) - $start" | bc) s"
psql -c "select count(*) as orders, min(paid_at)::date as first, max(paid_at)::date as last from orders"

timed() { # label, SQL
  local t0 t1
  t0=$(date +%s.%N); psql -c "$2" >/dev/null; t1=$(date +%s.%N)
  printf '%s: %.0f ms\n' "$1" "$(echo "($t1 - $t0) * 1000" | bc)"
}
timed "rollups built from nothing" "select refresh_daily_stats((select min(paid_at)::date from orders))"
timed "a minute's refresh (yesterday and today)" "select refresh_daily_stats(current_date - 1)"

for days in 30 90; do
  sed "s/:days/$days/g" scripts/bench/overview.sql > "$work/overview-$days.sql"
  "$bin/pgbench" "$DATABASE_URL" -n -f "$work/overview-$days.sql" -c "$clients" -j 2 -T "$duration" \
    -l --log-prefix="$work/log-$days" >"$work/out-$days" 2>&1 || { cat "$work/out-$days"; exit 1; }
  cat "$work"/log-"$days".* | awk '{print $3}' | sort -n > "$work/lat-$days"
  n=$(wc -l <"$work/lat-$days")
  p50=$(sed -n "$(( (n + 1) / 2 ))p" "$work/lat-$days")
  p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/lat-$days")
  tps=$(grep -o 'tps = [0-9.]*' "$work/out-$days" | head -n 1)
  printf 'overview, last %s days, %s clients: %s overviews, %s, p50 %.1f ms, p99 %.1f ms\n' \
    "$days" "$clients" "$n" "$tps" "$(echo "$p50 / 1000" | bc -l)" "$(echo "$p99 / 1000" | bc -l)"
done

# A report of every paid order (one row each) over the whole span, streamed to a file: its time,
# its size and the exporting process's peak memory, which must not grow with the rows.
first=$(psql -At -c "select min(paid_at)::date from orders")
last=$(psql -At -c "select max(paid_at)::date from orders")
for report in orders.csv sales-by-day.csv; do
  /usr/bin/time -f "%e %M" -o "$work/time-$report" "$server" export "$report" --from "$first" --to "$last" >"$work/$report"
  read -r seconds peak <"$work/time-$report"
  printf '%s, %s to %s: %s rows, %s MB in %s s, peak memory %s MB\n' "$report" "$first" "$last" \
    "$(( $(wc -l <"$work/$report") - 1 ))" "$(( $(stat -c %s "$work/$report") / 1048576 ))" "$seconds" "$(( peak / 1024 ))"
done
