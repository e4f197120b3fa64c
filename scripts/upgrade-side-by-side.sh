#!/usr/bin/env bash
# A rolling upgrade, run for real: the previous version serves a shop while this version's
# migrations are applied under it, then both versions serve the same database side by side,
# as they do while instances are replaced one at a time. What a shopper starts on one version
# must go on on the other: a session, a cart, a checkout, an order's payment and its mail
# (sent once, though both versions run the job queue). Both keep answering throughout, and
# neither logs an error.
#   scripts/upgrade-side-by-side.sh build                  (builds the previous version only)
#   scripts/upgrade-side-by-side.sh NEW_SERVER [OLD_SERVER]
# Without OLD_SERVER the previous version (the commit before the newest migration was added,
# or UPGRADE_FROM) is built from this clone's history, once: its binary is kept beside the
# build cache, by commit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/.data/upgrade-live
fail() { echo "upgrade-side-by-side: FAILED: $*" >&2; exit 1; }
step() { echo "upgrade-side-by-side: $*"; }

newest=$(git -C "$root" log -n 1 --diff-filter=A --format=%H -- 'migrations/*.up.sql')
from=$(git -C "$root" rev-parse -q --verify "${UPGRADE_FROM:-$newest^}^{commit}") \
  || fail "the previous version (${UPGRADE_FROM:-$newest^}) is not in this clone's history"

# The previous version's server, built in the same target directory as this version (the
# dependencies they share are not built again). That build leaves its binary where this
# version's was: it is copied out, and what was there is put back. Not to be run while
# something else starts the debug server.
previous_version() {
  local target=${CARGO_TARGET_DIR:?set CARGO_TARGET_DIR (the Makefile does)}
  local id kept src
  id=$(git -C "$root" rev-parse --short=12 "$from")
  kept=$(dirname "$target")/upgrade/server-$id
  if [ ! -x "$kept" ]; then
    src=$(dirname "$target")/upgrade/src-$id
    rm -rf "$src" && mkdir -p "$src"
    git -C "$root" archive "$from" | tar -x -C "$src"
    step "building the previous version ($(git -C "$root" log -1 --format='%h %ad' --date=short "$from"))" >&2
    [ ! -f "$target/debug/server" ] || cp "$target/debug/server" "$kept.was-there"
    (cd "$src" && cargo build -q -p server)
    cp "$target/debug/server" "$kept.tmp" && mv "$kept.tmp" "$kept"
    # A hard link to the previous version's build: replaced, not written through.
    rm -f "$target/debug/server"
    [ ! -f "$kept.was-there" ] || mv "$kept.was-there" "$target/debug/server"
    rm -rf "$src"
  fi
  echo "$kept"
}

if [ "${1:-}" = build ]; then
  previous_version >/dev/null
  exit 0
fi
new=$(realpath "${1:?usage: $0 build | NEW_SERVER [OLD_SERVER]}")
old=$(realpath "${2:-$(previous_version)}")
rm -rf "$work"
mkdir -p "$work/data"

source "$root/scripts/lib/loopback.sh"
pg_port=$(free_port) old_port=$(free_port) new_port=$(free_port)
# One site to the shopper, whichever version answers (nginx in front, as deployed).
site=http://127.0.0.1:$old_port
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  pg stop 2>/dev/null || true
}
trap cleanup EXIT

# 1. The previous version's shop: its schema, its demo, serving.
demo_database "$old"
start() {
  LEPTOS_SITE_ADDR=127.0.0.1:$2 LEPTOS_SITE_ROOT=$work/site PUBLIC_URL=$site \
    LOG_FORMAT=json RUST_LOG=info "$1" serve >"$work/$3.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do ready "$2" && return; sleep 0.1; done
  fail "the $3 version never got ready: $(tail -n 5 "$work/$3.log")"
}
start "$old" "$old_port" old
old_url=http://127.0.0.1:$old_port new_url=http://127.0.0.1:$new_port

# Requests as one shopper's browser would send them: the same cookies and the same site's
# Origin whichever version answers.
api() {
  curl -s --max-time 15 -c "$1" -b "$1" -H "Origin: $site" \
    -H "Content-Type: application/json" -w '\n%{http_code}' -d "$3" "$2/api/$4"
}
status() { tail -n 1 <<<"$1"; }
body() { sed '$d' <<<"$1"; }
shopper=$work/shopper.jar buyer=$work/buyer.jar
answer=$(api "$shopper" "$old_url" '{"email":"shopper@example.com","password":"demo-market-2026","next":""}' account/login)
[ "$(status "$answer")" = 200 ] || fail "the shopper could not sign in on the previous version: $answer"
sku=$(psql_ "select v.sku from variants v join products p on p.id = v.product_id
  join vendors s on s.id = p.vendor_id where p.status = 'active' and s.status = 'approved'
  and v.stock_on_hand > 5 order by v.sku limit 1")
stock_before=$(psql_ "select stock_on_hand from variants where sku = '$sku'")
answer=$(api "$buyer" "$old_url" "{\"sku\":\"$sku\",\"quantity\":1}" cart/add)
[ "$(body "$answer")" = 1 ] || fail "a guest could not add to the previous version's cart: $answer"
step "the previous version serves; a shopper signed in and a guest's cart on it"

# 2. This version's migrations, applied while the previous version serves; it must go on.
load() {
  while :; do
    for path in / /search?q=shirt /account/security; do
      # 000: no answer within 10 s.
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -b "$shopper" "$old_url$path" || true)
      echo "$(date +%s.%N) $path $code"
    done
  done
}
load >"$work/old-during-migrate.txt" &
loader=$!
pids+=("$loader")
"$new" migrate >"$work/migrate.log" 2>&1 || fail "this version's migrations failed: $(tail -n 5 "$work/migrate.log")"
sleep 1
kill "$loader" 2>/dev/null || true
served=$(wc -l <"$work/old-during-migrate.txt")
refused=$(awk '$3 != 200' "$work/old-during-migrate.txt" | wc -l)
[ "$served" -gt 0 ] && [ "$refused" = 0 ] \
  || fail "the previous version answered $refused of $served requests with an error while migrating: $(awk '$3 != 200' "$work/old-during-migrate.txt" | head -n 3)"
