#!/usr/bin/env bash
# Builds the complete schema (our migrations and the job queue's) in an empty database with psql,
# for compiling with SQLX_OFFLINE=false (`make sqlx-prepare`): sqlx checks every query against it,
# including those inside the underway crate. Without a server binary, so it works while `.sqlx/`
# is out of date. Usage: scripts/schema-for-macros.sh postgres://…/database
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
url=${1:?database URL}
underway=$(cd "$root" && cargo metadata --format-version 1 2>/dev/null |
  python3 -c 'import json,sys; print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"]=="underway").rsplit("/",1)[0])')
run() { psql "$url" -1 -q -v ON_ERROR_STOP=1 "$@"; }
# The table sqlx keeps its migration history in; underway's first migration copies its shape.
run -c "create table if not exists _sqlx_migrations (version bigint primary key, description text not null,
        installed_on timestamptz not null default now(), success boolean not null, checksum bytea not null,
        execution_time bigint not null)"
for f in "$root"/migrations/*.up.sql; do run -f "$f"; done
for f in "$underway"/migrations/*.sql; do run -f "$f"; done
