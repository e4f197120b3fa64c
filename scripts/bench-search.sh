#!/usr/bin/env bash
# Search side by side, in one run: Meilisearch's own search route, our search page on
# Meilisearch, and our search page on PostgreSQL, for the same 16 rotating queries with the
# same five facets, no result cache, at 1 and 16 clients. Prints a Markdown table for
# docs/PERFORMANCE.md.
#   scripts/bench-search.sh path/to/release/server [products]   (default 100000)
#   BENCH_DURATION (default 15s) per run; BENCH_CONNECTIONS (default "1 16");
#   BENCH_TARGETS (default "raw meilisearch postgres"): which rows to run;
#   BENCH_ROUNDS (default 3): the targets take turns, round after round, so a busy moment on
#   the machine lands on one round of each instead of on one target;
#   BENCH_FACET_ROUNDS (default 5; 0 skips): then time each facet on each engine in turn
#   (`server facet-costs`, one search at a time).
#   BENCH_PER_QUERY=1: then each query alone at one client, Meilisearch's route beside our
#   page on Meilisearch (BENCH_PER_QUERY_DURATION, default 3s each).
# Meilisearch is a private one (scripts/with-meilisearch.sh: MEILISEARCH_BIN or
# ../shared/tools/meilisearch); the catalog is the bench database of scripts/bench.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
server=$(realpath "${1:?usage: scripts/bench-search.sh path/to/server [products]}")
products=${2:-100000}
if [ -z "${MEILISEARCH_TEST_URL:-}" ]; then
  MEILISEARCH_REQUIRED=1 exec scripts/with-meilisearch.sh "$0" "$server" "$products"
fi
duration=${BENCH_DURATION:-15s}
read -r -a connections <<<"${BENCH_CONNECTIONS:-1 16}"
targets=" ${BENCH_TARGETS:-raw meilisearch postgres} "
facet_rounds=${BENCH_FACET_ROUNDS:-5}
rounds=${BENCH_ROUNDS:-3}
port=${BENCH_PORT:-3200}
base="http://127.0.0.1:$port"
meili=$MEILISEARCH_TEST_URL
key=$MEILISEARCH_TEST_API_KEY
index=bench

scripts/apt-install.sh wrk >&2
export LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_ENV=PROD
export DATA_DIR="$root/.data/bench" RUST_LOG=warn APP_ENV=demo RUN_JOBS=false
export SEARCH_CACHE_TTL_SECS=0 MEILISEARCH_API_KEY=$key MEILISEARCH_INDEX=$index
work=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT

export DATABASE_URL
DATABASE_URL=$(scripts/pg.sh createdb "marketplace_bench_$products" 2>/dev/null)
"$server" migrate >/dev/null
count=$(psql "$DATABASE_URL" -Atqc "select count(*) from products")
if [ "$count" != "$products" ]; then
  echo "Seeding $products products..." >&2
  "$server" seed-demo --products "$products" --replace >&2
  psql "$DATABASE_URL" -qc "vacuum analyze" >/dev/null
  psql "$DATABASE_URL" -qc "checkpoint" >/dev/null
fi

started=$(date +%s.%N)
if [[ $targets == *" raw "* || $targets == *" meilisearch "* ]]; then
  MEILISEARCH_URL=$meili "$server" reindex >&2
else
  MEILISEARCH_URL="" "$server" reindex >&2
fi
built=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# The queries of scripts/bench.sh, typos included.
queries=(headphones "wirelss headphnes" tshrit "organic cotton t-shirt" candle "creme brulee" "sonic grove"
  "navy hoodie" "cast iron skillet" boots keybaord "rose gold" "yoga mat" backpak "noise cancelling headphones" lamp)
printf '%s\n' "${queries[@]}" >"$work/queries.txt"

