#!/usr/bin/env bash
# Load-tests the release build on 127.0.0.1 with wrk and prints Markdown tables for
# docs/PERFORMANCE.md. Usage: scripts/bench.sh path/to/release/server [products...]
#   BENCH_DURATION (default 15s) per run; BENCH_CONNECTIONS (default "1 64 256");
#   BENCH_PAGES=0, BENCH_SEARCH=0 or BENCH_CHECKOUT=0 skip the page, search or checkout runs.
#   The checkout run gives its variants a huge stock in the bench database it uses.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
server=${1:?usage: scripts/bench.sh path/to/server [products...]}
shift
catalogs=("${@:-2000 100000}")
read -r -a catalogs <<<"${catalogs[*]}"
duration=${BENCH_DURATION:-15s}
read -r -a connections <<<"${BENCH_CONNECTIONS:-1 64 256}"
port=${BENCH_PORT:-3200}
base="http://127.0.0.1:$port"

scripts/apt-install.sh wrk time
export LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD
export DATA_DIR="$root/.data/bench" RUST_LOG=warn PUBLIC_URL="$base"
# Background jobs run elsewhere (RUN_JOBS=false): the bench database keeps every run's unpaid
# orders, and the expiry job would otherwise spend later runs expiring earlier runs' orders.
export RUN_JOBS=false
# Demo mode: the bench seeds demo data and pays with the test provider.
export APP_ENV=demo
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

echo "## Machine"
echo
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); wrk and the server share the machine."
echo

start_server() {
  local started=$(date +%s.%N)
  "$server" serve >"$work/server.log" 2>&1 &
  pid=$!
  until curl -sf "$base/readyz" >/dev/null; do sleep 0.02; done
  ready=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
}

# CPU time in clock ticks used so far by the server, and by the whole machine (every core's
# user, nice, system, irq and softirq time). The machine's share minus the server's and wrk's
# is PostgreSQL's, give or take a little background noise: counting PostgreSQL's processes
# themselves misses the connections that come and go during a run.
cpu_ticks() {
  echo "$(awk '{print $14 + $15}' "/proc/$pid/stat") $(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8}' /proc/stat)"
}