step "migrated under the previous version: it answered all $served requests meanwhile"

# 3. Both versions side by side: everything a shopper started on one goes on on the other.
start "$new" "$new_port" new
for url in "$old_url" "$new_url"; do
  for path in / /search?q=shirt "/p/$(psql_ "select p.slug from products p join variants v on v.product_id = p.id where v.sku = '$sku'")"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url$path")" = 200 ] || fail "$url$path did not answer 200"
  done
  page=$(curl -s --max-time 10 -b "$shopper" -w '\n%{http_code}' "$url/account/security")
  [ "$(status "$page")" = 200 ] && grep -q "Sam Shopper" <<<"$page" \
    || fail "$url did not know the session signed in on the previous version (status $(status "$page"))"
done
answer=$(api "$buyer" "$new_url" "{\"sku\":\"$sku\",\"quantity\":1}" cart/add)
[ "$(body "$answer")" = 2 ] || fail "this version did not see the guest's cart from the previous version: $answer"
answer=$(api "$buyer" "$old_url" '{"details":{"email":"upgrade-buyer@example.com","address":{"full_name":"Upgrade Buyer","line1":"1 Main St","city":"Austin","region":"TX","postal_code":"73301","country":"US"}}}' checkout/details)
[ "$(status "$answer")" = 200 ] || fail "checkout details on the previous version: $answer"
answer=$(api "$buyer" "$new_url" "{\"key\":\"$(cat /proc/sys/kernel/random/uuid)\"}" checkout/place)
number=$(body "$answer" | sed -n 's/.*"number":\([0-9]*\).*/\1/p')
[ -n "$number" ] || fail "this version could not place the order the previous version's checkout began: $answer"
answer=$(api "$buyer" "$old_url" "{\"number\":\"$number\",\"succeed\":true}" checkout/pay_test)
[ "$(status "$answer")" = 200 ] || fail "the previous version could not take payment for order $number: $answer"
[ "$(psql_ "select status from orders where number = $number")" = paid ] || fail "order $number is not paid"
[ "$(psql_ "select stock_on_hand from variants where sku = '$sku'")" = $((stock_before - 2)) ] \
  || fail "order $number did not take its two items from stock"
# A session signed in on this version is known to the previous one (an instance can be
# rolled back).
answer=$(api "$work/owner.jar" "$new_url" '{"email":"owner@example.com","password":"demo-market-2026","next":""}' account/login)
[ "$(status "$answer")" = 200 ] || fail "the shop owner could not sign in on this version: $answer"
owner=$(psql_ "select name from users where email = 'owner@example.com'")
page=$(curl -s --max-time 10 -b "$work/owner.jar" -w '\n%{http_code}' "$old_url/account/security")
[ "$(status "$page")" = 200 ] && grep -qF "$owner" <<<"$page" \
  || fail "the previous version did not know a session signed in on this version (status $(status "$page"))"
step "side by side: sessions both ways, a cart, a checkout and order $number paid across versions"

# 4. Jobs: both versions run the queue; the order's confirmation is sent once.
mails() { grep -l "^To: .*$1" "$work/data/mail/"*.eml 2>/dev/null | wc -l; }
for _ in $(seq 150); do [ "$(mails upgrade-buyer@example.com)" -ge 1 ] && break; sleep 0.2; done
# Long enough for both versions' mail job to have run (every 10 s) after the mail was queued.
sleep 11
[ "$(mails upgrade-buyer@example.com)" = 1 ] \
  || fail "the order confirmation was sent $(mails upgrade-buyer@example.com) times with both versions running"
step "the confirmation of order $number sent once with both versions running the queue"

# 5. The previous version leaves; this version carries on alone.
kill "${pids[0]}"
answer=$(api "$buyer" "$new_url" "{\"sku\":\"$sku\",\"quantity\":1}" cart/add)
[ "$(status "$answer")" = 200 ] || fail "this version alone: adding to a cart failed: $answer"
for name in old new; do
  errors=$(grep -c '"level":"ERROR"\|panicked' "$work/$name.log" || true)
  [ "$errors" = 0 ] || fail "the $name version logged $errors errors: $(grep '"level":"ERROR"\|panicked' "$work/$name.log" | head -n 3)"
done
step "the previous version stopped, this version serves alone; no errors logged by either"
echo "upgrade-side-by-side: $(git -C "$root" rev-parse --short "$from") and this version served one database side by side"
