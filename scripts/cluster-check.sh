#!/usr/bin/env bash
# Two instances behind nginx on one database, tried for real on loopback: the nginx site and
# the systemd unit in deploy/, TLS with HTTP/2, compression, the client's address, sessions
# across instances (round-robin, no stickiness), one rate-limit budget for both, a CSV import's
# progress from either, a catalog change reaching both caches within a second, a PostgreSQL
# restart answered with 503 and recovered from without help, mail sent once, not twice, and a
# streaming replica taking the storefront's reads.
#   scripts/cluster-check.sh SERVER_BINARY
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
server=$(realpath "${1:?usage: $0 SERVER_BINARY}")
work=$root/.data/cluster
source "$root/scripts/lib/loopback.sh"
pg_port=$(free_port) a_port=$(free_port) b_port=$(free_port) http_port=$(free_port) https_port=$(free_port)
site=https://localhost:$https_port
fail() { echo "FAILED: $*" >&2; exit 1; }
step() { echo "cluster-check: $*"; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  PG_CLUSTER=test PG_DATA_DIR=$work/replica PG_PORT=${replica_port:-0} "$root/scripts/pg.sh" stop 2>/dev/null || true
  pg stop 2>/dev/null || true
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$work/nginx" "$work/data"

# 1. The systemd unit parses, every key known (verify only warns about unknown keys).
"$root/scripts/apt-install.sh" nginx
if command -v systemd-analyze >/dev/null; then
  sed "s#/usr/local/bin/marketplace#$server#" "$root/deploy/systemd/marketplace@.service" \
    >"$work/marketplace@3000.service"
  complaints=$(systemd-analyze verify "$work/marketplace@3000.service" 2>&1) || fail "systemd-analyze: $complaints"
  [ -z "$complaints" ] || fail "systemd-analyze: $complaints"
  step "systemd unit verified"
else
  echo "cluster-check: SKIPPED the systemd unit check (no systemd-analyze on this machine)"
fi

# 2. A database with the demo in it.
demo_database "$server"

# 3. Two instances sharing the database and the media directory, as the unit runs them.
start_instance() {
  LEPTOS_SITE_ADDR=127.0.0.1:$1 LEPTOS_SITE_ROOT=$work/site PUBLIC_URL=$site \
    TRUSTED_PROXIES=127.0.0.1 LOG_FORMAT=json RUST_LOG=info "$server" serve >"$work/instance-$1.log" 2>&1 &
  pids+=($!)
}
start_instance "$a_port"
start_instance "$b_port"
for port in "$a_port" "$b_port"; do
  for _ in $(seq 300); do ready "$port" && break; sleep 0.1; done
  ready "$port" || fail "instance $port never got ready: $(tail -n 5 "$work/instance-$port.log")"
done

# 4. nginx with the site from deploy/: its ports, upstreams and certificate replaced, IPv6
# listens dropped (loopback here may have none), an access log naming the instance that answered.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/nginx/key.pem" -out "$work/nginx/cert.pem" 2>/dev/null
sed -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
    -e '/listen \[::\]/d' \
    -e "s#server 127.0.0.1:3000;#server 127.0.0.1:$a_port;#" \
    -e "s#server 127.0.0.1:3001;#server 127.0.0.1:$b_port;#" \
    -e "s#/etc/letsencrypt/live/shop.example.com/fullchain.pem#$work/nginx/cert.pem#" \
    -e "s#/etc/letsencrypt/live/shop.example.com/privkey.pem#$work/nginx/key.pem#" \
    -e "s#shop.example.com#localhost#" \
    "$root/deploy/nginx/marketplace.conf" >"$work/nginx/site.conf"
grep -q "127.0.0.1:$a_port" "$work/nginx/site.conf" && grep -q "$work/nginx/cert.pem" "$work/nginx/site.conf" \
  || fail "the nginx site in deploy/ no longer has the lines this check replaces"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  log_format upstream '\$request_method \$uri \$status \$upstream_addr';
  access_log $work/nginx/access.log upstream;
  include $work/nginx/site.conf;
}
CONF
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "user root;"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "user root;"
served_by() { grep -F " $1 " "$work/nginx/access.log" | awk '{print $4}' | sort -u | tr '\n' ' '; }
both_served() {
  local seen
  seen=$(served_by "$1")
  [[ $seen == *":$a_port "* && $seen == *":$b_port "* ]] || fail "$1 was not answered by both instances: $seen"
}