# Meilisearch's own route: the text, 24 hits, the five facets the page counts.
cat >"$work/raw.lua" <<LUA
local bodies = {}
for line in io.lines("$work/queries.txt") do
  bodies[#bodies + 1] = '{"q":"' .. line .. '","limit":24,"attributesToRetrieve":["id"],'
    .. '"facets":["category_id","vendor_slug","price_bands","in_stock","stars"]}'
end
local headers = { ["Authorization"] = "Bearer $key", ["Content-Type"] = "application/json" }
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/indexes/$index/search", headers, bodies[i])
end
LUA
# Our search page.
cat >"$work/page.lua" <<LUA
local paths = {}
for line in io.lines("$work/queries.txt") do paths[#paths + 1] = "/search?q=" .. line:gsub(" ", "%%20") end
local i = 0
request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
LUA

# start_server ENGINE_URL PORT: our server on PORT, searching Meilisearch at ENGINE_URL (or
# PostgreSQL when empty); its pid is added to $pids.
start_server() {
  MEILISEARCH_URL=$1 LEPTOS_SITE_ADDR="127.0.0.1:$2" PUBLIC_URL="http://127.0.0.1:$2" \
    "$server" serve >"$work/server-$2.log" 2>&1 &
  pids="$pids $!"
  until curl -sf "http://127.0.0.1:$2/readyz" >/dev/null; do sleep 0.05; done
  # Each query once, so no run starts cold.
  local q
  while read -r q; do curl -s -o /dev/null "http://127.0.0.1:$2/search?q=${q// /%20}"; done <"$work/queries.txt"
}

# run NAME SCRIPT URL CLIENTS ROUND: one wrk run, one table row.
run() {
  wrk -t1 -c"$4" -d"$duration" --latency -s "$2" "$3" >"$work/wrk.txt" 2>&1 || true
  echo "| $5 | $1 | $4 | $(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt") | $(awk '$1 == "50%" {print $2}' "$work/wrk.txt") | $(awk '$1 == "99%" {print $2}' "$work/wrk.txt") | $(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' "$work/wrk.txt") |"
}

echo "$(nproc) cores; $products products; Meilisearch $("${MEILISEARCH_BIN:-$root/../shared/tools/meilisearch}" --version | awk '{print $NF}') index built in ${built} s (\`server reindex\`, documents and vocabulary included); no result cache; wrk -t1, ${duration} per run, ${#queries[@]} rotating queries; ${rounds} round(s), the targets taking turns."
echo
# Both servers run throughout (the idle one costs nothing), so the targets can take turns: a
# busy moment on the machine then lands on one round of each rather than on one target.
[[ $targets == *" meilisearch "* ]] && start_server "$meili" "$port"
[[ $targets == *" postgres "* ]] && start_server "" "$((port + 1))"
echo "| round | target | clients | requests/s | p50 | p99 | errors |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for ((round = 1; round <= rounds; round++)); do
  for c in "${connections[@]}"; do
    [[ $targets == *" raw "* ]] && run "Meilisearch's search route (24 hits, 5 facets)" "$work/raw.lua" "$meili" "$c" "$round"
    [[ $targets == *" meilisearch "* ]] && run "our /search page on Meilisearch" "$work/page.lua" "$base" "$c" "$round"
    [[ $targets == *" postgres "* ]] && run "our /search page on PostgreSQL" "$work/page.lua" "http://127.0.0.1:$((port + 1))" "$c" "$round"
  done
done
if [ "${BENCH_PER_QUERY:-0}" = 1 ] && [[ $targets == *" raw "* && $targets == *" meilisearch "* ]]; then
  echo
  echo "| query | Meilisearch's route: mean | our page: mean | page − route |"
  echo "|---|---:|---:|---:|"
  # mean QUERY_LUA URL: wrk's mean latency in ms for one query at one client.
  mean() {
    wrk -t1 -c1 -d"${BENCH_PER_QUERY_DURATION:-3s}" -s "$1" "$2" >"$work/wrk.txt" 2>&1 || true
    awk '$1 == "Latency" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else v = v * 1000; printf "%.2f", v }' "$work/wrk.txt"
  }
  for q in "${queries[@]}"; do
    sed "s|io.lines(\"$work/queries.txt\")|io.lines(\"$work/one.txt\")|" "$work/raw.lua" >"$work/raw-one.lua"
    sed "s|io.lines(\"$work/queries.txt\")|io.lines(\"$work/one.txt\")|" "$work/page.lua" >"$work/page-one.lua"
    printf '%s\n' "$q" >"$work/one.txt"
    route=$(mean "$work/raw-one.lua" "$meili")
    page=$(mean "$work/page-one.lua" "$base")
    echo "| $q | $route ms | $page ms | $(awk -v a="$page" -v b="$route" 'BEGIN { printf "%+.2f ms", a - b }') |"
  done
fi
if [[ $targets == *" meilisearch "* ]]; then
  echo
  echo "Searches the page on Meilisearch left to PostgreSQL during its runs: $(curl -s "$base/readyz" | sed -n 's/.*"fallbacks":\([0-9]*\).*/\1/p')."
fi
for p in $pids; do kill "$p"; wait "$p" 2>/dev/null || true; done
pids=""
if [ "$facet_rounds" -gt 0 ]; then
  for engine in meilisearch postgres; do
    [[ $targets == *" $engine "* ]] || continue
    url=""
    [ "$engine" = meilisearch ] && url=$meili
    echo
    MEILISEARCH_URL=$url "$server" facet-costs --rounds "$facet_rounds" "${queries[@]}"
  done
fi
