#!/usr/bin/env bash
# Many shoppers at once against the release build, with goose (scripts/load): each with its
# own connection, cookies and address, thinking 5-15 s between steps; 70 % browse, 15 % search,
# 10 % cart (half signed in), 5 % check out and pay. Prints goose's tables, the server's CPU per
# request and its largest RSS, for docs/PERFORMANCE.md.
#   scripts/bench-load.sh path/to/release/server [shoppers (10000)] [seconds (120)]
#   LOAD_RATE: shoppers started per second (default 200).
#   LOAD_VIA=nginx: the shoppers connect to nginx, which holds their connections and passes
#   requests on over a few kept-alive ones, as deployed (deploy/nginx); default: to the server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
server=$(realpath "${1:?usage: $0 path/to/release/server [shoppers] [seconds]}")
shoppers=${2:-10000}
seconds=${3:-120}
rate=${LOAD_RATE:-200}
port=${BENCH_PORT:-3300}
via=${LOAD_VIA:-direct}
base=http://127.0.0.1:$port
[ "$via" = nginx ] && base=http://127.0.0.1:$((port + 1))
work=$root/.data/load
mkdir -p "$work"
rm -f "$work/rss.txt" "$work/rss-peak.txt"

# Every shopper holds a connection: two file descriptors each on this machine (both ends).
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "file descriptors: $(ulimit -n)" >&2

# Its own target directory: its dependencies share nothing with the server's builds.
load_target=$HOME/.cache/marketplace/load-target
(cd scripts/load && CARGO_TARGET_DIR=$load_target cargo build --release --quiet)
load=$load_target/release/load

export DATABASE_URL
DATABASE_URL=$(scripts/pg.sh createdb marketplace_load 2>/dev/null)
psql() { "$(scripts/pg.sh bin)/psql" -X -Atq "$DATABASE_URL" "$@"; }
export APP_ENV=demo RUN_JOBS=true RUST_LOG=warn DATA_DIR=$work/data LEPTOS_SITE_ADDR=127.0.0.1:$port \
  PUBLIC_URL=$base TRUSTED_PROXIES=127.0.0.1
"$server" migrate >/dev/null
if [ "$(psql -c "select count(*) from products")" = 0 ]; then
  "$server" seed-demo >/dev/null
fi
# Accounts for the signed-in shoppers: the demo shopper's password, no per-account limit.
psql -c "insert into users (email, password_hash, name, email_verified_at, demo)
  select 'load' || g || '@example.com', (select password_hash from users where email = 'shopper@example.com'),
         'Load Shopper ' || g, now(), true
  from generate_series(1, 1000) g on conflict do nothing"
# Enough stock that the checkouts never run out during a run.
psql -c "update variants set stock_on_hand = 1000000 where stock_on_hand > 0"
psql -c "select json_build_object(
  'products', (select json_agg(slug) from (select p.slug from products p join vendors s on s.id = p.vendor_id
               where p.status = 'active' and s.status = 'approved' order by random() limit 500) p),
  'categories', (select json_agg(slug) from categories),
  'skus', (select json_agg(sku) from (select v.sku from variants v join products p on p.id = v.product_id
           join vendors s on s.id = p.vendor_id where p.status = 'active' and s.status = 'approved'
           and v.stock_on_hand > 0 order by random() limit 500) v),
  'queries', json_build_array('linen', 'mug', 'jacket', 'tee shirt', 'lamp', 'wool', 'candle', 'ceramic',
                              'backpack', 'headphones', 'notebook', 'yoga mat', 'cotton', 'leather', 'oak', 'tea'),
  'accounts', (select json_agg(email) from users where email like 'load%@example.com'))" >"$work/catalog.json"

"$server" serve >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.1; done
if [ "$via" = nginx ]; then
  scripts/apt-install.sh nginx
  mkdir -p "$work/nginx"
  # As deploy/nginx/marketplace.conf, without TLS, and passing on the address each simulated
  # shopper claims (the deployed site sets it from the connection instead): here every shopper
  # comes from 127.0.0.1, and the per-address limits would count them as one.
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile $(ulimit -n);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 30000; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  keepalive_timeout 75s;
  upstream marketplace { server 127.0.0.1:$port; keepalive 64; }
  server {
    listen 127.0.0.1:$((port + 1));
    location / {
      proxy_pass http://marketplace;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$http_x_forwarded_for;
    }
  }
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "user root;"
  until curl -sf "$base/readyz" >/dev/null; do sleep 0.1; done
fi

cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
# The server's largest resident memory, sampled every second.
(peak=0; while kill -0 "$pid" 2>/dev/null; do
   rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
   [ "${rss:-0}" -gt "$peak" ] && peak=$rss && echo "$peak" >"$work/rss-peak.txt"
   echo "$(date +%s) $rss" >>"$work/rss.txt"
   sleep 1; done) &
LOAD_CATALOG=$work/catalog.json LOAD_PASSWORD=demo-market-2026 "$load" --host "$base" \
  --users "$shoppers" --increase-rate "$rate" --run-time "${seconds}s" --no-granular-report \
  --report-file "$work/report.md" -q >"$work/goose.txt" 2>"$work/goose.err" &
goose=$!
# Goose resets its figures once every shopper has started; CPU is counted from then on too.
ramp=$(( shoppers / rate + 1 ))
sleep "$ramp"
cpu_start=$(cpu)
wait "$goose"
cpu_end=$(cpu)
ticks=$(getconf CLK_TCK)
# The requests of the measured part: the last table of requests, its "Aggregated" line.
requests=$(awk '/PER REQUEST METRICS/ { n = 0; found = 1 } found && /^ *Aggregated/ && !n++ { line = $0 }
  END { print line }' "$work/goose.txt" | awk -F'|' '{ print $2 }' | tr -d ', ')
cat "$work/goose.txt"
echo
echo "shoppers connected $via; server CPU over the measured ${seconds} s: $(( (cpu_end - cpu_start) / ticks )) s;" \
  "largest RSS $(( $(cat "$work/rss-peak.txt") / 1024 )) MB; requests counted by goose: ${requests:-see above}"