# run_wrk ARGS...: wrk into $work/wrk.txt, and into $cpu the CPU milliseconds per request spent
# in the server and in the rest of the machine apart from wrk (PostgreSQL) during the run.
run_wrk() {
  local before after wrk_ms
  before=$(cpu_ticks)
  /usr/bin/time -f %e-%U-%S -o "$work/wrk.time" wrk "$@" >"$work/wrk.txt" 2>&1 || true
  after=$(cpu_ticks)
  wrk_ms=$(awk -F- '{print ($2 + $3) * 1000}' "$work/wrk.time")
  cpu=$(awk -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" -v w="$wrk_ms" '
    /requests in/ { n = $1 }
    END { split(b, x, " "); split(a, y, " "); server = (y[1] - x[1]) * 1000 / hz;
          if (n > 0) printf "%.2f / %.2f", server / n, ((y[2] - x[2]) * 1000 / hz - server - w) / n }' "$work/wrk.txt")
}

stop_server() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

# Search and autocomplete: 16 clients cycling through fixed lists that include typos.
queries=(headphones "wirelss headphnes" tshrit "organic cotton t-shirt" candle "creme brulee" "sonic grove"
  "navy hoodie" "cast iron skillet" boots keybaord "rose gold" "yoga mat" backpak "noise cancelling headphones" lamp)
prefixes=(he hea head headp headph wi wir wirel tsh tshr ca can cand so son soni yo yog bo boo ke key keyb cr cre crem)

# $1 names the run (cached or not); $2 is its length (default BENCH_DURATION).
search_bench() {
  printf '%s\n' "${queries[@]}" >"$work/queries.txt"
  printf '%s\n' "${prefixes[@]}" >"$work/prefixes.txt"
  echo "| endpoint ($1) | requests/s | p50 | p99 | CPU ms per request: server / PostgreSQL |"
  echo "|---|---:|---:|---:|---:|"
  for kind in search suggest; do
    local list=$work/queries.txt path=/search?q=
    if [ "$kind" = suggest ]; then list=$work/prefixes.txt path=/api/suggest?q=; fi
    cat >"$work/$kind.lua" <<LUA
local items = {}
for line in io.lines("$list") do items[#items + 1] = line:gsub(" ", "%%20") end
local i = 0
request = function() i = i % #items + 1; return wrk.format("GET", "$path" .. items[i]) end
LUA
    # Every query once first: the first request of each is a miss that takes as long as the
    # uncached run, and that cold start is not the steady state being measured.
    local item
    while read -r item; do curl -s -o /dev/null "$base$path${item// /%20}"; done <"$list"
    run_wrk -t2 -c16 -d"${2:-$duration}" --latency -s "$work/$kind.lua" "$base"
    echo "| $kind (16 clients, ${#queries[@]} queries / ${#prefixes[@]} prefixes) | $(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") | $(awk '$1 == "50%" {print $2}' "$work/wrk.txt") | $(awk '$1 == "99%" {print $2}' "$work/wrk.txt") | $cpu |"
  done
  echo
}

# Add to cart and place order (test provider): 32 clients, each request as one of 128 guest
# buyers (own session, cart and checkout details), made with curl first.
checkout_bench() {
  psql "$DATABASE_URL" -Atqc "with picked as (
        select v.id from variants v join products p on p.id = v.product_id join vendors ven on ven.id = p.vendor_id
        where p.status = 'active' and ven.status = 'approved' order by v.sku limit 500)
      update variants set stock_on_hand = 1000000000 where id in (select id from picked)" >/dev/null
  psql "$DATABASE_URL" -Atqc "select sku from variants where stock_on_hand = 1000000000 order by sku" >"$work/skus.txt"
  # Two shops' stocked variants: buyer i's checkout holds one of each (spread over many rows).
  psql "$DATABASE_URL" -Atqc "with shops as (
        select p.vendor_id from variants v join products p on p.id = v.product_id
        where v.stock_on_hand = 1000000000 group by p.vendor_id order by count(*) desc limit 2)
      select string_agg(v.sku, ' ' order by v.sku) from variants v join products p on p.id = v.product_id
      where v.stock_on_hand = 1000000000 and p.vendor_id in (select vendor_id from shops) group by p.vendor_id" >"$work/pairs.txt"
  local first second
  read -r -a first <"$work/pairs.txt"
  read -r -a second < <(sed -n 2p "$work/pairs.txt")
  local json=(-s -o /dev/null -H "Origin: $base" -H "Content-Type: application/json")
  local address='{"full_name":"Load Test","line1":"1 Main St","city":"Austin","region":"TX","postal_code":"73301","country":"US"}'
  # make_buyers FILE: 128 guest sessions, each with a two-shop cart and checkout details.
  make_buyers() {
    : >"$1"
    for i in $(seq 0 127); do
      local jar=$work/jar$i
      rm -f "$jar"
      for sku in "${first[i % ${#first[@]}]}" "${second[i % ${#second[@]}]}"; do
        curl "${json[@]}" -b "$jar" -c "$jar" -d "{\"sku\":\"$sku\",\"quantity\":1}" "$base/api/cart/add"
      done
      curl "${json[@]}" -b "$jar" -c "$jar" -d "{\"details\":{\"email\":\"load$i@example.com\",\"address\":$address}}" \
        "$base/api/checkout/details"
      awk '$6 == "session" {print $7}' "$jar" >>"$1"
    done
  }
  for kind in cart place; do
    cat >"$work/$kind.lua" <<LUA
