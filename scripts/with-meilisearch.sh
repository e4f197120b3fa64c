#!/usr/bin/env bash
# Runs a command (the Rust tests) with a private Meilisearch for the search engine's suite.
#   scripts/with-meilisearch.sh cargo test -p app -p server
# The server is MEILISEARCH_BIN, else ../shared/tools/meilisearch beside the project. It listens
# on a free loopback port with a random master key, keeps its data in .data/, and is stopped
# (its data deleted) when the command ends; the tests find it in MEILISEARCH_TEST_URL and
# MEILISEARCH_TEST_API_KEY. A MEILISEARCH_TEST_URL already set (a server of your own, whose
# indexes named test_* the tests may create) is used as it is.
# Without a server the suite is skipped, said loudly; with MEILISEARCH_REQUIRED set (CI) that
# is an error instead.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${MEILISEARCH_BIN:-$root/../shared/tools/meilisearch}

if [ -n "${MEILISEARCH_TEST_URL:-}" ]; then
  exec "$@"
fi

if [ ! -x "$bin" ]; then
  skipped="SKIPPED: the Meilisearch engine suite (no server: set MEILISEARCH_BIN to a meilisearch binary, or MEILISEARCH_TEST_URL to a running one; see README)"
  if [ -n "${MEILISEARCH_REQUIRED:-}" ]; then
    echo "error: MEILISEARCH_REQUIRED is set but there is no Meilisearch at $bin (set MEILISEARCH_BIN)" >&2
    exit 1
  fi
  echo "$skipped" >&2
  status=0
  "$@" || status=$?
  echo "$skipped" >&2
  exit "$status"
fi

# Whether something answers HTTP on the port (bash's /dev/tcp: no curl needed).
answers() (
  exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
  printf 'GET /health HTTP/1.0\r\n\r\n' >&3
  [[ $(cat <&3) == *available* ]]
) 2>/dev/null

key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
data="$root/.data/meilisearch-test-$$"
pid=""
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap stop EXIT

# A random free port; another process may take it first, so a failed start tries another.
for attempt in 1 2 3 4 5; do
  # In the kernel's ephemeral range, above the ports scripts/pg.sh derives for its clusters.
  port=$(( 32768 + RANDOM % 28000 ))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    continue
  fi
  rm -rf "$data"
  mkdir -p "$data"
  "$bin" --db-path "$data/db" --dump-dir "$data/dumps" --snapshot-dir "$data/snapshots" \
    --http-addr "127.0.0.1:$port" --master-key "$key" --no-analytics --env development \
    >"$data/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    if answers "$port"; then
      break 2
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
  echo "Meilisearch did not start on port $port (attempt $attempt):" >&2
  tail -n 5 "$data/log" >&2 || true
done
if [ -z "$pid" ]; then
  echo "error: could not start Meilisearch from $bin" >&2
  exit 1
fi

echo "Meilisearch $("$bin" --version | awk '{print $NF}') for the engine suite on 127.0.0.1:$port (data in ${data#"$root/"})" >&2
status=0
MEILISEARCH_TEST_URL="http://127.0.0.1:$port" MEILISEARCH_TEST_API_KEY="$key" "$@" || status=$?
exit "$status"
