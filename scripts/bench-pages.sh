#!/usr/bin/env bash
# The product page for a visitor without a session (sent from memory) against nginx sending
# the same bytes from a file, and against the page rendered for a visitor with a session; one
# run, wrk -t1 -c32 each, on the release build. Prints a Markdown table for PERFORMANCE.md.
#   scripts/bench-pages.sh path/to/release/server [seconds (15)]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
server=$(realpath "${1:?usage: $0 path/to/release/server [seconds]}")
seconds=${2:-15}
port=${BENCH_PORT:-3400}
nginx_port=$((port + 1))
work=$root/.data/bench-pages
rm -rf "$work"
mkdir -p "$work/www/p"
scripts/apt-install.sh wrk nginx

export DATABASE_URL
DATABASE_URL=$(scripts/pg.sh createdb marketplace_pages 2>/dev/null)
export APP_ENV=demo RUN_JOBS=false RUST_LOG=warn DATA_DIR=$work/data LEPTOS_SITE_ADDR=127.0.0.1:$port \
  PUBLIC_URL=http://127.0.0.1:$port
"$server" migrate >/dev/null
psql() { "$(scripts/pg.sh bin)/psql" -X -Atq "$DATABASE_URL" "$@"; }
[ "$(psql -c "select count(*) from products")" != 0 ] || "$server" seed-demo >/dev/null
slug=$(psql -c "select slug from products where status = 'active' order by slug limit 1")

"$server" serve >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.1; done

# The same bytes nginx will send: the page as kept for a visitor without a session.
curl -sf "http://127.0.0.1:$port/p/$slug" -o "$work/www/p/$slug"
curl -sf "http://127.0.0.1:$port/p/$slug" -D "$work/headers.txt" -o /dev/null
grep -qi '^x-page-cache: hit' "$work/headers.txt" || { echo "the page was not kept" >&2; exit 1; }
# A session of its own for the rendered runs: a cart with something in it.
sku=$(psql -c "select v.sku from variants v join products p on p.id = v.product_id where p.slug = '$slug' limit 1")
curl -sf -c "$work/jar" -H "Origin: http://127.0.0.1:$port" -H 'Content-Type: application/json' \
  -d "{\"sku\":\"$sku\",\"quantity\":1}" "http://127.0.0.1:$port/api/cart/add" >/dev/null
session=$(awk '$6 == "session" { print $7 }' "$work/jar")

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  default_type text/html;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" -g "user root;"

run() {
  local name=$1 url=$2
  shift 2
  local out
  out=$(wrk -t1 -c32 -d"${seconds}s" --latency "$@" "$url")
  local rps p99
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  echo "| $name | $rps | $p99 |"
}
echo "$(nproc) cores; product page $(stat -c %s "$work/www/p/$slug") bytes; wrk -t1 -c32, ${seconds} s each, wrk, nginx (a worker per core) and the server on the same machine."
echo
echo "| target | requests/s | p99 |"
echo "|---|---:|---:|"
run "nginx, the page from a file" "http://127.0.0.1:$nginx_port/p/$slug"
run "our product page, no session (kept)" "http://127.0.0.1:$port/p/$slug"
run "our product page, no session, brotli (kept)" "http://127.0.0.1:$port/p/$slug" -H 'Accept-Encoding: br'
run "our product page, with a session (rendered)" "http://127.0.0.1:$port/p/$slug" -H "Cookie: session=$session"