# 5. TLS, HTTP/2, the redirect from plain HTTP, compression, /metrics kept inside.
https() { curl -sk --max-time 15 "$@"; }
[ "$(https -o /dev/null -w '%{http_version}' "$site/")" = 2 ] || fail "not HTTP/2 over TLS"
[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/x?y=1")" \
  = "301 https://127.0.0.1/x?y=1" ] || fail "plain HTTP does not redirect to HTTPS"
https -H 'Accept-Encoding: gzip' -D "$work/home.headers" -o /dev/null "$site/"
grep -qi '^content-encoding: gzip' "$work/home.headers" || fail "the home page is not compressed"
[ "$(https -o /dev/null -w '%{http_code}' "$site/metrics")" = 404 ] || fail "/metrics is reachable through nginx"
step "TLS with HTTP/2, redirect, gzip and a private /metrics through nginx"

# 6. A session made on one instance is known to both.
json=(-H "Origin: $site" -H "Content-Type: application/json")
login() {
  https -c "$2" -b "$2" "${json[@]}" -o /dev/null -w '%{http_code}' \
    -d "{\"email\":\"$1\",\"password\":\"demo-market-2026\",\"next\":\"\"}" "$site/api/account/login"
}
[ "$(login shopper@example.com "$work/shopper.jar")" = 200 ] || fail "the shopper could not sign in"
for _ in 1 2 3 4; do
  answer=$(https -b "$work/shopper.jar" -o "$work/account.html" -w '%{http_code}' "$site/account/security")
  [ "$answer" = 200 ] && grep -q "Sam Shopper" "$work/account.html" \
    || fail "an instance did not know the session (status $answer)"
done
both_served /account/security
step "sessions work on both instances"

# 7. One rate-limit budget for both, and the address nginx saw, whatever the client claims:
# ten password resets from one address pass (round-robin over both instances), the eleventh
# is refused although each claimed another address.
forgot() {
  https "${json[@]}" -H "X-Forwarded-For: 203.0.113.$2" -o /dev/null -w '%{http_code}' \
    -d "{\"email\":\"$1\"}" "$site/api/account/forgot"
}
[ "$(forgot shopper@example.com 1)" = 200 ] || fail "the shopper's password reset was refused"
for i in $(seq 2 10); do
  [ "$(forgot "nobody$i@example.com" "$i")" = 200 ] || fail "reset $i of 10 was refused"
done
[ "$(forgot nobody11@example.com 11)" = 429 ] || fail "an eleventh reset from one address was not refused"
both_served /api/account/forgot
step "one rate-limit budget across instances, forwarded addresses from clients ignored"

