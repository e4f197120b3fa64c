#!/usr/bin/env bash
# Load-tests the release build on 127.0.0.1 with wrk and prints Markdown tables for
# docs/PERFORMANCE.md. Usage: scripts/bench.sh path/to/release/server [products...]
#   BENCH_DURATION (default 15s) per run; BENCH_CONNECTIONS (default "1 64 256").
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

scripts/apt-install.sh wrk
export LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD
export DATA_DIR="$root/.data/bench" RUST_LOG=warn PUBLIC_URL="$base"
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT

echo "## Machine"
echo
echo "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); wrk and the server share the machine."
echo

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
  fi

  start=$(date +%s.%N)
  "$server" serve >"$work/server.log" 2>&1 &
  pid=$!
  until curl -sf "$base/readyz" >/dev/null; do sleep 0.02; done
  ready=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')

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
  for target in "home:/" "category:/c/clothing" "category, filtered page 3:/c/electronics?sort=price-asc&in_stock=1&page=3" "product (1,000 random):random"; do
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
  kill "$pid"
  wait "$pid" 2>/dev/null || true
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
