#!/usr/bin/env bash
# Zero-downtime upgrades: while the new version's migrations are applied and its instances
# start one by one, the previous version's instances keep serving on the migrated database. So
# every query of the previous version must still work on the new schema. This check takes the
# previous version (the commit before the newest migration was added, or UPGRADE_FROM), builds
# its schema from its own migrations, applies the newer ones, and then
#   - prepares every query the previous version's binary makes (its .sqlx/ files) on the new
#     schema: a dropped or renamed table or column, or a changed type, fails here;
#   - refuses a new NOT NULL column without a default on a table the previous version writes:
#     its inserts would fail.
#   scripts/upgrade-check.sh   (uses the test cluster, like `make unit`)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$root/.data/upgrade
rm -rf "$work"
mkdir -p "$work/old"

newest=$(git log -n 1 --diff-filter=A --format=%H -- 'migrations/*.up.sql')
from=${UPGRADE_FROM:-$newest^}
if ! git rev-parse -q --verify "$from^{commit}" >/dev/null; then
  echo "upgrade-check: FAILED: the previous version ($from) is not in this clone's history" >&2
  exit 1
fi
git archive "$from" migrations .sqlx | tar -x -C "$work/old"

url=$(PG_CLUSTER=test scripts/pg.sh recreatedb marketplace_upgrade)
bin=$(PG_CLUSTER=test scripts/pg.sh bin)
psql_() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }
apply() {
  for file in "$@"; do
    psql_ --single-transaction -f "$file" >/dev/null || { echo "upgrade-check: FAILED applying $file" >&2; exit 1; }
  done
}
columns() {
  psql_ -At -c "select table_name || '.' || column_name || ' ' || is_nullable || ' ' || (column_default is null)
    from information_schema.columns where table_schema = 'public'" | LC_ALL=C sort
}

# The previous version's schema, then the migrations it did not have.
apply "$work"/old/migrations/*.up.sql
columns >"$work/before.txt"
old_tables=$(psql_ -At -c "select table_name from information_schema.tables where table_schema = 'public'")
new_migrations=()
for file in migrations/*.up.sql; do
  [ -f "$work/old/$file" ] || new_migrations+=("$file")
done
apply "${new_migrations[@]}"
columns >"$work/after.txt"

# New columns the previous version's inserts cannot fill.
problems=0
while read -r column nullable no_default; do
  table=${column%%.*}
  if [ "$nullable" = NO ] && [ "$no_default" = true ] && grep -qx "$table" <<<"$old_tables"; then
    echo "upgrade-check: $column is NOT NULL without a default: the previous version's inserts into $table would fail (add a default, or make it NOT NULL in the release after)" >&2
    problems=$((problems + 1))
  fi
done < <(LC_ALL=C comm -13 "$work/before.txt" "$work/after.txt")

# Every query of the previous version, prepared on the new schema.
python3 - "$work/old/.sqlx" >"$work/prepare.sql" <<'PY'
import json, pathlib, re, sys
for n, path in enumerate(sorted(pathlib.Path(sys.argv[1]).glob("query-*.json"))):
    query = json.loads(path.read_text())["query"].strip().rstrip(";")
    # Only these can be prepared (the few others, refresh and lock, are not checked), and the
    # job queue's own tables are the queue library's, migrated by it, not by migrations/.
    if not re.match(r"(?is)^\s*(select|insert|update|delete|with|values)\b", query) or "underway." in query:
        continue
    print(f"\\echo {path.name}")
    print(f"prepare q{n} as {query};")
    print(f"deallocate q{n};")
PY
queries=$(grep -c '^prepare' "$work/prepare.sql")
if ! psql_ -f "$work/prepare.sql" >"$work/prepare.log" 2>&1; then
  echo "upgrade-check: a query of the previous version fails on the new schema:" >&2
  tail -n 4 "$work/prepare.log" >&2
  problems=$((problems + 1))
fi
[ "$problems" = 0 ] || { echo "upgrade-check: FAILED" >&2; exit 1; }
echo "upgrade-check: the previous version ($(git rev-parse --short "$from")) runs on the new schema: ${#new_migrations[@]} newer migration(s), its $queries queries prepared"
