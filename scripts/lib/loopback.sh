# For the checks that run the server on loopback against a private PostgreSQL cluster
# (cluster-check.sh, upgrade-side-by-side.sh; docker-check.sh takes free_port). Sourced with
# `root` (the checkout) and `work` (the check's own directory) set; `pg_port` is set before the
# cluster is used.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The check's own cluster, in $work/postgres on $pg_port.
pg() { PG_CLUSTER=test PG_DATA_DIR=$work/postgres PG_PORT=$pg_port "$root/scripts/pg.sh" "$@"; }

# Starts the cluster and a database `marketplace` that SERVER migrated and seeded with a small
# demo; exports DATABASE_URL and the environment the servers run with.
#   demo_database SERVER
demo_database() {
  pg start
  pg createdb marketplace >/dev/null
  DATABASE_URL=$(pg url marketplace)
  export DATABASE_URL APP_ENV=demo DATA_DIR=$work/data RUST_LOG=warn
  "$1" migrate >/dev/null
  "$1" seed-demo --products 40 >/dev/null
}

# One SQL statement on the demo database, its rows unaligned.
psql_() { runuser -u postgres -- "$(pg bin)/psql" -X -Atq "$DATABASE_URL" -c "$1"; }

# Whether the server on PORT says it is ready.
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1/readyz")" = 200 ]; }