local buyers, skus = {}, {}
for line in io.lines("$work/buyers-$kind.txt") do buyers[#buyers + 1] = line end
for line in io.lines("$work/skus.txt") do skus[#skus + 1] = line end
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local i, adds = 0, {}
request = function()
  i = i + 1
  local buyer = (i * 7 + tid) % #buyers + 1
  local headers = { ["Cookie"] = "session=" .. buyers[buyer], ["Origin"] = "$base",
                    ["Content-Type"] = "application/json" }
  if "$kind" == "cart" then
    -- Each buyer adds to a cart of up to 8 lines, as shoppers do (not hundreds).
    adds[buyer] = (adds[buyer] or 0) + 1
    local sku = skus[(buyer * 8 + adds[buyer] % 8) % #skus + 1]
    return wrk.format("POST", "/api/cart/add", headers, '{"sku":"' .. sku .. '","quantity":1}')
  end
  return wrk.format("POST", "/api/checkout/place", headers, '{"key":"load-' .. tid .. '-' .. i .. '-' .. os.time() .. '"}')
end
LUA
  done
  echo "| operation (32 clients, 128 buyers) | requests/s | p50 | p99 | errors | CPU ms per request: server / PostgreSQL |"
  echo "|---|---:|---:|---:|---:|---:|"
  for kind in cart place; do
    # Fresh buyers for each run: the cart run leaves big carts behind.
    make_buyers "$work/buyers-$kind.txt"
    run_wrk -t2 -c32 -d"$duration" --latency -s "$work/$kind.lua" "$base"
    local name="add to cart"
    [ "$kind" = place ] && name="place order (2 vendors, test provider)"
    echo "| $name | $(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") | $(awk '$1 == "50%" {print $2}' "$work/wrk.txt") | $(awk '$1 == "99%" {print $2}' "$work/wrk.txt") | $(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' "$work/wrk.txt") | $cpu |"
  done
  echo
}

# The least a search on PostgreSQL's full-text index costs: find every product that matches and
# visit its row, here only to count it (no ranking, no facets, no page). pgbench runs it for
# the same queries, read as the engine reads them (`server explain-search`), with the same 16
# clients and no HTTP server or wrk beside it.
match_floor() {
  local i=0 tsq seconds=${duration%s} scripts=() quote="'"
  case "$duration" in *m) seconds=$(( ${duration%m} * 60 )) ;; esac
  for query in "${queries[@]}"; do
    i=$((i + 1))
    tsq=$("$server" explain-search "$query" | sed -n 's/^tsquery: //p')
    echo "select count(*) from products p where p.status = 'active' and p.price_min is not null
            and p.search_document @@ to_tsquery('marketplace', '${tsq//$quote/$quote$quote}');" >"$work/floor$i.sql"
    scripts+=(-f "$work/floor$i.sql")
  done
  local pgbench
  pgbench=$(scripts/pg.sh bin)/pgbench
  (cd "$work" && "$pgbench" -n -M prepared -c 16 -j 2 -T "$seconds" -l --log-prefix=floor "${scripts[@]}" "$DATABASE_URL" >"$work/pgbench.txt" 2>&1)
  # Each log line: client, transaction, latency (µs), script, epoch seconds, µs.
  cat "$work"/floor.* | awk '{print $3}' | sort -n >"$work/floor.txt"
  local n tps
  n=$(wc -l <"$work/floor.txt")
  tps=$(awk '/^tps/ {printf "%.0f", $3}' "$work/pgbench.txt")
  echo "| floor: count the matches, nothing else | requests/s | p50 | p99 |"
  echo "|---|---:|---:|---:|"
  echo "| pgbench, 16 clients, ${#queries[@]} queries | $tps | $(awk -v n="$n" 'NR == int(n * 0.5) + 1 {printf "%.1fms", $1 / 1000}' "$work/floor.txt") | $(awk -v n="$n" 'NR == int(n * 0.99) + 1 {printf "%.1fms", $1 / 1000}' "$work/floor.txt") |"
  echo
}

index_report() {
  local started=$(date +%s.%N)
  "$server" reindex >/dev/null
  echo "Index rebuild (\`server reindex\`: documents + vocabulary): $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
  psql "$DATABASE_URL" -Atqc "select 'Index size: GIN ' || pg_size_pretty(pg_relation_size('products_search_idx'))
      || ', documents ' || pg_size_pretty(sum(pg_column_size(search_document))::bigint)
      || ', vocabulary ' || pg_size_pretty(pg_total_relation_size('search_terms'))
      || ' (' || (select count(*) from search_terms) || ' terms)' from products"
  echo
}

for products in "${catalogs[@]}"; do
  db="marketplace_bench_$products"
  export DATABASE_URL
  DATABASE_URL=$(scripts/pg.sh createdb "$db" 2>/dev/null)
  "$server" migrate >/dev/null
  count=$(psql "$DATABASE_URL" -Atqc "select count(*) from products" 2>/dev/null || echo 0)
  if [ "$count" != "$products" ]; then
    echo "Seeding $products products..." >&2
    "$server" seed-demo --products "$products" --replace >&2
    psql "$DATABASE_URL" -qc "vacuum analyze" >/dev/null
    # Write the seeded pages out now rather than during the runs.
    psql "$DATABASE_URL" -qc "checkpoint" >/dev/null
  fi

  start_server

  psql "$DATABASE_URL" -Atqc "select '/p/' || p.slug from products p join vendors v on v.id = p.vendor_id
      where p.status = 'active' and v.status = 'approved' order by md5(p.slug) limit 1000" >"$work/products.txt"
  cat >"$work/random.lua" <<LUA
local paths = {}
for line in io.lines("$work/products.txt") do paths[#paths + 1] = line end
math.randomseed(7)
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
LUA
  echo "## $products products"
  echo
  echo "Cold start (process start to /readyz answering 200): ${ready}s"
  echo
  echo "| page | connections | requests/s | p50 | p99 | errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  targets=("home:/" "category:/c/clothing" "category, filtered page 3:/c/electronics?sort=price-asc&in_stock=1&page=3" "product (1,000 random):random")
  [ "${BENCH_PAGES:-1}" = 1 ] || targets=()
  for target in "${targets[@]}"; do
    name=${target%%:*}
    path=${target#*:}
    for c in "${connections[@]}"; do
      threads=$(( c < 2 ? 1 : 2 ))
      args=(-t"$threads" -c"$c" -d"$duration" --latency)
      if [ "$path" = random ]; then args+=(-s "$work/random.lua" "$base"); else args+=("$base$path"); fi
      wrk "${args[@]}" >"$work/wrk.txt" 2>&1 || true
      rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
      p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
      p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
      errors=$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' "$work/wrk.txt")
      echo "| $name | $c | ${rps:-?} | ${p50:-?} | ${p99:-?} | ${errors:-0} |"
    done
  done
  echo
  if [ "${BENCH_CHECKOUT:-1}" = 1 ]; then
    checkout_bench
  fi
  if [ "${BENCH_SEARCH:-1}" = 1 ]; then
    # 45 s: every entry turns stale (30 s) part-way through and is reloaded under load.
    search_bench "result cache on, 30 s" 45s
    stop_server
    SEARCH_CACHE_TTL_SECS=0 start_server
    search_bench "result cache off"
    match_floor
    index_report
  fi
  stop_server
done

echo "## Storefront assets (release build)"
echo
echo "| file | raw | gzip -9 | brotli (q11) |"
echo "|---|---:|---:|---:|"
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  [ -f "$f" ] || continue
  case "$f" in *.br|*.gz) continue ;; esac
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  br=$(node -e "const z=require('zlib');process.stdout.write(String(z.brotliCompressSync(require('fs').readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))" "$f")
  echo "| $(basename "$f") | $raw | $gz | $br |"
done
