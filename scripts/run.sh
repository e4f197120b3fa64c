#!/usr/bin/env bash
# Serves the built marketplace: embedded PostgreSQL unless DATABASE_URL is set, migrations,
# the demo seed on first run, then the server on http://127.0.0.1:3000 until Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
server=${1:?usage: scripts/run.sh path/to/server}

started_db=""
if [ -z "${DATABASE_URL:-}" ]; then
  if ! scripts/pg.sh status >/dev/null 2>&1; then started_db=yes; fi
  DATABASE_URL=$(scripts/pg.sh createdb marketplace)
  export DATABASE_URL
  echo "Using the embedded PostgreSQL at $DATABASE_URL (data in .data/postgres-run; \`make db-stop\` stops it)."
else
  echo "Using DATABASE_URL from the environment."
fi

stop_db() {
  if [ -n "$started_db" ]; then scripts/pg.sh stop; fi
}
trap stop_db EXIT

export LEPTOS_SITE_ROOT="$root/target/site"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export LEPTOS_ENV=PROD
export DATA_DIR="${DATA_DIR:-$root/.data}"
# The demo: sample accounts with a published password, test payments, a ribbon on every page.
# Production (APP_ENV=production) refuses all three; see the README.
export APP_ENV="${APP_ENV:-demo}"

"$server" migrate
"$server" seed-demo --if-empty

cat <<BANNER

  Marketplace is running: http://${LEPTOS_SITE_ADDR}

  Try:  http://${LEPTOS_SITE_ADDR}/c/headphones
        http://${LEPTOS_SITE_ADDR}/v/north-star-outfitters
  Demo accounts (password: demo-market-2026), sign in at /account/login:
        shopper@example.com   a customer
        owner@example.com     owner of the first demo shop  → /vendor
        staff@example.com     staff of the second demo shop → /vendor
        admin@example.com     platform admin → /admin (turn on 2FA first, at /account/security)
  Mail (sign-up links, password resets) is written to ${DATA_DIR}/mail/*.eml unless SMTP_URL is set.
  Stop with Ctrl-C.

BANNER

"$server" serve