# 8. A vendor's CSV import through nginx: its progress from either instance, and the product
# it renames renamed on both instances' cached pages within a second.
[ "$(login owner@example.com "$work/owner.jar")" = 200 ] || fail "the shop owner could not sign in"
shop=$(psql_ "select v.slug from vendors v join vendor_members m on m.vendor_id = v.id
  join users u on u.id = m.user_id where u.email = 'owner@example.com' order by v.slug limit 1")
https -b "$work/owner.jar" -o "$work/products.csv" "$site/vendor/$shop/export/products.csv"
slug=$(python3 - "$work/products.csv" "$work/renamed.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
handle = rows[0]["handle"]
with open(sys.argv[2], "w", newline="") as out:
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    for row in rows:
        if row["handle"] == handle:
            row["title"] = "Renamed Across Instances"
        writer.writerow(row)
print(handle)
PY
)
page() { curl -s --max-time 10 "http://127.0.0.1:$1/p/$slug"; }
for port in "$a_port" "$b_port"; do
  page "$port" | grep -q "Renamed Across Instances" && fail "the product is renamed before the import"
  page "$port" >/dev/null  # cached now on both
done
token=$(cat /proc/sys/kernel/random/uuid)
[ "$(https -b "$work/owner.jar" -H "Origin: $site" -o /dev/null -w '%{http_code}' -F "progress_token=$token" \
  -F "file=@$work/renamed.csv;type=text/csv" "$site/vendor/$shop/upload/csv")" = 303 ] || fail "the import was refused"
renamed_at=$(date +%s.%N)
for port in "$a_port" "$b_port"; do
  until page "$port" | grep -q "Renamed Across Instances"; do
    python3 -c "import sys,time; sys.exit(time.time() - $renamed_at > 1)" \
      || fail "instance $port still shows the old title a second after the import"
    sleep 0.05
  done
done
for _ in 1 2 3 4; do
  https -b "$work/owner.jar" "$site/vendor/$shop/import/progress/$token" | grep -q '"stage":"done"' \
    || fail "an instance does not know the import's progress"
done
both_served "/vendor/$shop/import/progress/$token"
step "import progress on both instances; the renamed product on both within a second"

# 9. PostgreSQL restarts while both serve: not ready, 503 (not a hang) for what needs it, the
# session and everything else back without help.
pg stop
for port in "$a_port" "$b_port"; do
  for _ in $(seq 50); do ready "$port" || break; sleep 0.2; done
  ! ready "$port" || fail "instance $port still says ready without its database"
done
started=$(date +%s)
answer=$(https -b "$work/shopper.jar" -o /dev/null -w '%{http_code}' "$site/account/security")
[ "$answer" = 503 ] || fail "a page needing the database answered $answer while it was down"
[ $(( $(date +%s) - started )) -le 10 ] || fail "the 503 took longer than 10 seconds"
pg start
for port in "$a_port" "$b_port"; do
  for _ in $(seq 300); do ready "$port" && break; sleep 0.1; done
  ready "$port" || fail "instance $port did not recover after the database came back"
done
for _ in 1 2; do
  [ "$(https -b "$work/shopper.jar" -o /dev/null -w '%{http_code}' "$site/account/security")" = 200 ] \
    || fail "the session did not survive the database restart"
done
step "database restart: not ready, 503 within 10 s, both back by themselves"

# 10. Background jobs run once with two instances: an order placed and paid after the restart
# (its steps spread over both) gets one confirmation, and the reset one mail, never two.
sku=$(psql_ "select v.sku from variants v join products p on p.id = v.product_id
  join vendors s on s.id = p.vendor_id where p.status = 'active' and s.status = 'approved'
  and v.stock_on_hand > 5 order by v.sku limit 1")
jar=$work/buyer.jar
post() { https -c "$jar" -b "$jar" "${json[@]}" -d "$2" "$site/api/$1"; }
post cart/add "{\"sku\":\"$sku\",\"quantity\":1}" >/dev/null
post checkout/details '{"details":{"email":"cluster-buyer@example.com","address":{"full_name":"Cluster Buyer","line1":"1 Main St","city":"Austin","region":"TX","postal_code":"73301","country":"US"}}}' >/dev/null
placed=$(post checkout/place "{\"key\":\"$(cat /proc/sys/kernel/random/uuid)\"}")
number=$(sed -n 's/.*"number":\([0-9]*\).*/\1/p' <<<"$placed")
[ -n "$number" ] || fail "placing an order failed: $placed"
post checkout/pay_test "{\"number\":\"$number\",\"succeed\":true}" >/dev/null
[ "$(psql_ "select status from orders where number = $number")" = paid ] || fail "order $number is not paid"
mails() { grep -l "^To: .*$1" "$work/data/mail/"*.eml 2>/dev/null | wc -l; }
for _ in $(seq 150); do [ "$(mails cluster-buyer@example.com)" -ge 1 ] && break; sleep 0.2; done
# Long enough for both instances' mail job to have run (every 10 s) after the mail was queued.
sleep 11
[ "$(mails cluster-buyer@example.com)" = 1 ] || fail "the order confirmation was sent $(mails cluster-buyer@example.com) times"
[ "$(mails shopper@example.com)" = 1 ] || fail "the password reset was sent $(mails shopper@example.com) times"
step "order $number paid across both instances; each mail sent once"

# 11. A streaming replica (pg_basebackup -R) for the storefront's reads, on a third instance
# with catalog caching off so every page reads: pages are read from the replica, checkout
# writes to the primary, a change on the primary shows within a second, and when the replica
# goes away the pages come from the primary.
replica_port=$(free_port) c_port=$(free_port)
replica() { PG_CLUSTER=test PG_DATA_DIR=$work/replica PG_PORT=$replica_port "$root/scripts/pg.sh" "$@"; }
install -d -m 700 -o postgres -g postgres "$work/replica"
runuser -u postgres -- "$(pg bin)/pg_basebackup" -d "$(pg url postgres)" -D "$work/replica" -R -X stream \
  --checkpoint=fast 2>"$work/basebackup.log" || fail "pg_basebackup: $(cat "$work/basebackup.log")"
replica start
replica_url=$(replica url marketplace)
replica_reads() {
  runuser -u postgres -- "$(pg bin)/psql" -X -Atq "$replica_url" \
    -c "select xact_commit from pg_stat_database where datname = current_database()"
}
DATABASE_REPLICA_URL=$replica_url CATALOG_CACHE_TTL_SECS=0 start_instance "$c_port"
for _ in $(seq 300); do ready "$c_port" && break; sleep 0.1; done
c=http://127.0.0.1:$c_port
for _ in $(seq 100); do curl -s "$c/readyz" | grep -q '"replica":"ok"' && break; sleep 0.1; done
curl -s "$c/readyz" | grep -q '"replica":"ok"' || fail "the replica never kept up: $(curl -s "$c/readyz")"
before=$(replica_reads)
for _ in $(seq 20); do curl -sf -o /dev/null "$c/p/$slug" || fail "a product page failed with the replica"; done
# Backends report their counts to the statistics at most once a second.
for _ in $(seq 40); do [ $(( $(replica_reads) - before )) -ge 20 ] && break; sleep 0.1; done
[ $(( $(replica_reads) - before )) -ge 20 ] || fail "product pages were not read from the replica"
jar=$work/replica-buyer.jar
direct() { curl -s --max-time 15 -c "$jar" -b "$jar" -H "Origin: $c" -H "Content-Type: application/json" -d "$2" "$c/api/$1"; }
direct cart/add "{\"sku\":\"$sku\",\"quantity\":1}" >/dev/null
direct checkout/details '{"details":{"email":"replica-buyer@example.com","address":{"full_name":"Replica Buyer","line1":"1 Main St","city":"Austin","region":"TX","postal_code":"73301","country":"US"}}}' >/dev/null
placed=$(direct checkout/place "{\"key\":\"$(cat /proc/sys/kernel/random/uuid)\"}")
grep -q '"number"' <<<"$placed" || fail "checkout on the instance with a replica failed: $placed"
psql_ "update products set title = 'Renamed On The Primary' where slug = '$slug'"
changed_at=$(date +%s.%N)
until curl -s "$c/p/$slug" | grep -q "Renamed On The Primary"; do
  python3 -c "import sys,time; sys.exit(time.time() - $changed_at > 1)" \
    || fail "a change on the primary did not show within a second through the replica"
  sleep 0.05
done
replica stop
gone_at=$(date +%s)
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$c/p/$slug")" = 200 ] \
  && curl -s "$c/readyz" | grep -q '"replica":"behind"'; do
  [ $(( $(date +%s) - gone_at )) -le 5 ] || fail "pages did not fall back to the primary: $(curl -s "$c/readyz")"
  sleep 0.1
done
ready "$c_port" || fail "the instance went unready without its replica"
step "replica: pages read from it, checkout on the primary, changes within a second, fallback when it goes"
echo "cluster-check: two instances behind nginx passed every check"
