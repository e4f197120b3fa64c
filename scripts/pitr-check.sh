#!/usr/bin/env bash
# Point-in-time recovery, tried for real: a cluster archiving its WAL, a base backup
# (pg_basebackup), an order paid before a moment T and another after it, then a new cluster
# recovered from the base backup and the archive to T. Every table must equal what it was at T
# (`server checksums`), with the first order and without the second. docs/DEPLOY.md describes
# the same steps for an operator.
#   scripts/pitr-check.sh SERVER_BINARY
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
server=$(realpath "${1:?usage: $0 SERVER_BINARY}")
work=$root/.data/pitr
primary=$work/primary
recovered=$work/recovered
archive=$work/archive
base=$work/base
# free_port, shared with the other loopback checks (its pg is replaced by this check's own).
source "$root/scripts/lib/loopback.sh"
pg() { PG_CLUSTER=run PG_DATA_DIR=$1 "$root/scripts/pg.sh" "${@:2}"; }
bin=$(pg "$primary" bin)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null
  pg "$primary" stop 2>/dev/null || true
  pg "$recovered" stop 2>/dev/null || true
}
trap cleanup EXIT
cleanup
rm -rf "$work"
install -d -m 700 "$work" "$archive"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work" "$archive"

# 1. A primary that archives every finished WAL segment.
pg "$primary" start
primary_url=$(pg "$primary" url marketplace)
psql() { as_owner "$bin/psql" -X -Atq "$@"; }
psql "$(pg "$primary" url postgres)" -c "alter system set archive_mode = on" \
  -c "alter system set archive_command = 'test ! -f $archive/%f && cp %p $archive/%f'"
pg "$primary" stop
pg "$primary" start
pg "$primary" createdb marketplace >/dev/null
export APP_ENV=demo RUN_JOBS=false DATABASE_URL=$primary_url DATA_DIR=$work/data RUST_LOG=warn
"$server" migrate >/dev/null
"$server" seed-demo --products 40 >/dev/null

# 2. The base backup, taken while the primary runs.
as_owner "$bin/pg_basebackup" -d "$(pg "$primary" url postgres)" -D "$base" -X stream --checkpoint=fast

# 3. An order paid before T, another after.
port=$(free_port)
base_url=http://127.0.0.1:$port
LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT=$work/site PUBLIC_URL=$base_url "$server" serve \
  >"$work/server.log" 2>&1 &
pid=$!
until curl -sf "$base_url/readyz" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
sku=$(psql "$primary_url" -c "select v.sku from variants v join products p on p.id = v.product_id
  join vendors s on s.id = p.vendor_id where p.status = 'active' and s.status = 'approved'
  and v.stock_on_hand > 5 order by v.sku limit 1")
buy() {
  local jar=$work/jar-$1 json=(-sf -H "Origin: $base_url" -H "Content-Type: application/json")
  curl "${json[@]}" -c "$jar" -b "$jar" -d "{\"sku\":\"$sku\",\"quantity\":1}" "$base_url/api/cart/add" >/dev/null
  curl "${json[@]}" -c "$jar" -b "$jar" -d "{\"details\":{\"email\":\"$1@example.com\",\"address\":{\"full_name\":\"Pitr Buyer\",\"line1\":\"1 Main St\",\"city\":\"Austin\",\"region\":\"TX\",\"postal_code\":\"73301\",\"country\":\"US\"}}}" \
    "$base_url/api/checkout/details" >/dev/null
  local placed number
  placed=$(curl -s -H "Origin: $base_url" -H "Content-Type: application/json" -c "$jar" -b "$jar" \
    -d "{\"key\":\"$(cat /proc/sys/kernel/random/uuid)\"}" "$base_url/api/checkout/place")
  number=$(sed -n 's/.*"number":\([0-9]*\).*/\1/p' <<<"$placed")
  [ -n "$number" ] || { echo "placing an order failed: $placed" >&2; exit 1; }
  curl "${json[@]}" -c "$jar" -b "$jar" -d "{\"number\":\"$number\",\"succeed\":true}" \
    "$base_url/api/checkout/pay_test" >/dev/null
  echo "$number"
}
before=$(buy before) || exit 1
sleep 1
target=$(psql "$primary_url" -c "select now()")
"$server" checksums >"$work/at-target.txt"
sleep 1
after=$(buy after) || exit 1
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
# The segment holding the second order is archived (as a busy server's would be soon).
segment=$(psql "$primary_url" -c "select pg_walfile_name(pg_switch_wal())")
until [ "$(psql "$primary_url" -c "select coalesce(last_archived_wal >= '$segment', false) from pg_stat_archiver")" = t ]; do
  sleep 0.2
done
pg "$primary" stop

# 4. A new cluster from the base backup, replaying the archive up to T.
as_owner cp -a "$base" "$recovered"
cat >>"$recovered/postgresql.auto.conf" <<CONF
archive_mode = off
restore_command = 'cp $archive/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
CONF
as_owner touch "$recovered/recovery.signal"
pg "$recovered" start
recovered_url=$(pg "$recovered" url marketplace)
until [ "$(psql "$recovered_url" -c "select pg_is_in_recovery()")" = f ]; do sleep 0.2; done

DATABASE_URL=$recovered_url "$server" checksums >"$work/recovered.txt"
diff -u "$work/at-target.txt" "$work/recovered.txt" || {
  echo "FAILED: the recovered database differs from the primary at $target" >&2
  exit 1
}
orders=$(psql "$recovered_url" -c "select string_agg(number::text || ':' || status, ' ' order by number)
  from orders where number in ($before, $after)")
[ "$orders" = "$before:paid" ] || { echo "FAILED: orders after recovery: $orders" >&2; exit 1; }
echo "Point-in-time recovery to $target: $(wc -l <"$work/recovered.txt") tables equal, order $before paid, order $after (after T) absent."
